// A scripted OpenAI-compatible chat-completions server for tests and benchmarks, which also answers Ollama's native
// /api/chat (NDJSON when streamed), the Responses API and Vertex AI's native generateContent / streamGenerateContent
// (SSE) from the same script. It speaks real HTTP, so the runtime
// under test uses its production client code (the openai and ollama SDKs, retries, timeouts, streaming) against it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool call the mock model asks for. `arguments` may be an object (serialised for you) or a raw string. */
export interface MockToolCall {
  name: string;
  arguments?: Record<string, unknown> | string;
  id?: string;
}

/** What the mock answers to one request. */
export interface MockTurn {
  /** Assistant text (streamed in a few chunks when the request has `stream: true`). */
  text?: string;
  /** Tool calls the model asks for (all in one assistant message, so the runtime may run them in parallel). */
  toolCalls?: MockToolCall[];
  /** Answer with this HTTP status and an OpenAI-style error body instead (e.g. 429, 500). */
  status?: number;
  /** Response headers of that error answer (e.g. `{ 'retry-after': '2' }`). */
  headers?: Record<string, string>;
  /** Wait this long before answering (for cancel and timeout tests). */
  delayMs?: number;
  /** Token usage to report; defaults to a small fixed count. */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Ollama's /api/chat, streamed: after the text, this `{"error": ...}` line instead of the final `done` line. */
  streamError?: string;
}

/** The request body the mock received, plus its headers. */
export interface RecordedRequest {
  body: ChatRequestBody;
  headers: Record<string, string | string[] | undefined>;
  path: string;
  /** When the request arrived (epoch ms), for the waits between retries. */
  at: number;
}

/** A chat-completions body (`/responses` bodies are recorded too: `input` instead of `messages`). */
export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string; name?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  [key: string]: unknown;
}

/**
 * A list of turns answered in order (one per request; when it runs out, the mock answers 500 "script exhausted"),
 * or a function deciding each answer from the request and its index (for benchmarks, several agents sharing one mock,
 * or answers that depend on the conversation).
 */
export type MockScript = MockTurn[] | ((body: ChatRequestBody, index: number) => MockTurn | Promise<MockTurn>);

export interface MockLlm {
  /** Base URL ending in /v1, suitable as an OpenAI `base_url`. */
  url: string;
  /** Every chat-completions request received, in order. */
  requests: RecordedRequest[];
  /** Every `/embeddings` request received, in order (also Vertex-style `:predict` calls). */
  embeddingRequests: Array<{
    body: any;
    headers: Record<string, string | string[] | undefined>;
    path: string;
    at: number;
  }>;
  /**
   * What `/embeddings` answers: a status makes it fail with that status; `dims` is the vector size (default 1536,
   * as text-embedding-3-small; truncation to 768 is the runtime's). Change it between calls. `failures` are answered
   * first, one per request (a status and its headers, e.g. a 429 with Retry-After), before the normal answers.
   */
  embeddings: {
    status?: number;
    dims?: number;
    failures?: Array<{ status: number; headers?: Record<string, string> }>;
  };
  close(): Promise<void>;
}

