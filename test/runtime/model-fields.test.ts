// kagent ModelConfig fields the runtime honours, end to end: the sync hook translates the ModelConfig into config.json
// (as kagent writes it), the runtime's model is built from that config, and the request the provider receives carries
// the field — asserted on the body a mock server got. None of them is reported as unsupported any more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { runCase } from '../conformance/harness.js';
import { describeUnsupported } from '../../crds/unsupported.js';
import type { ModelConfig } from '../../contract/config.js';
import { createModel } from '../../runtime/models/registry.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { startFakeHttp, writeAnthropicStream } from '../mocks/fake-http.js';

let llm: MockLlm;
/** A fake Anthropic Messages API and Bedrock Converse API in one: it records bodies and answers "ok". */
let fake: { url: string; bodies: Array<{ path: string; body: Record<string, unknown> }>; close(): Promise<void> };

beforeAll(async () => {
  llm = await startMockLlm(() => ({ text: 'ok' }));
  const bodies: Array<{ path: string; body: Record<string, unknown> }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      bodies.push({ path, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          path.endsWith('/v1/messages')
            ? {
                id: 'msg_1',
                type: 'message',
                role: 'assistant',
                model: 'claude',
                content: [{ type: 'text', text: 'ok' }],
                stop_reason: 'end_turn',
                usage: { input_tokens: 1, output_tokens: 1 },
              }
            : { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, usage: {} },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
});
afterAll(async () => {
  await llm?.close();
  await fake?.close();
});

/** The `model` of config.json the sync hook writes for an Agent on a ModelConfig with this spec. */
function translatedModel(spec: Record<string, unknown>): ModelConfig {
  const parent: KubeObject = {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'a', namespace: 'team', uid: 'u', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { type: 'Declarative', description: 'd', declarative: { systemMessage: 's', modelConfig: 'mc' } },
  };
  const related: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'key', namespace: 'team' },
      data: { k: Buffer.from('x').toString('base64') },
    },
    { apiVersion: 'kagent.dev/v1alpha2', kind: 'ModelConfig', metadata: { name: 'mc', namespace: 'team' }, spec },
  ];
  const res = runCase({ targetObject: 'a', namespace: 'team', objects: [parent, ...related] });
  const secret = res.children.find(
    (c) => c.kind === 'Secret' && (c as { data?: Record<string, string> }).data?.['config.json'],
  ) as unknown as { data: Record<string, string> };
  return (JSON.parse(Buffer.from(secret.data['config.json'], 'base64').toString('utf8')) as { model: ModelConfig })
    .model;
}

const ask = async (cfg: ModelConfig, env: NodeJS.ProcessEnv, apiKey?: string) =>
  (await createModel(cfg, env)).complete({
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
    ],
    tools: [{ name: 'list_pods', description: 'List pods', parameters: { type: 'object' } }],
    signal: AbortSignal.timeout(10_000),
    apiKey,
  });
/**
 * "hello" asked once whole and once streamed, each answered "ok"; the streamed deltas. A caller's Google token
 * (api_key_passthrough's path) stands in for the Google credentials of the Vertex providers.
 */
async function wholeThenStreamed(model: Awaited<ReturnType<typeof createModel>>): Promise<string[]> {
  const req = {
    messages: [{ role: 'user' as const, content: 'hello' }],
    tools: [],
    signal: AbortSignal.timeout(10_000),
    apiKey: 'ya29.token',
  };
  expect((await model.complete(req)).text).toBe('ok');
  const deltas: string[] = [];
  expect((await model.complete({ ...req, onText: (d) => deltas.push(d) })).text).toBe('ok');
  return deltas;
}
const key = { apiKeySecret: 'key', apiKeySecretKey: 'k' };
/** An error's chain of causes, as name/code/message, for asserting what undici reported underneath. */
const causes = (err: unknown): Array<{ name?: string; code?: string; message?: string }> => {
  const out: Array<{ name?: string; code?: string; message?: string }> = [];
  for (
    let e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  )
    out.push({ name: e.name, code: e.code, message: e.message });
  return out;
};
const unsupportedPaths = (spec: Record<string, unknown>) =>
  describeUnsupported('ModelConfig', { spec }).map((u) => u.path);

