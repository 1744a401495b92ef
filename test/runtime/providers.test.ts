// The provider table: every OpenAI-compatible provider reaches the right URL with the right credentials and the
// kagent sampling fields, Anthropic's message mapping keeps tool turns paired, and TLS options are honoured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import { signV4 } from '../../runtime/models/sigv4.js';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { createModel, providers } from '../../runtime/models/registry.js';
import { toAnthropic } from '../../runtime/models/anthropic.js';
import { completeWithRetry } from '../../runtime/models/retry.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';

let llm: MockLlm;
beforeAll(async () => {
  llm = await startMockLlm(() => ({ text: 'hi' }));
});
afterAll(async () => llm?.close());

const ask = async (model: ReturnType<typeof createModel>) =>
  (await model).complete({
    messages: [{ role: 'user', content: 'hello' }],
    tools: [],
    signal: AbortSignal.timeout(5_000),
  });
const root = () => llm.url.replace(/\/v1$/, '');

describe('provider table', () => {
  it('has the kagent providers', () => {
    expect(Object.keys(providers).sort()).toEqual([
      'anthropic',
      'azure_openai',
      'bedrock',
      'gemini',
      'gemini_anthropic',
      'gemini_vertex_ai',
      'ollama',
      'openai',
    ]);
  });

  it('openai sends the key, headers and sampling fields', async () => {
    const model = createModel(
      {
        type: 'openai',
        model: 'gpt-4o',
        base_url: llm.url,
        headers: { 'User-Agent': 'kagent/1.0', 'X-Team': 'sre' },
        temperature: 0.7,
        top_p: 0.95,
        max_tokens: 1024,
        reasoning_effort: 'low',
      },
      { OPENAI_API_KEY: 'sk-1' },
    );
    expect((await ask(model)).text).toBe('hi');
    const req = llm.requests[llm.requests.length - 1];
    expect(req.headers.authorization).toBe('Bearer sk-1');
    expect(req.headers['x-team']).toBe('sre');
    expect(req.body).toMatchObject({
      model: 'gpt-4o',
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 1024,
      reasoning_effort: 'low',
    });
  });

  it('azure_openai uses the deployment path, api-version and api-key header', async () => {
    const model = createModel(
      { type: 'azure_openai', model: 'my-deployment' },
      { AZURE_OPENAI_API_KEY: 'az-1', AZURE_OPENAI_ENDPOINT: root(), OPENAI_API_VERSION: '2024-10-21' },
    );
    await ask(model);
    const req = llm.requests[llm.requests.length - 1];
    expect(req.path).toBe('/openai/deployments/my-deployment/chat/completions');
    expect(req.headers['api-key']).toBe('az-1');
  });

  it('azure_openai builds the URL the openai SDK built: endpoint, base_url, a base_url naming a deployment; api-version in the query', async () => {
    const urls: string[] = [];
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        urls.push(`${req.url} ${String(req.headers['api-key'])} ${String(req.headers['openai-organization'] ?? '-')}`);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { AZURE_OPENAI_API_KEY: 'az-2', OPENAI_ORG_ID: 'org-not-for-azure' };
      await ask(
        createModel(
          { type: 'azure_openai', model: 'dep' },
          { ...env, AZURE_OPENAI_ENDPOINT: `${host}//`, OPENAI_API_VERSION: '2024-06-01' },
        ),
      );
      await ask(createModel({ type: 'azure_openai', model: 'dep', base_url: `${host}/openai` }, env));
      await ask(
        createModel({ type: 'azure_openai', model: 'dep', base_url: `${host}/openai/deployments/other/` }, env),
      );
      await ask(
        createModel(
          {
            type: 'azure_openai',
            model: 'dep',
            azure_deployment: 'd2',
            api_version: '2025-01-01-preview',
            azure_endpoint: host,
          },
          { AZURE_OPENAI_DEPLOYMENT_NAME: 'd3' },
        ),
      );
      expect(urls).toEqual([
        '/openai/deployments/dep/chat/completions?api-version=2024-06-01 az-2 -',
        '/openai/deployments/dep/chat/completions?api-version=2024-10-21 az-2 -',
        '/openai/deployments/other/chat/completions?api-version=2024-10-21 az-2 -',
        '/openai/deployments/d2/chat/completions?api-version=2025-01-01-preview unset -',
      ]);
    } finally {
      server.close();
    }
  });

  it('azure_openai with both base_url and an endpoint is a config error (as with the openai SDK)', async () => {
    await expect(
      createModel(
        { type: 'azure_openai', model: 'd', base_url: 'https://x.example/openai' },
        { AZURE_OPENAI_ENDPOINT: 'https://y.example' },
      ),
    ).rejects.toThrow(/config\.json: model: azure_openai: model\.base_url and the endpoint .* are mutually exclusive/);
  });

  it('openai: OPENAI_API_BASE when no base_url, OpenAI-Organization and OpenAI-Project from the env', async () => {
    await ask(
      createModel(
        { type: 'openai', model: 'gpt-4o' },
        { OPENAI_API_KEY: 'sk-2', OPENAI_API_BASE: `${llm.url}/`, OPENAI_ORG_ID: 'org-2', OPENAI_PROJECT_ID: 'proj-2' },
      ),
    );
    const req = llm.requests[llm.requests.length - 1];
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers).toMatchObject({
      authorization: 'Bearer sk-2',
      'openai-organization': 'org-2',
      'openai-project': 'proj-2',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it("ollama goes to <host>/api/chat, Ollama's native API (OLLAMA_API_BASE), without a key", async () => {
    await ask(createModel({ type: 'ollama', model: 'llama3' }, { OLLAMA_API_BASE: root() }));
    expect(llm.requests[llm.requests.length - 1].path).toBe('/api/chat');
    expect(llm.requests[llm.requests.length - 1].headers.authorization).toBeUndefined();
  });

  it('gemini uses GOOGLE_API_KEY against the OpenAI-compatible endpoint', async () => {
    await ask(createModel({ type: 'gemini', model: 'gemini-2.0-flash', base_url: llm.url }, { GOOGLE_API_KEY: 'g-1' }));
    expect(llm.requests[llm.requests.length - 1].headers.authorization).toBe('Bearer g-1');
  });

  it('azure_openai without an endpoint is a config error', async () => {
    await expect(createModel({ type: 'azure_openai', model: 'd' }, {})).rejects.toThrow(
      /config\.json: model: azure_openai needs an endpoint/,
    );
  });

  it('bedrock without credentials fails the call with a clear message', async () => {
    // Instance metadata, the last source, is turned off here (aws-credentials.test.ts covers it).
    const model = createModel(
      { type: 'bedrock', model: 'us.anthropic.claude', region: 'us-east-1' },
      { AWS_EC2_METADATA_DISABLED: 'true' },
    );
    await expect(ask(model)).rejects.toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it("bedrock signs Converse calls with SigV4 from kagent's AWS env vars and maps tool use", async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers as Record<string, string>, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            output: {
              message: {
                role: 'assistant',
                content: [
                  { text: 'checking' },
                  { toolUse: { toolUseId: 'tu1', name: 'list_pods', input: { namespace: 'x' } } },
                ],
              },
            },
            usage: { inputTokens: 11, outputTokens: 3 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const model = await createModel(
        { type: 'bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', region: 'us-east-1', base_url: base },
        { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret/key', AWS_SESSION_TOKEN: 'sess' },
      );
      const result = await model.complete({
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'pods?' },
        ],
        tools: [{ name: 'list_pods', description: 'd', parameters: { type: 'object' } }],
        signal: AbortSignal.timeout(5_000),
      });
      expect(result).toEqual({
        text: 'checking',
        toolCalls: [{ id: 'tu1', name: 'list_pods', arguments: '{"namespace":"x"}' }],
        usage: { input: 11, output: 3 },
      });
      const got = seen[0];
      expect(got.url).toBe('/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse');
      expect(JSON.parse(got.body)).toMatchObject({
        system: [{ text: 'sys' }],
        messages: [{ role: 'user', content: [{ text: 'pods?' }] }],
        toolConfig: { tools: [{ toolSpec: { name: 'list_pods' } }] },
      });
      expect(got.headers['x-amz-security-token']).toBe('sess');
      // Recompute the signature from what arrived: the server side of SigV4.
      const date = got.headers['x-amz-date'];
      const now = new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      );
      const expected = await signV4({
        method: 'POST',
        url: `${base}${got.url}`,
        headers: { 'content-type': 'application/json' },
        body: got.body,
        region: 'us-east-1',
        service: 'bedrock',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/key', sessionToken: 'sess' },
        now,
      });
      expect(got.headers.authorization).toBe(expected.authorization);
      expect(got.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, /,
      );
    } finally {
      server.close();
    }
  });

  it('SigV4 matches the AWS test suite (get-vanilla)', async () => {
    const h = await signV4({
      method: 'GET',
      url: 'https://example.amazonaws.com/',
      headers: {},
      body: '',
      region: 'us-east-1',
      service: 'service',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: new Date('2015-08-30T12:36:00Z'),
    });
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});

describe('anthropic provider against a fake Messages API', () => {
  it('sends the API key, system, tools and sampling; reads text and tool_use (plain and streamed)', async () => {
    const seen: Array<{ headers: Record<string, string>; body: any }> = [];
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [
        { type: 'text', text: 'let me look' },
        { type: 'tool_use', id: 'tu_1', name: 'list_pods', input: { namespace: 'x' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 4 },
    };
    const server = createHttpServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw);
        seen.push({ headers: req.headers as Record<string, string>, body });
        if (!body.stream) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const ev = (type: string, data: object) =>
          res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
        ev('message_start', { message: { ...message, content: [], usage: { input_tokens: 9, output_tokens: 0 } } });
        ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'let me ' } });
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'look' } });
        ev('content_block_stop', { index: 0 });
        ev('content_block_start', {
          index: 1,
          content_block: { type: 'tool_use', id: 'tu_1', name: 'list_pods', input: {} },
        });
        ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"namespace":' } });
        ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"x"}' } });
        ev('content_block_stop', { index: 1 });
        ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 4 } });
        ev('message_stop', {});
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const model = await createModel(
        {
          type: 'anthropic',
          model: 'claude-3-5-sonnet',
          base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          temperature: 0.2,
          max_tokens: 512,
        },
        { ANTHROPIC_API_KEY: 'ak-1' },
      );
      const req = {
        messages: [
          { role: 'system' as const, content: 'sys' },
          { role: 'user' as const, content: 'pods?' },
        ],
        tools: [{ name: 'list_pods', description: 'd', parameters: { type: 'object' } }],
        signal: AbortSignal.timeout(5_000),
      };
      const expected = {
        text: 'let me look',
        toolCalls: [{ id: 'tu_1', name: 'list_pods', arguments: '{"namespace":"x"}' }],
        usage: { input: 9, output: 4 },
      };
      expect(await model.complete(req)).toEqual(expected);
      const deltas: string[] = [];
      expect(await model.complete({ ...req, onText: (d) => deltas.push(d) })).toEqual(expected);
      expect(deltas).toEqual(['let me ', 'look']);
      expect(seen[0].headers.authorization).toBe('Bearer ak-1'); // this SDK generation sends API keys as a bearer token
      expect(seen[0].body).toMatchObject({
        model: 'claude-3-5-sonnet',
        system: 'sys',
        max_tokens: 512,
        temperature: 0.2,
        tools: [{ name: 'list_pods', input_schema: { type: 'object' } }],
      });
    } finally {
      server.close();
    }
  });
});

