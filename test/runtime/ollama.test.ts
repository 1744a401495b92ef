// The ollama provider on Ollama's native /api/chat, over real HTTP against the mock LLM's /api/chat: the ModelConfig's
// options typed as kagent types them and sent on every call, a bad option a startup error naming it, the conversation
// (system prompt, history, tool calls and results, images) in Ollama's shape, NDJSON streaming, usage, errors,
// retries and cancellation; then the list_pods scenario end to end through the A2A SDK client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCerts } from '../../certs/generate.js';
import { TaskState, type Task } from '@a2a-js/sdk';
import { createModel } from '../../runtime/models/registry.js';
import { completeWithRetry } from '../../runtime/models/retry.js';
import { typedOptions } from '../../runtime/models/ollama-options.js';
import type { ChatRequest } from '../../runtime/models/types.js';
import { userMessage, textOf } from '../../runtime/a2a/parts.js';
import { startFakeHttp } from '../mocks/fake-http.js';
import { startMockLlm, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { podScript } from '../mocks/pod-script.js';
import { baseConfig, clientFor, startAgent } from './helpers.js';

let llm: MockLlm;
/** The turns the next requests get (a test sets them first); the default answers "hi". */
let next: MockTurn[] = [];
beforeAll(async () => {
  llm = await startMockLlm(() => next.shift() ?? { text: 'hi' });
});
afterAll(async () => llm?.close());

const host = () => llm.url.replace(/\/v1$/, '');
const last = () => llm.requests[llm.requests.length - 1];
const ollama = (extra: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { OLLAMA_API_BASE: host() }) =>
  createModel({ type: 'ollama', model: 'llama3.2', ...extra }, env);
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'hello' }],
  tools: [],
  signal: AbortSignal.timeout(5_000),
  ...extra,
});