const completionId = (n: number) => `chatcmpl-mock-${n}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toolCallsFor(turn: MockTurn, n: number) {
  return (turn.toolCalls ?? []).map((tc, i) => ({
    id: tc.id ?? `call_${n}_${i}`,
    type: 'function' as const,
    function: {
      name: tc.name,
      arguments: typeof tc.arguments === 'string' ? tc.arguments : JSON.stringify(tc.arguments ?? {}),
    },
  }));
}

/** Splits text into a few chunks so streaming clients see several deltas. */
function chunksOf(text: string): string[] {
  if (text.length <= 4) return [text];
  const size = Math.ceil(text.length / 4);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * A deterministic embedding: a bag of words hashed into `dims` buckets (with a sign), so texts sharing words are near
 * and unrelated texts are nearly orthogonal. Not normalised on purpose: the runtime must normalise.
 */
export function mockEmbedding(text: string, dims = 1536): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619) >>> 0;
    // Two buckets per word, both within the first 768, so truncation keeps the meaning (like Matryoshka models).
    v[h % Math.min(dims, 768)] += 3;
    v[(h >>> 11) % Math.min(dims, 768)] += h & 1 ? 1 : -1;
  }
  return v;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function answerPlain(res: ServerResponse, body: ChatRequestBody, turn: MockTurn, n: number): void {
  const toolCalls = toolCallsFor(turn, n);
  const usage = turn.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  sendJson(res, 200, {
    id: completionId(n),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'mock',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.text ?? null,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  });
}

function answerStream(res: ServerResponse, body: ChatRequestBody, turn: MockTurn, n: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = {
    id: completionId(n),
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'mock',
  };
  const send = (choice: unknown, extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ ...base, choices: choice ? [choice] : [], ...extra })}\n\n`);
  send({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null });
  for (const piece of turn.text ? chunksOf(turn.text) : []) {
    send({ index: 0, delta: { content: piece }, finish_reason: null });
  }
  const toolCalls = toolCallsFor(turn, n);
  toolCalls.forEach((tc, index) => {
    // The way OpenAI streams tool calls: the first delta names the call, later deltas append argument text.
    send({
      index: 0,
      delta: {
        tool_calls: [{ index, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: '' } }],
      },
      finish_reason: null,
    });
    const half = Math.ceil(tc.function.arguments.length / 2);
    for (const part of [tc.function.arguments.slice(0, half), tc.function.arguments.slice(half)]) {
      if (part)
        send({ index: 0, delta: { tool_calls: [{ index, function: { arguments: part } }] }, finish_reason: null });
    }
  });
  send({ index: 0, delta: {}, finish_reason: toolCalls.length ? 'tool_calls' : 'stop' });
  const usage = turn.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  send(null, { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
  res.write('data: [DONE]\n\n');
  res.end();
}

/** The Responses API's answer object for a turn (the output items: a message, then function calls). */
function responseObject(body: ChatRequestBody, turn: MockTurn, n: number): Record<string, unknown> {
  const usage = turn.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  return {
    id: `resp_mock_${n}`,
    object: 'response',
    status: 'completed',
    model: body.model ?? 'mock',
    output: [
      ...(turn.text
        ? [
            {
              type: 'message',
              id: `msg_${n}`,
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: turn.text, annotations: [] }],
            },
          ]
        : []),
      ...toolCallsFor(turn, n).map((tc) => ({
        type: 'function_call',
        id: `fc_${tc.id}`,
        call_id: tc.id,
        name: tc.function.name,
        arguments: tc.function.arguments,
        status: 'completed',
      })),
    ],
    usage: {
      input_tokens: usage.prompt_tokens,
      output_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
    },
  };
}

function answerResponses(res: ServerResponse, body: ChatRequestBody, turn: MockTurn, n: number): void {
  const done = responseObject(body, turn, n);
  if (!body.stream) return sendJson(res, 200, done);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let seq = 0;
  const send = (type: string, extra: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...extra })}\n\n`);
  send('response.created', { response: { ...done, status: 'in_progress', output: [] } });
  for (const piece of turn.text ? chunksOf(turn.text) : [])
    send('response.output_text.delta', { item_id: `msg_${n}`, output_index: 0, content_index: 0, delta: piece });
  send('response.completed', { response: done });
  res.end();
}

/** Gemini's answer for a turn: text and functionCall parts (a script's id as the call's id, and a thoughtSignature). */
function geminiResponse(turn: MockTurn, n: number, parts: Array<Record<string, unknown>>, last: boolean) {
  const usage = turn.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  return {
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last
      ? {
          usageMetadata: {
            promptTokenCount: usage.prompt_tokens,
            candidatesTokenCount: usage.completion_tokens,
            totalTokenCount: usage.prompt_tokens + usage.completion_tokens,
          },
        }
      : {}),
    modelVersion: 'mock',
    responseId: `gemini-mock-${n}`,
  };
}

function geminiCallParts(turn: MockTurn, n: number): Array<Record<string, unknown>> {
  return ollamaToolCalls(turn).map((tc, i) => ({
    functionCall: { ...(tc.id ? { id: tc.id } : {}), name: tc.function.name, args: tc.function.arguments },
    thoughtSignature: `sig-${n}-${i}`,
  }));
}

/** Vertex's generateContent (one object) or streamGenerateContent?alt=sse (text pieces, then the calls and usage). */
function answerGemini(res: ServerResponse, turn: MockTurn, n: number, stream: boolean): void {
  const calls = geminiCallParts(turn, n);
  if (!stream)
    return sendJson(res, 200, geminiResponse(turn, n, [...(turn.text ? [{ text: turn.text }] : []), ...calls], true));
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\r\n\r\n`);
  for (const piece of turn.text ? chunksOf(turn.text) : []) send(geminiResponse(turn, n, [{ text: piece }], false));
  send(geminiResponse(turn, n, calls, true));
  res.end();
}