describe('anthropic mapping', () => {
  it('keeps tool_use and tool_result paired and the system prompt separate', () => {
    const { system, turns } = toAnthropic([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'pods?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 't1', name: 'list_pods', arguments: '{"namespace":"x"}' },
          { id: 't2', name: 'get_events', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 't1', name: 'list_pods', content: '[]' },
      { role: 'tool', toolCallId: 't2', name: 'get_events', content: '[]' },
    ]);
    expect(system).toBe('be brief');
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user']);
    expect(turns[1].content).toEqual([
      { type: 'tool_use', id: 't1', name: 'list_pods', input: { namespace: 'x' } },
      { type: 'tool_use', id: 't2', name: 'get_events', input: {} },
    ]);
    expect(turns[2].content.map((b) => b.tool_use_id)).toEqual(['t1', 't2']);
  });
});

describe('TLS', () => {
  let url = '';
  let close: () => void = () => undefined;
  let caPem = '';
  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    } as never);
    caPem = pems.cert;
    const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            created: 0,
            model: 'm',
            choices: [{ index: 0, message: { role: 'assistant', content: 'secure' }, finish_reason: 'stop' }],
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('a self-signed server is refused by default', async () => {
    await expect(
      ask(createModel({ type: 'openai', model: 'm', base_url: url }, { OPENAI_API_KEY: 'k' })),
    ).rejects.toThrow();
  });

  it('tls_insecure_skip_verify accepts it', async () => {
    expect(
      (
        await ask(
          createModel(
            { type: 'openai', model: 'm', base_url: url, tls_insecure_skip_verify: true },
            { OPENAI_API_KEY: 'k' },
          ),
        )
      ).text,
    ).toBe('secure');
  });

  it('tls_ca_cert_path with tls_disable_system_cas trusts exactly that CA', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const ca = join(await mkdtemp(join(tmpdir(), 'ca-')), 'ca.crt');
    await writeFile(ca, caPem);
    const model = createModel(
      { type: 'openai', model: 'm', base_url: url, tls_ca_cert_path: ca, tls_disable_system_cas: true },
      { OPENAI_API_KEY: 'k' },
    );
    expect((await ask(model)).text).toBe('secure');
  });

  it('a missing CA file fails the call naming the field', async () => {
    const model = createModel(
      { type: 'openai', model: 'm', base_url: url, tls_ca_cert_path: '/nonexistent/ca.crt' },
      { OPENAI_API_KEY: 'k' },
    );
    const call = completeWithRetry(
      await model,
      { messages: [{ role: 'user', content: 'x' }], tools: [], signal: new AbortController().signal },
      { maxRetries: 0, baseDelayMs: 1, timeoutMs: 5_000 },
    );
    await expect(call).rejects.toThrow(/tls_ca_cert_path: cannot read \/nonexistent\/ca\.crt/);
  });
});