describe('options', () => {
  it("are typed as the ollama SDK's Options declare them and sent on every call", async () => {
    const model = await ollama({
      options: {
        num_ctx: '8192',
        temperature: '0.2',
        use_mmap: 'False',
        stop: '["</s>", "User:"]',
        num_gpu: ' -1 ',
        my_future_option: 'kept',
      },
    });
    for (let i = 0; i < 2; i++) {
      expect((await model.complete(request())).text).toBe('hi');
      expect(last().path).toBe('/api/chat');
      expect(last().body.options).toEqual({
        num_ctx: 8192,
        temperature: 0.2,
        use_mmap: false,
        stop: ['</s>', 'User:'],
        num_gpu: -1,
        my_future_option: 'kept',
      });
    }
  });

  it('one stop string is a list of one; the generic fields map to their Ollama names and options win', async () => {
    const model = await ollama({
      temperature: 0.9,
      top_p: 0.8,
      top_k: 20,
      max_tokens: 256,
      seed: 7,
      options: { stop: 'END', temperature: '0.1' },
    });
    await model.complete(request());
    expect(last().body.options).toEqual({
      temperature: 0.1,
      top_p: 0.8,
      top_k: 20,
      num_predict: 256,
      seed: 7,
      stop: ['END'],
    });
  });

  it('no options, no options field', async () => {
    await (await ollama()).complete(request());
    expect(last().body).not.toHaveProperty('options');
  });

  it.each([
    ['num_ctx', 'lots', /options\.num_ctx: must be an integer \(Ollama's num_ctx\), got "lots"/],
    ['num_ctx', '4096.5', /options\.num_ctx: must be an integer/],
    ['num_predict', '99999999999999999999', /options\.num_predict: must be an integer/],
    ['temperature', 'warm', /options\.temperature: must be a number \(Ollama's temperature\), got "warm"/],
    ['top_p', '1e999', /options\.top_p: must be a number/],
    ['low_vram', 'yes', /options\.low_vram: must be true or false/],
    ['stop', '["a", 1]', /options\.stop: must be a string or a JSON array of strings/],
  ])('%s: %j is a startup error naming the key', async (key, value, message) => {
    await expect(ollama({ options: { [key]: value } })).rejects.toThrow(message);
    await expect(ollama({ options: { [key]: value } })).rejects.toThrow(/^config\.json: model: /);
  });

  it('a runtime with a bad option does not start', async () => {
    await expect(
      startAgent(baseConfig(llm.url, { model: { type: 'ollama', model: 'm', options: { num_ctx: 'big' } } })),
    ).rejects.toThrow(/options\.num_ctx: must be an integer/);
  });

  it('typedOptions keeps an unknown key as its string and types the known ones', () => {
    expect(typedOptions({ mirostat: '2', mirostat_tau: '5.0', penalize_newline: 'TRUE', x: '1' })).toEqual({
      mirostat: 2,
      mirostat_tau: 5,
      penalize_newline: true,
      x: '1',
    });
  });
});

describe('the conversation in /api/chat', () => {
  it('system prompt, history, tool calls with object arguments and tool results by name', async () => {
    next = [{ toolCalls: [{ name: 'list_pods', arguments: { namespace: 'kube-system' }, id: 'call_7' }] }];
    const model = await ollama();
    const tools = [{ name: 'list_pods', description: 'lists pods', parameters: { type: 'object', properties: {} } }];
    const first = await model.complete(
      request({
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'any pods?' },
        ],
        tools,
      }),
    );
    expect(first.toolCalls).toEqual([{ id: 'call_7', name: 'list_pods', arguments: '{"namespace":"kube-system"}' }]);
    expect(last().body.stream).toBe(false);
    expect(last().body.tools).toEqual([{ type: 'function', function: tools[0] }]);
    expect(last().body.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'any pods?' },
    ]);

    await model.complete(
      request({
        messages: [
          { role: 'user', content: 'any pods?' },
          { role: 'assistant', content: '', toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: 'call_7', name: 'list_pods', content: '[]' },
        ],
        tools,
      }),
    );
    expect(last().body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_7', function: { name: 'list_pods', arguments: { namespace: 'kube-system' } } }],
      },
      { role: 'tool', content: '[]', tool_name: 'list_pods', tool_call_id: 'call_7' },
    ]);
  });

  it('a tool call without an id (older Ollama) gets a unique one', async () => {
    next = [{ toolCalls: [{ name: 'a' }, { name: 'b', arguments: { x: 1 } }] }];
    const { toolCalls } = await (await ollama()).complete(request());
    expect(toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['a', '{}'],
      ['b', '{"x":1}'],
    ]);
    expect(toolCalls[0].id).toMatch(/^call_[0-9a-f-]{36}$/);
    expect(toolCalls[0].id).not.toBe(toolCalls[1].id);
  });

  it('an image as base64 in images, a text file in the content', async () => {
    const png = Buffer.from('\x89PNG fake').toString('base64');
    await (
      await ollama()
    ).complete(
      request({
        messages: [
          {
            role: 'user',
            content: 'what is this?',
            attachments: [
              { mimeType: 'image/png', data: png, name: 'a.png' },
              { mimeType: 'text/plain', data: Buffer.from('hello file').toString('base64'), name: 'n.txt' },
            ],
          },
        ],
      }),
    );
    expect(last().body.messages).toEqual([
      {
        role: 'user',
        content: 'what is this?\n\nAttached file n.txt (text/plain):\nhello file',
        images: [png],
      },
    ]);
  });

  it('usage from prompt_eval_count / eval_count', async () => {
    next = [{ text: 'counted', usage: { prompt_tokens: 42, completion_tokens: 7 } }];
    expect((await (await ollama()).complete(request())).usage).toEqual({ input: 42, output: 7 });
  });

  it('the headers, the host with or without /v1 or a scheme, and reasoning_effort as think', async () => {
    await (
      await ollama({ base_url: llm.url, headers: { 'X-Team': 'sre', 'User-Agent': 'kagent/1.0' } }, {})
    ).complete(request());
    expect(last().path).toBe('/api/chat');
    expect(last().headers['x-team']).toBe('sre');
    expect(last().headers['user-agent']).toBe('kagent/1.0');
    expect(last().headers.authorization).toBeUndefined();
    await (
      await ollama({ reasoning_effort: 'none' }, { OLLAMA_API_BASE: host().replace('http://', '') })
    ).complete(request());
    expect(last().body.think).toBe(false);
    await expect(ollama({ reasoning_effort: 'xhigh' })).rejects.toThrow(/reasoning_effort: Ollama takes none, low/);
  });
});