/** Ollama's tool calls: arguments as an object; an id only when the script names one (older Ollama sends none). */
function ollamaToolCalls(turn: MockTurn) {
  return (turn.toolCalls ?? []).map((tc) => {
    let args: unknown = tc.arguments ?? {};
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        args = {};
      }
    }
    return { ...(tc.id ? { id: tc.id } : {}), function: { name: tc.name, arguments: args } };
  });
}

/** Ollama's native /api/chat: one JSON object, or NDJSON lines (content pieces, tool calls, then `done` with usage). */
function answerOllama(res: ServerResponse, body: ChatRequestBody, turn: MockTurn): void {
  const usage = turn.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  const base = () => ({ model: body.model ?? 'mock', created_at: new Date().toISOString() });
  const toolCalls = ollamaToolCalls(turn);
  const final = {
    done: true,
    done_reason: 'stop',
    total_duration: 1000,
    load_duration: 10,
    prompt_eval_count: usage.prompt_tokens,
    prompt_eval_duration: 100,
    eval_count: usage.completion_tokens,
    eval_duration: 500,
  };
  if (body.stream === false) {
    const message = {
      role: 'assistant',
      content: turn.text ?? '',
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    };
    return sendJson(res, 200, { ...base(), message, ...final });
  }
  // Ollama streams unless told `stream: false`.
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (o: unknown) => res.write(`${JSON.stringify(o)}\n`);
  for (const piece of turn.text ? chunksOf(turn.text) : [])
    line({ ...base(), message: { role: 'assistant', content: piece }, done: false });
  if (toolCalls.length)
    line({ ...base(), message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false });
  if (turn.streamError) line({ error: turn.streamError });
  else line({ ...base(), message: { role: 'assistant', content: '' }, ...final });
  res.end();
}

