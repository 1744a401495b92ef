// The OpenAI-compatible providers through the openai SDK (runtime/models/openai-client.ts, openai-compatible.ts): the
// exact error shape for every way a call can fail (status, kind, short message, Retry-After, nothing of the request or
// the key), the SDK's SSE reading across arbitrary splits, decoded bodies, redirects and aborts — against a real HTTP
// server, through createModel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createModel } from '../../runtime/models/registry.js';
import { ModelApiError } from '../../runtime/models/model-error.js';
import { completeWithRetry, isRetryable } from '../../runtime/models/retry.js';
import type { ChatModel, ChatRequest } from '../../runtime/models/types.js';

const KEY = 'sk-test-0123456789abcdef';
const PROMPT = 'PROMPT-TEXT-THAT-MUST-NOT-LEAK';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const seen: Seen[] = [];
let base = '';
let server: ReturnType<typeof createServer>;
let closedMidStream: Promise<void> = Promise.resolve();

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const completion = (content: string) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 2, completion_tokens: 3 },
  });
const json = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
};
const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>> = {
  '/unauthorized': (_q, res) =>
    json(
      res,
      401,
      JSON.stringify({
        error: {
          message: `Incorrect API key provided: ${KEY}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      }),
    ),
  '/html-404': (_q, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>nothing here</body></html>');
  },
  '/ollama-404': (_q, res) =>
    json(res, 404, JSON.stringify({ error: 'model "llama9" not found, try pulling it first' })),
  '/google-400': (_q, res) =>
    json(
      res,
      400,
      JSON.stringify([{ error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } }]),
    ),
  '/unavailable': (_q, res) =>
    json(res, 503, JSON.stringify({ error: { message: 'The server is overloaded', type: 'server_error' } })),
  '/empty-500': (_q, res) => {
    res.writeHead(500);
    res.end();
  },
  '/malformed': (_q, res) => json(res, 200, '{"id":"c","choices":[{"message":'),
  '/error-200': (_q, res) => json(res, 200, JSON.stringify({ error: { message: 'upstream failed', code: 502 } })),
  '/ok': (_q, res) => json(res, 200, completion('fine')),
  '/gzip': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(completion('zipped')));
  },
  '/redirect': (_q, res) => {
    res.writeHead(307, { location: '/ok/chat/completions' });
    res.end();
  },
  '/split': async (_q, res) => {
    sse(res);
    // Lines split mid-field, a CR LF split between writes, a comment, and "é" (0xC3 0xA9) split between two writes.
    const text = Buffer.from(chunk({ content: 'h\u00e9llo' }));
    const at = text.indexOf(0xc3) + 1;
    const parts: Array<string | Buffer> = [
      ': keep-alive\n\n',
      'da',
      `ta: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'one ' } }] }).slice(0, 10)}`,
      `${JSON.stringify({ choices: [{ index: 0, delta: { content: 'one ' } }] }).slice(10)}\r`,
      '\n\r\n',
      text.subarray(0, at),
      text.subarray(at),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ];
    for (const p of parts) {
      res.write(p);
      await new Promise((r) => setTimeout(r, 5));
    }
    res.end();
  },
  '/gzip-sse': (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
    res.end(gzipSync(chunk({ content: 'zip' }) + chunk({ content: 'ped' }, 'stop') + 'data: [DONE]\n\n'));
  },
  '/no-done': (_q, res) => {
    sse(res);
    res.end(chunk({ content: 'all' }) + 'data: null\n\n' + chunk({}, 'stop'));
  },
  '/json-for-stream': (_q, res) => json(res, 200, completion('not streamed')),
  '/truncated': (_q, res) => {
    sse(res);
    res.end(chunk({ content: 'half an ans' }));
  },
  '/error-event': (_q, res) => {
    sse(res);
    res.end(
      chunk({ content: 'partial' }) +
        `data: ${JSON.stringify({ error: { message: 'Rate limit reached mid-stream', type: 'rate_limit', code: '429' } })}\n\n`,
    );
  },
  '/named-error-event': (_q, res) => {
    sse(res);
    res.end(`event: error\ndata: ${JSON.stringify({ message: 'internal failure' })}\n\n`);
  },
  '/hang-stream': (req, res) => {
    sse(res);
    res.write(chunk({ content: 'first' }));
    closedMidStream = new Promise((r) => req.socket.once('close', () => r()));
  },
  '/hang': () => undefined,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url!.split('?')[0];
      seen.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      void routes[path.replace(/\/chat\/completions$/, '')](req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const modelAt = (route: string, base_url = `${base}${route}`) =>
  createModel({ type: 'openai', model: 'gpt-4o', base_url }, { OPENAI_API_KEY: KEY });
const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: PROMPT }],
  tools: [],
  signal: AbortSignal.timeout(5_000),
  ...over,
});
const failure = async (model: ChatModel | Promise<ChatModel>, over: Partial<ChatRequest> = {}) => {
  const err = await (await model).complete(request(over)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelApiError);
  const e = err as ModelApiError;
  expect(e.message).not.toContain(PROMPT);
  expect(e.message).not.toContain(KEY);
  return { name: e.name, kind: e.kind, status: e.status, code: e.code, message: e.message };
};
const streamed = async (route: string) => {
  const deltas: string[] = [];
  const result = await (await modelAt(route)).complete(request({ onText: (d) => deltas.push(d) }));
  return { result, deltas };
};

describe('chat client: error answers', () => {
  it('4xx with an OpenAI error body: status, the provider message with the key masked, its code', async () => {
    expect(await failure(modelAt('/unauthorized'))).toEqual({
      name: 'ModelApiError',
      kind: 'http',
      status: 401,
      code: 'invalid_api_key',
      message: 'Incorrect API key provided: ***.',
    });
  });

  it('4xx without a JSON body: the status and its reason phrase', async () => {
    expect(await failure(modelAt('/html-404'))).toEqual({
      name: 'ModelApiError',
      kind: 'http',
      status: 404,
      code: undefined,
      message: 'Not Found (no error message in the response)',
    });
  });

  it("Ollama's string error and Google's array-wrapped error", async () => {
    expect(await failure(modelAt('/ollama-404'))).toMatchObject({
      status: 404,
      message: 'model "llama9" not found, try pulling it first',
    });
    expect(await failure(modelAt('/google-400'))).toMatchObject({
      status: 400,
      code: '400',
      message: 'API key not valid.',
    });
  });

  it('5xx with and without a body', async () => {
    expect(await failure(modelAt('/unavailable'))).toEqual({
      name: 'ModelApiError',
      kind: 'http',
      status: 503,
      code: 'server_error',
      message: 'The server is overloaded',
    });
    expect(await failure(modelAt('/empty-500'))).toEqual({
      name: 'ModelApiError',
      kind: 'http',
      status: 500,
      code: undefined,
      message: 'Internal Server Error (no error message in the response)',
    });
  });

  it('a 2xx with malformed JSON: a response error without status (so it is retried)', async () => {
    const e = await failure(modelAt('/malformed'));
    expect(e).toMatchObject({ name: 'ModelApiError', kind: 'response', status: undefined });
    expect(e.message).toMatch(/^invalid JSON in the response: /);
  });

  it('a 2xx carrying an error object is an error, with the code as its status', async () => {
    expect(await failure(modelAt('/error-200'))).toEqual({
      name: 'ModelApiError',
      kind: 'response',
      status: 502,
      code: '502',
      message: 'upstream failed',
    });
  });

  it('connection refused: a network error without status, with the system code and the server (not the path)', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    expect(await failure(modelAt('', `http://127.0.0.1:${port}/secret-path/v1`))).toEqual({
      name: 'ModelApiError',
      kind: 'network',
      status: undefined,
      code: 'ECONNREFUSED',
      message: `request to http://127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('retry.ts reads the status: 429/5xx/network retried, 4xx not; the final message has the HTTP status once', async () => {
    const shapes = [
      new ModelApiError('x', 'http', 429),
      new ModelApiError('x', 'http', 503),
      new ModelApiError('x', 'network'),
      new ModelApiError('x', 'stream'),
      new ModelApiError('x', 'http', 400),
      new ModelApiError('x', 'http', 401),
    ];
    expect(shapes.map(isRetryable)).toEqual([true, true, true, true, false, false]);
    const call = completeWithRetry(await modelAt('/unauthorized'), request({ signal: new AbortController().signal }), {
      maxRetries: 3,
      baseDelayMs: 1,
      timeoutMs: 5_000,
    });
    await expect(call).rejects.toMatchObject({
      name: 'LlmError',
      status: 401,
      attempts: 1,
      message: 'LLM call to openai/gpt-4o failed after 1 attempt(s): HTTP 401: Incorrect API key provided: ***.',
    });
  });
});

describe('chat client: streaming', () => {
  it('reads events split anywhere: mid-line, between CR and LF, inside a UTF-8 character', async () => {
    const { result, deltas } = await streamed('/split');
    expect(deltas).toEqual(['one ', 'h\u00e9llo']);
    expect(result.text).toBe('one h\u00e9llo');
    expect(JSON.parse(seen.at(-1)!.body)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('decodes a gzip event stream; a finish_reason without [DONE] is a complete answer; a JSON answer to a stream request too', async () => {
    expect((await streamed('/gzip-sse')).result.text).toBe('zipped');
    expect(seen.at(-1)!.headers['accept-encoding']).toBe('gzip, deflate');
    expect((await streamed('/no-done')).result.text).toBe('all');
    expect(await streamed('/json-for-stream')).toEqual({
      result: { text: 'not streamed', toolCalls: [], usage: { input: 2, output: 3 } },
      deltas: ['not streamed'],
    });
  });

  it('a truncated stream (no finish_reason, no [DONE]) fails without status after the deltas it had', async () => {
    const deltas: string[] = [];
    expect(await failure(modelAt('/truncated'), { onText: (d) => deltas.push(d) })).toEqual({
      name: 'ModelApiError',
      kind: 'stream',
      status: undefined,
      code: undefined,
      message: 'the stream ended before the model finished (no finish_reason)',
    });
    expect(deltas).toEqual(['half an ans']);
  });

  it('an error event fails the call with its message, and its numeric code as the status', async () => {
    expect(await failure(modelAt('/error-event'), { onText: () => undefined })).toEqual({
      name: 'ModelApiError',
      kind: 'stream',
      status: 429,
      code: '429',
      message: 'Rate limit reached mid-stream',
    });
    expect(await failure(modelAt('/named-error-event'), { onText: () => undefined })).toEqual({
      name: 'ModelApiError',
      kind: 'stream',
      status: undefined,
      code: undefined,
      message: 'internal failure',
    });
  });

  it('an abort mid-stream rejects with the abort reason and closes the connection', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const call = (await modelAt('/hang-stream')).complete(
      request({
        signal: controller.signal,
        onText: (d) => {
          deltas.push(d);
          controller.abort(new Error('task cancelled'));
        },
      }),
    );
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('task cancelled');
    expect(deltas).toEqual(['first']);
    await closedMidStream; // resolves only when the server saw the socket close
  });

  it('an abort before the answer rejects with the signal reason (an AbortError)', async () => {
    const controller = new AbortController();
    const call = (await modelAt('/hang')).complete(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 30);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('chat client: good paths', () => {
  it('decodes a gzip JSON body and follows a 307 with the same body and key', async () => {
    expect((await (await modelAt('/gzip')).complete(request())).text).toBe('zipped');
    const before = seen.length;
    expect((await (await modelAt('/redirect')).complete(request())).text).toBe('fine');
    const [first, second] = seen.slice(before);
    expect(second.path).toBe('/ok/chat/completions');
    expect(second.body).toBe(first.body);
    expect(second.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('api_key_passthrough: the caller key replaces the configured one for that call only', async () => {
    const model = await modelAt('/ok');
    await model.complete(request({ apiKey: 'caller-key' }));
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer caller-key');
    await model.complete(request());
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('the user headers win over ours, except content-type', async () => {
    await (
      await createModel(
        {
          type: 'openai',
          model: 'm',
          base_url: `${base}/ok`,
          headers: { Authorization: 'Bearer from-headers', 'Content-Type': 'text/plain', Accept: 'text/x' },
        },
        { OPENAI_API_KEY: KEY, OPENAI_ORG_ID: 'org-7' },
      )
    ).complete(request());
    expect(seen.at(-1)!.headers).toMatchObject({
      authorization: 'Bearer from-headers',
      'content-type': 'application/json',
      accept: 'text/x',
      'openai-organization': 'org-7',
    });
  });

  it('a base_url that is not a URL is a startup error naming the field', async () => {
    await expect(createModel({ type: 'openai', model: 'm', base_url: 'localhost:8000' }, {})).rejects.toThrow(
      /config\.json: model: not a valid http\(s\) URL: "localhost:8000" \(model\.base_url/,
    );
  });
});