describe('streaming (NDJSON)', () => {
  it('text deltas reach onText, tool calls and usage come with the lines', async () => {
    next = [
      {
        text: 'the pod is crashing',
        toolCalls: [{ name: 'logs', arguments: { pod: 'p' } }],
        usage: { prompt_tokens: 3, completion_tokens: 4 },
      },
    ];
    const deltas: string[] = [];
    const result = await (await ollama()).complete(request({ onText: (d) => deltas.push(d) }));
    expect(last().body.stream).toBe(true);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('the pod is crashing');
    expect(result).toMatchObject({ text: 'the pod is crashing', usage: { input: 3, output: 4 } });
    expect(result.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['logs', '{"pod":"p"}']]);
  });

  it('an error line is a stream error with Ollama’s message', async () => {
    next = [{ text: 'partial', streamError: 'model runner has unexpectedly stopped' }];
    await expect((await ollama()).complete(request({ onText: () => undefined }))).rejects.toMatchObject({
      name: 'ModelApiError',
      kind: 'stream',
      message: 'model runner has unexpectedly stopped',
    });
  });

  it('a stream that ends before done fails', async () => {
    const fake = await startFakeHttp((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(`${JSON.stringify({ message: { role: 'assistant', content: 'cut' }, done: false })}\n`);
      return undefined;
    });
    try {
      const model = await createModel({ type: 'ollama', model: 'm', base_url: fake.url }, {});
      await expect(model.complete(request({ onText: () => undefined }))).rejects.toMatchObject({
        name: 'ModelApiError',
        kind: 'stream',
      });
    } finally {
      await fake.close();
    }
  });
});