/** `record: false` keeps `requests` empty (benchmarks send tens of thousands, which would otherwise pile up). */
export async function startMockLlm(
  script: MockScript,
  opts: { port?: number; record?: boolean } = {},
): Promise<MockLlm> {
  const requests: RecordedRequest[] = [];
  const embeddingRequests: MockLlm['embeddingRequests'] = [];
  const embeddings: MockLlm['embeddings'] = {};
  let index = 0;
  const server = createServer(
    (req, res) =>
      void (async () => {
        try {
          const path = (req.url ?? '').split('?')[0];
          if (req.method === 'GET' && path.endsWith('/models')) {
            sendJson(res, 200, { object: 'list', data: [{ id: 'mock', object: 'model' }] });
            return;
          }
          if (req.method === 'POST' && (path.endsWith('/embeddings') || path.endsWith(':predict'))) {
            const body = JSON.parse(await readBody(req)) as {
              input?: string | string[];
              instances?: Array<{ content: string }>;
            };
            embeddingRequests.push({ body, headers: req.headers, path, at: Date.now() });
            const failure = embeddings.failures?.shift();
            if (failure) {
              sendJson(
                res,
                failure.status,
                { error: { message: `mock LLM: scripted embeddings ${failure.status}`, type: 'scripted_error' } },
                failure.headers,
              );
              return;
            }
            if (embeddings.status) {
              sendJson(res, embeddings.status, {
                error: { message: `mock LLM: scripted embeddings ${embeddings.status}`, type: 'scripted_error' },
              });
              return;
            }
            if (body.instances) {
              // Vertex AI's predict API.
              sendJson(res, 200, {
                predictions: body.instances.map((i) => ({
                  embeddings: { values: mockEmbedding(i.content, embeddings.dims), statistics: { token_count: 3 } },
                })),
              });
              return;
            }
            const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
            sendJson(res, 200, {
              object: 'list',
              data: inputs.map((text, i) => ({
                object: 'embedding',
                index: i,
                embedding: mockEmbedding(text, embeddings.dims),
              })),
              model: 'mock-embedding',
              usage: { prompt_tokens: inputs.length * 4, total_tokens: inputs.length * 4 },
            });
            return;
          }
          const responsesApi = req.method === 'POST' && path.endsWith('/responses');
          const ollamaApi = req.method === 'POST' && path.endsWith('/api/chat');
          const geminiApi = req.method === 'POST' && /:(stream)?generateContent$/i.test(path);
          if (
            !responsesApi &&
            !ollamaApi &&
            !geminiApi &&
            (req.method !== 'POST' || !path.endsWith('/chat/completions'))
          ) {
            sendJson(res, 404, { error: { message: `mock LLM: no route ${req.method} ${path}`, type: 'not_found' } });
            return;
          }
          if (geminiApi && path.endsWith(':streamGenerateContent') && !/[?&]alt=sse(&|$)/.test(req.url ?? '')) {
            // Without alt=sse Vertex streams one JSON array, which the runtime does not read.
            sendJson(res, 400, { error: { code: 400, message: 'mock LLM: streamGenerateContent without alt=sse' } });
            return;
          }
          const raw = await readBody(req);
          let body: ChatRequestBody;
          try {
            body = JSON.parse(raw) as ChatRequestBody;
          } catch {
            sendJson(res, 400, { error: { message: 'mock LLM: invalid JSON', type: 'invalid_request_error' } });
            return;
          }
          if (opts.record !== false) requests.push({ body, headers: req.headers, path, at: Date.now() });
          const n = index++;
          const turn: MockTurn | undefined = typeof script === 'function' ? await script(body, n) : script[n];
          if (!turn) {
            sendJson(res, 500, {
              error: { message: `mock LLM: script exhausted at request ${n}`, type: 'server_error' },
            });
            return;
          }
          if (turn.delayMs) await new Promise((r) => setTimeout(r, turn.delayMs));
          if (res.destroyed) return;
          if (turn.status && turn.status >= 400 && ollamaApi) {
            sendJson(res, turn.status, { error: `mock LLM: scripted ${turn.status}` }, turn.headers);
            return;
          }
          if (turn.status && turn.status >= 400 && geminiApi) {
            // Google's error body: code, message and the RPC status name.
            const error = { code: turn.status, message: `mock LLM: scripted ${turn.status}`, status: 'SCRIPTED' };
            sendJson(res, turn.status, { error }, turn.headers);
            return;
          }
          if (turn.status && turn.status >= 400) {
            sendJson(
              res,
              turn.status,
              { error: { message: `mock LLM: scripted ${turn.status}`, type: 'scripted_error', code: turn.status } },
              turn.headers,
            );
            return;
          }
          if (geminiApi) answerGemini(res, turn, n, path.endsWith(':streamGenerateContent'));
          else if (ollamaApi) answerOllama(res, body, turn);
          else if (responsesApi) answerResponses(res, body, turn, n);
          else if (body.stream) answerStream(res, body, turn, n);
          else answerPlain(res, body, turn, n);
        } catch (err) {
          if (!res.headersSent) sendJson(res, 500, { error: { message: `mock LLM: ${String(err)}` } });
          else res.end();
        }
      })(),
  );
  // Benchmarks open many connections; keep-alive sockets must not hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    embeddings,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