describe('ModelConfig fields honoured by the runtime', () => {
  it('openAI.maxCompletionTokens is sent as max_completion_tokens', async () => {
    const spec = {
      provider: 'OpenAI',
      model: 'o4-mini',
      ...key,
      openAI: { baseUrl: llm.url, maxCompletionTokens: 777 },
    };
    const cfg = translatedModel(spec);
    expect(cfg.max_completion_tokens).toBe(777);
    await ask(cfg, { OPENAI_API_KEY: 'sk-x' });
    expect(llm.requests.at(-1)!.body).toMatchObject({ model: 'o4-mini', max_completion_tokens: 777 });
    expect(llm.requests.at(-1)!.body.max_tokens).toBeUndefined();
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it("gemini.maxOutputTokens is sent as max_tokens to Google's OpenAI-compatible endpoint", async () => {
    const spec = { provider: 'Gemini', model: 'gemini-2.5-flash', ...key, gemini: { maxOutputTokens: 321 } };
    const cfg = translatedModel(spec);
    expect(cfg.max_output_tokens).toBe(321);
    await ask({ ...cfg, base_url: llm.url }, { GOOGLE_API_KEY: 'g' });
    expect(llm.requests.at(-1)!.body).toMatchObject({ model: 'gemini-2.5-flash', max_tokens: 321 });
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it('geminiVertexAI.maxOutputTokens too (generationConfig.maxOutputTokens of generateContent)', async () => {
    const spec = {
      provider: 'GeminiVertexAI',
      model: 'gemini-2.5-pro',
      geminiVertexAI: { projectID: 'p', location: 'europe-west4', maxOutputTokens: 99 },
    };
    const cfg = translatedModel(spec);
    expect(cfg.max_output_tokens).toBe(99);
    // A caller's token (api_key_passthrough's path) stands in for the Google credentials here.
    await ask({ ...cfg, base_url: llm.url }, {}, 'ya29.token');
    expect(llm.requests.at(-1)!.path).toBe('/v1/publishers/google/models/gemini-2.5-pro:generateContent');
    expect(llm.requests.at(-1)!.body.generationConfig).toEqual({ maxOutputTokens: 99 });
  });

  it('geminiVertexAI temperature, topP, topK, stopSequences, candidateCount and responseMimeType reach generationConfig, whole and streamed', async () => {
    const spec = {
      provider: 'GeminiVertexAI',
      model: 'gemini-2.5-pro',
      geminiVertexAI: {
        projectID: 'p',
        location: 'europe-west4',
        temperature: '0.25',
        topP: '0.9',
        topK: '40',
        stopSequences: ['END'],
        candidateCount: 2,
        responseMimeType: 'application/json',
      },
    };
    const cfg = translatedModel(spec);
    expect(cfg).toEqual({
      type: 'gemini_vertex_ai',
      model: 'gemini-2.5-pro',
      temperature: 0.25,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      candidate_count: 2,
      response_mime_type: 'application/json',
    });
    const deltas = await wholeThenStreamed(await createModel({ ...cfg, base_url: llm.url }, {}));
    expect(deltas.join('')).toBe('ok');
    expect(llm.requests.slice(-2).map((r) => r.path.split(':').at(-1))).toEqual([
      'generateContent',
      'streamGenerateContent',
    ]);
    for (const seen of llm.requests.slice(-2))
      expect(seen.body.generationConfig).toEqual({
        temperature: 0.25,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        candidateCount: 2,
        responseMimeType: 'application/json',
      });
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it('geminiVertexAI responseMimeType is passed to Gemini as given; without generation fields no generationConfig is sent', async () => {
    const cfg: ModelConfig = { type: 'gemini_vertex_ai', model: 'gemini-2.5-pro', response_mime_type: 'text/x.enum' };
    await ask({ ...cfg, base_url: llm.url }, {}, 'ya29.token');
    expect(llm.requests.at(-1)!.body.generationConfig).toEqual({ responseMimeType: 'text/x.enum' });
    await ask({ type: 'gemini_vertex_ai', model: 'g', base_url: llm.url }, {}, 'ya29');
    expect(llm.requests.at(-1)!.body.generationConfig).toBeUndefined();
  });

  it('anthropic.topK is sent as top_k', async () => {
    const spec = {
      provider: 'Anthropic',
      model: 'claude-sonnet-4',
      ...key,
      anthropic: { baseUrl: fake.url, topK: 40 },
    };
    const cfg = translatedModel(spec);
    await ask(cfg, { ANTHROPIC_API_KEY: 'sk-ant' });
    const got = fake.bodies.at(-1)!;
    expect(got.path).toBe('/v1/messages');
    expect(got.body).toMatchObject({ model: 'claude-sonnet-4', top_k: 40 });
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it('anthropicVertexAI temperature, topP, topK, stopSequences and maxTokens reach rawPredict and streamRawPredict', async () => {
    const message = {
      id: 'msg_v',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    const vertex = await startFakeHttp((req, res) => {
      if (!JSON.parse(req.body).stream) return { body: message };
      writeAnthropicStream(res, message, ['o', 'k'], { input: 1, output: 1 });
      return undefined;
    });
    try {
      const spec = {
        provider: 'AnthropicVertexAI',
        model: 'claude-sonnet-4@20250514',
        anthropicVertexAI: {
          projectID: 'p',
          location: 'us-east5',
          temperature: '0.25',
          topP: '0.9',
          topK: '40',
          stopSequences: ['\n\nHuman:', 'END'],
          maxTokens: 1234,
        },
      };
      const cfg = translatedModel(spec);
      expect(cfg).toEqual({
        type: 'gemini_anthropic',
        model: 'claude-sonnet-4@20250514',
        max_tokens: 1234,
        temperature: 0.25,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['\n\nHuman:', 'END'],
      });
      const model = await createModel({ ...cfg, base_url: `${vertex.url}/v1/projects/p/locations/us-east5` }, {});
      expect(await wholeThenStreamed(model)).toEqual(['o', 'k']);
      expect(vertex.seen.map((s) => s.url.split(':').at(-1))).toEqual(['rawPredict', 'streamRawPredict']);
      for (const seen of vertex.seen)
        expect(JSON.parse(seen.body)).toMatchObject({
          max_tokens: 1234,
          temperature: 0.25,
          top_p: 0.9,
          top_k: 40,
          stop_sequences: ['\n\nHuman:', 'END'],
        });
      expect(unsupportedPaths(spec)).toEqual([]);
    } finally {
      await vertex.close();
    }
  });

  it('anthropicVertexAI without them: only the runtime default max_tokens is sent', async () => {
    const vertex = await startFakeHttp(() => ({
      body: {
        id: 'm',
        type: 'message',
        role: 'assistant',
        model: 'c',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    }));
    try {
      const cfg = translatedModel({
        provider: 'AnthropicVertexAI',
        model: 'claude',
        anthropicVertexAI: { projectID: 'p', location: 'us-east5', temperature: '', stopSequences: [] },
      });
      expect(cfg).toEqual({ type: 'gemini_anthropic', model: 'claude' });
      await ask({ ...cfg, base_url: vertex.url }, {}, 'ya29.token');
      const body = JSON.parse(vertex.seen[0].body) as Record<string, unknown>;
      expect(body.max_tokens).toBe(8192); // ADK's AnthropicLlm.max_tokens, what kagent's runtime sends
      for (const k of ['temperature', 'top_p', 'top_k', 'stop_sequences']) expect(body[k], k).toBeUndefined();
    } finally {
      await vertex.close();
    }
  });

  it('bedrock guardrail, promptCaching with cacheTTL and additionalModelRequestFields reach the Converse request', async () => {
    const spec = {
      provider: 'Bedrock',
      model: 'us.anthropic.claude-sonnet-4',
      bedrock: {
        region: 'us-east-1',
        guardrail: { identifier: 'gr-123', version: '2', trace: 'enabled' },
        promptCaching: true,
        cacheTTL: '1h',
        additionalModelRequestFields: { top_k: 50 },
      },
    };
    const cfg = translatedModel(spec);
    await ask({ ...cfg, base_url: fake.url }, { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key' });
    const got = fake.bodies.at(-1)!;
    expect(got.path).toBe('/model/us.anthropic.claude-sonnet-4/converse');
    expect(got.body).toMatchObject({
      system: [{ text: 'be brief' }, { cachePoint: { type: 'default', ttl: '1h' } }],
      toolConfig: { tools: [{ toolSpec: { name: 'list_pods' } }, { cachePoint: { type: 'default', ttl: '1h' } }] },
      guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '2', trace: 'enabled' },
      additionalModelRequestFields: { top_k: 50 },
    });
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it('bedrock without those fields sends none of them', async () => {
    const cfg = translatedModel({ provider: 'Bedrock', model: 'm', bedrock: { region: 'us-east-1' } });
    await ask({ ...cfg, base_url: fake.url }, { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key' });
    const body = fake.bodies.at(-1)!.body;
    expect(body.guardrailConfig).toBeUndefined();
    expect(body.additionalModelRequestFields).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('cachePoint');
  });

  it('openAI.apiFormat: responses calls the Responses API: instructions, input items, tools, max_output_tokens', async () => {
    const spec = {
      provider: 'OpenAI',
      model: 'gpt-5',
      ...key,
      openAI: { baseUrl: llm.url, apiFormat: 'responses', maxCompletionTokens: 500, reasoningEffort: 'low' },
    };
    const cfg = translatedModel(spec);
    expect(cfg.api_format).toBe('responses');
    const model = await createModel(cfg, { OPENAI_API_KEY: 'sk-r' });
    const before = llm.requests.length;
    const result = await model.complete({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'pods?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'list_pods', arguments: '{"ns":"a"}' }] },
        { role: 'tool', toolCallId: 'call_1', name: 'list_pods', content: 'worker is crashing' },
      ],
      tools: [{ name: 'list_pods', description: 'List pods', parameters: { type: 'object' } }],
      signal: AbortSignal.timeout(10_000),
    });
    expect(result).toEqual({ text: 'ok', toolCalls: [], usage: { input: 10, output: 5 } });
    const got = llm.requests[before];
    expect(got.path).toBe('/v1/responses');
    expect(got.headers.authorization).toBe('Bearer sk-r');
    expect(got.body).toEqual({
      model: 'gpt-5',
      instructions: 'be brief',
      input: [
        { role: 'user', content: 'pods?' },
        { type: 'function_call', call_id: 'call_1', name: 'list_pods', arguments: '{"ns":"a"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'worker is crashing' },
      ],
      tools: [
        {
          type: 'function',
          name: 'list_pods',
          description: 'List pods',
          parameters: { type: 'object' },
          strict: false,
        },
      ],
      store: false,
      max_output_tokens: 500,
      reasoning: { effort: 'low' },
      stream: false,
    });
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it('the Responses API streamed: text deltas as they arrive, tool calls from the completed response', async () => {
    const scripted = await startMockLlm([
      { text: 'looking', toolCalls: [{ name: 'list_pods', arguments: { namespace: 'x' }, id: 'call_9' }] },
    ]);
    try {
      const model = await createModel(
        { type: 'openai', model: 'gpt-5', base_url: scripted.url, api_format: 'responses' },
        { OPENAI_API_KEY: 'sk-r' },
      );
      const deltas: string[] = [];
      const result = await model.complete({
        messages: [{ role: 'user', content: 'pods?' }],
        tools: [],
        signal: AbortSignal.timeout(10_000),
        onText: (d) => deltas.push(d),
      });
      expect(deltas.join('')).toBe('looking');
      expect(deltas.length).toBeGreaterThan(1);
      expect(result.toolCalls).toEqual([{ id: 'call_9', name: 'list_pods', arguments: '{"namespace":"x"}' }]);
      expect(scripted.requests[0].body).toMatchObject({ stream: true, input: [{ role: 'user', content: 'pods?' }] });
    } finally {
      await scripted.close();
    }
  });

  it('the Responses API refuses sampling fields it has no parameter for, naming them; a bad api_format too', async () => {
    await expect(createModel({ type: 'openai', model: 'm', api_format: 'responses', seed: 7 }, {})).rejects.toThrow(
      'config.json: model: model.seed: the Responses API (model.api_format: responses) has no such parameter',
    );
    await expect(createModel({ type: 'openai', model: 'm', api_format: 'completions' }, {})).rejects.toThrow(
      'model.api_format: must be "chatCompletions" or "responses", got "completions"',
    );
  });

  it('a 429 with Retry-After from the Responses API carries the wait (one retry layer for both formats)', async () => {
    const scripted = await startMockLlm([{ status: 429, headers: { 'retry-after': '7' } }]);
    try {
      const model = await createModel(
        { type: 'openai', model: 'gpt-5', base_url: scripted.url, api_format: 'responses' },
        { OPENAI_API_KEY: 'sk-r' },
      );
      await expect(
        model.complete({ messages: [{ role: 'user', content: 'x' }], tools: [], signal: AbortSignal.timeout(10_000) }),
      ).rejects.toMatchObject({ name: 'ModelApiError', status: 429, retryAfterMs: 7_000 });
    } finally {
      await scripted.close();
    }
  });

  it('bedrock readTimeout and connectTimeout reach config.json as kagent writes them', () => {
    const spec = {
      provider: 'Bedrock',
      model: 'm',
      bedrock: { region: 'us-east-1', readTimeout: 120, connectTimeout: 5 },
    };
    expect(translatedModel(spec)).toMatchObject({ read_timeout: 120, connect_timeout: 5 });
    expect(unsupportedPaths(spec)).toEqual([]);
  });

  it('bedrock read_timeout bounds the wait for an answer: a slower one fails, a quicker one passes', async () => {
    const slow = createServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'late' }] } }, usage: {} }));
      }, 1800);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const base_url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    try {
      const cfg = (read_timeout: number): ModelConfig => ({
        type: 'bedrock',
        model: 'm',
        region: 'us-east-1',
        base_url,
        read_timeout,
      });
      const started = Date.now();
      const err = (await ask(cfg(1), { AWS_BEARER_TOKEN_BEDROCK: 'k' }).catch((e: Error) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(Date.now() - started).toBeLessThan(1700);
      expect(JSON.stringify(causes(err))).toMatch(/UND_ERR_HEADERS_TIMEOUT/);
      expect((await ask(cfg(5), { AWS_BEARER_TOKEN_BEDROCK: 'k' })).text).toBe('late');
    } finally {
      slow.closeAllConnections();
      await new Promise((r) => slow.close(r));
    }
  });

  it('bedrock connect_timeout bounds connecting: a TLS server that never answers the handshake fails at it', async () => {
    // Accepts TCP and then stays silent, so the TLS handshake never completes.
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const base_url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const err = (await ask(
        { type: 'bedrock', model: 'm', region: 'us-east-1', base_url, connect_timeout: 1 },
        { AWS_BEARER_TOKEN_BEDROCK: 'k' },
      ).catch((e: Error) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(JSON.stringify(causes(err))).toMatch(/UND_ERR_CONNECT_TIMEOUT/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("ollama.options reach Ollama's /api/chat typed (num_ctx a number, use_mlock a boolean)", async () => {
    const spec = {
      provider: 'Ollama',
      model: 'llama3.2',
      ollama: { host: llm.url.replace(/\/v1$/, ''), options: { num_ctx: '8192', use_mlock: 'true', top_k: '30' } },
    };
    const cfg = translatedModel(spec);
    expect(cfg.options).toEqual({ num_ctx: '8192', use_mlock: 'true', top_k: '30' });
    await ask(cfg, { OLLAMA_API_BASE: spec.ollama.host });
    expect(llm.requests.at(-1)!.path).toBe('/api/chat');
    expect(llm.requests.at(-1)!.body.options).toEqual({ num_ctx: 8192, use_mlock: true, top_k: 30 });
    expect(unsupportedPaths(spec)).toEqual([]);
  });
});