describe('errors, retries, cancellation', () => {
  const policy = { maxRetries: 2, baseDelayMs: 1, timeoutMs: 5_000 };

  it('a 429 is retried after its Retry-After, with the same options', async () => {
    next = [{ status: 429, headers: { 'retry-after': '1' } }, { text: 'after the wait' }];
    const before = llm.requests.length;
    const model = await ollama({ options: { num_ctx: '2048' } });
    const result = await completeWithRetry(model, request(), policy);
    expect(result.text).toBe('after the wait');
    const [a, b] = llm.requests.slice(before);
    expect(b.at - a.at).toBeGreaterThanOrEqual(950);
    expect(b.body.options).toEqual({ num_ctx: 2048 });
  });

  it("a 400 fails at once with Ollama's message", async () => {
    next = [{ status: 400 }, { text: 'never asked' }];
    const before = llm.requests.length;
    await expect(completeWithRetry(await ollama(), request(), policy)).rejects.toThrow(/mock LLM: scripted 400/);
    expect(llm.requests.length - before).toBe(1);
    next = [];
  });

  it("a 404 keeps Ollama's own error text and status", async () => {
    next = [{ status: 404 }];
    await expect((await ollama()).complete(request())).rejects.toMatchObject({
      name: 'ModelApiError',
      kind: 'http',
      status: 404,
      message: 'mock LLM: scripted 404',
    });
  });

  it('a refused connection is a network error naming the server', async () => {
    const closed = await startFakeHttp(() => ({ body: {} }));
    await closed.close();
    const model = await createModel({ type: 'ollama', model: 'm', base_url: closed.url }, {});
    await expect(model.complete(request())).rejects.toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it('an aborted call rejects with the abort reason, streamed or not', async () => {
    for (const onText of [undefined, () => undefined]) {
      next = [{ text: 'late', delayMs: 2_000 }];
      const ctl = new AbortController();
      const started = Date.now();
      setTimeout(() => ctl.abort(new Error('cancelled by the user')), 100);
      await expect((await ollama()).complete(request({ signal: ctl.signal, onText }))).rejects.toThrow(
        'cancelled by the user',
      );
      expect(Date.now() - started).toBeLessThan(1_500);
    }
  });
});

describe('TLS (the model HTTP stack)', () => {
  let url = '';
  let caPem = '';
  let close: () => void = () => undefined;
  beforeAll(async () => {
    const certs = await generateCerts({ ip: ['127.0.0.1'] });
    caPem = certs.caCert;
    const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ model: 'm', message: { role: 'assistant', content: 'secure' }, done: true }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('a self-signed Ollama is refused by default, trusted with its CA and no system CAs, or with skip-verify', async () => {
    await expect(
      (await createModel({ type: 'ollama', model: 'm', base_url: url }, {})).complete(request()),
    ).rejects.toMatchObject({
      kind: 'network',
    });
    const ca = join(await mkdtemp(join(tmpdir(), 'ollama-ca-')), 'ca.crt');
    await writeFile(ca, caPem);
    const trusted = await createModel(
      { type: 'ollama', model: 'm', base_url: url, tls_ca_cert_path: ca, tls_disable_system_cas: true },
      {},
    );
    expect((await trusted.complete(request())).text).toBe('secure');
    const skipped = await createModel(
      { type: 'ollama', model: 'm', base_url: url, tls_insecure_skip_verify: true },
      {},
    );
    expect((await skipped.complete(request())).text).toBe('secure');
  });
});

const send = (text: string) => ({
  tenant: '',
  message: userMessage(text),
  configuration: undefined,
  metadata: undefined,
});

describe('end to end: the list_pods scenario with an Ollama model through the A2A client', () => {
  let scenario: MockLlm;
  let mcp: McpTestServer;
  let rt: Awaited<ReturnType<typeof startAgent>>;
  beforeAll(async () => {
    scenario = await startMockLlm(podScript);
    mcp = await startMcpServer();
    rt = await startAgent(
      baseConfig(scenario.url, {
        model: { type: 'ollama', model: 'qwen3:8b', options: { num_ctx: '16384', temperature: '0' } },
        stream: true,
        http_tools: [{ params: { url: mcp.url }, tools: ['list_pods'] }],
      }),
      { OLLAMA_API_BASE: scenario.url.replace(/\/v1$/, '') },
    );
  });
  afterAll(async () => {
    await rt?.close();
    await mcp?.close();
    await scenario?.close();
  });

  it('the tool runs, the answer names the pod, every call carried the options, tokens are counted', async () => {
    const client = await clientFor(rt.url);
    const events = [];
    for await (const ev of client.sendMessageStream(send('Is any pod unhealthy?'))) events.push(ev);
    const updates = events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? [e.payload.value] : []));
    expect(updates[updates.length - 1].status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const deltas = updates
      .filter((u) => u.status?.state === TaskState.TASK_STATE_WORKING)
      .map((u) => textOf(u.status?.message))
      .join('');
    expect(deltas).toContain('CrashLoopBackOff');
    expect(mcp.calls.map((c) => c.tool)).toEqual(['list_pods']);
    expect(scenario.requests.map((r) => [r.path, r.body.stream, r.body.options])).toEqual([
      ['/api/chat', true, { num_ctx: 16384, temperature: 0 }],
      ['/api/chat', true, { num_ctx: 16384, temperature: 0 }],
    ]);
    const second = scenario.requests[1].body.messages;
    expect(second[0]).toEqual({ role: 'system', content: expect.stringContaining('Kubernetes assistant') });
    expect(second[second.length - 1]).toMatchObject({ role: 'tool', tool_name: 'list_pods' });
    const metrics = await (await fetch(`${rt.url}/metrics`)).text();
    expect(metrics).toMatch(/metagent_runtime_llm_tokens_total\{[^}]*model="qwen3:8b"[^}]*type="input"[^}]*\} 20/);
  });

  it('message/send returns the completed task', async () => {
    const client = await clientFor(rt.url);
    const task = (await client.sendMessage(send('Any unhealthy pod?'))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.status?.message)).toContain('worker-5f6d7c8b9-xyz12');
  });
});
