// Gemini on Vertex AI: Google access tokens, by google-auth-library, from a service-account key (a JWT whose signature
// the fake token endpoint checks with the key's public half), an authorized-user file, an external_account file
// (workload identity federation through a fake STS), or the metadata server (GCE_METADATA_HOST, read by the library
// from the process environment) — cached until five minutes before they expire — sent as the bearer key to Vertex's
// native generateContent API (against the mock LLM: the URL, generationConfig, tool calls with their thoughtSignature,
// streaming, Google's errors, retries); and the failures, which name the source. No network: every Google endpoint is
// local.
import type { ServerResponse } from 'node:http';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { googleTokenSource } from '../../runtime/models/google-credentials.js';
import { vertexProjectBase } from '../../runtime/models/vertex.js';
import { createModel } from '../../runtime/models/registry.js';
import { completeWithRetry } from '../../runtime/models/retry.js';
import type { ChatMessage, ChatRequest } from '../../runtime/models/types.js';
import { startMockLlm, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import {
  startFakeHttp,
  startFakeMetadata,
  writeAnthropicStream,
  type FakeAnswer,
  type FakeHttp,
  type SeenRequest,
} from '../mocks/fake-http.js';

type Seen = SeenRequest;

const fakes: FakeHttp[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  for (const f of fakes.splice(0)) await f.close();
});

/** A metadata server the library finds through GCE_METADATA_HOST (it reads the process environment). */
async function metadataServer(token: string): Promise<FakeHttp> {
  const f = await startFakeMetadata(token);
  fakes.push(f);
  vi.stubEnv('GCE_METADATA_HOST', f.host);
  return f;
}
/**
 * google-auth-library sends service-account and authorized-user exchanges to Google's fixed token URL (not the file's
 * token_uri): this fetch, handed to the token source as the model's fetch would be, delivers them to the fake.
 */
const toFakeGoogle =
  (f: FakeHttp): typeof fetch =>
  (input, init) =>
    fetch(String(input instanceof Request ? input.url : input).replace('https://oauth2.googleapis.com', f.url), init);
const tokenRequests = (f: FakeHttp) => f.seen.filter((s) => s.url.includes('/service-accounts/default/token'));

async function fake(answer: (req: Seen, res: ServerResponse) => FakeAnswer | undefined): Promise<FakeHttp> {
  const f = await startFakeHttp(answer);
  fakes.push(f);
  return f;
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

async function keyFile(content: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'gcp-')), 'key.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A workload identity federation file: its subject token in a file, exchanged at the fake STS `sts`. */
async function externalAccountFile(sts: FakeHttp): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gcp-'));
  await writeFile(join(dir, 'subject'), 'oidc-subject-token');
  return keyFile({
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${sts.url}/v1/token`,
    credential_source: { file: join(dir, 'subject') },
  });
}

/** A token endpoint that checks the service-account JWT and answers tokens tok-1, tok-2, ... */
async function tokenEndpoint() {
  let n = 0;
  return fake((req) => {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') === 'refresh_token')
      return { body: { access_token: `user-tok-${++n}`, expires_in: 3599 } };
    const [h, c, sig] = (form.get('assertion') ?? '').split('.');
    const valid = createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, sig, 'base64url');
    if (!valid) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
    return { body: { access_token: `tok-${++n}`, expires_in: 3599, token_type: 'Bearer' } };
  });
}

const vertexAnswer = {
  body: {
    candidates: [{ content: { role: 'model', parts: [{ text: 'hello from vertex' }] }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4 },
  },
};
const ask = (model: Awaited<ReturnType<typeof createModel>>) =>
  model.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [], signal: AbortSignal.timeout(5_000) });

describe('gemini_vertex_ai', () => {
  it('exchanges an external_account subject token at its token_url, sends the token to generateContent, and reuses it', async () => {
    const sts = await fake(() => ({
      body: {
        access_token: 'fed-1',
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        expires_in: 3600,
      },
    }));
    const vertex = await fake(() => vertexAnswer);
    const file = await externalAccountFile(sts);
    const model = await createModel(
      {
        type: 'gemini_vertex_ai',
        model: 'gemini-2.5-pro',
        base_url: `${vertex.url}/v1/projects/p/locations/europe-west4/endpoints/openapi`,
      },
      { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: 'p' },
    );
    expect((await ask(model)).text).toBe('hello from vertex');
    await ask(model);
    expect(sts.seen).toHaveLength(1);
    // A base_url written for the OpenAI-compatible endpoint names the same project and location.
    const url = '/v1/projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent';
    expect(vertex.seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      [url, 'Bearer fed-1'],
      [url, 'Bearer fed-1'],
    ]);
    expect(JSON.parse(vertex.seen[0].body)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it('builds the regional and the global endpoint from GOOGLE_CLOUD_PROJECT / _LOCATION, and refuses to start without them', async () => {
    expect(vertexProjectBase('my-proj', 'us-central1')).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1',
    );
    expect(vertexProjectBase('my-proj', 'global')).toBe(
      'https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global',
    );
    await expect(
      createModel({ type: 'gemini_vertex_ai', model: 'gemini-2.5-pro' }, { GOOGLE_CLOUD_PROJECT: 'p' }),
    ).rejects.toThrow(/config\.json: model: gemini_vertex_ai needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION/);
  });

  it('without a key file, asks the metadata server (GKE Workload Identity)', async () => {
    const metadata = await metadataServer('wi-token');
    const vertex = await fake(() => vertexAnswer);
    const model = await createModel(
      { type: 'gemini_vertex_ai', model: 'google/gemini-2.0-flash', base_url: vertex.url },
      { GOOGLE_CLOUD_PROJECT: 'p' },
    );
    await ask(model);
    const [tokenCall] = tokenRequests(metadata);
    expect(tokenCall.method).toBe('GET');
    expect(new URL(tokenCall.url, 'http://x').pathname).toBe(
      '/computeMetadata/v1/instance/service-accounts/default/token',
    );
    expect(new URL(tokenCall.url, 'http://x').searchParams.get('scopes')).toBe(
      'https://www.googleapis.com/auth/cloud-platform',
    );
    expect(tokenCall.headers['metadata-flavor']).toBe('Google');
    expect(vertex.seen[0].headers.authorization).toBe('Bearer wi-token');
    // The OpenAI-compatible endpoint's "google/<model>" name is the Google-published model.
    expect(vertex.seen[0].url).toBe('/publishers/google/models/gemini-2.0-flash:generateContent');
  });
});

describe('gemini_vertex_ai: the native generateContent API (against the mock LLM)', () => {
  let llm: MockLlm;
  /** The answers of this test's requests, in order (the mock's own request index runs on across tests). */
  let queue: MockTurn[] = [];
  const turns = (...t: MockTurn[]) => {
    queue = t;
    llm.requests.length = 0;
  };
  const pathOf = (i: number) => llm.requests[i].path.replace(/^\/v1/, '');
  const call = (model: Awaited<ReturnType<typeof createModel>>, req: Partial<ChatRequest>) =>
    model.complete({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [],
      signal: AbortSignal.timeout(5_000),
      ...req,
    });

  beforeEach(async () => {
    llm ??= await startMockLlm(() => queue.shift() ?? { status: 500 });
  });
  afterAll(async () => llm?.close());

  const tools = [{ name: 'list_pods', description: 'List pods', parameters: { type: 'object', properties: {} } }];

  it.each([['whole'], ['streamed']])(
    '%s: the URL names project, location and model; generationConfig, headers, the bearer; a tool-call round trip echoes the thoughtSignature',
    async (mode) => {
      const streamed = mode === 'streamed';
      turns({ toolCalls: [{ name: 'list_pods', arguments: { ns: 'default' } }] }, { text: 'two pods running' });
      const metadata = await metadataServer('wi-token');
      const model = await createModel(
        {
          type: 'gemini_vertex_ai',
          model: 'gemini-2.5-pro',
          base_url: `${llm.url}/projects/my-proj/locations/us-central1`,
          headers: { 'X-Team': 'sre' },
          temperature: 0.2,
          top_k: 40,
          max_output_tokens: 128,
        },
        {},
      );
      const deltas: string[] = [];
      const onText = streamed ? (d: string) => deltas.push(d) : undefined;
      const messages: ChatMessage[] = [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'pods?' },
      ];
      const first = await call(model, { messages, tools, onText });
      expect(first).toEqual({
        text: '',
        toolCalls: [
          {
            id: 'call_0',
            name: 'list_pods',
            arguments: '{"ns":"default"}',
            thoughtSignature: expect.stringMatching(/^sig-\d+-0$/),
          },
        ],
        usage: { input: 10, output: 5 },
      });
      messages.push(
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_0', name: 'list_pods', content: '{"pods":2}' },
      );
      const second = await call(model, { messages, tools, onText });
      expect(second.text).toBe('two pods running');
      if (streamed) expect(deltas.length).toBeGreaterThan(1);
      if (streamed) expect(deltas.join('')).toBe('two pods running');
      const verb = streamed ? 'streamGenerateContent' : 'generateContent';
      expect([pathOf(0), pathOf(1)]).toEqual(
        Array(2).fill(`/projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.5-pro:${verb}`),
      );
      for (const r of llm.requests) {
        expect(r.headers.authorization).toBe('Bearer wi-token');
        expect(r.headers['x-team']).toBe('sre');
        expect(r.body).toMatchObject({
          systemInstruction: { parts: [{ text: 'be brief' }] },
          generationConfig: { temperature: 0.2, topK: 40, maxOutputTokens: 128 },
          tools: [{ functionDeclarations: [{ name: 'list_pods', parametersJsonSchema: tools[0].parameters }] }],
        });
      }
      expect(llm.requests[1].body.contents).toEqual([
        { role: 'user', parts: [{ text: 'pods?' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'list_pods', args: { ns: 'default' } },
              thoughtSignature: first.toolCalls[0].thoughtSignature,
            },
          ],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'list_pods', response: { pods: 2 } } }] },
      ]);
      expect(tokenRequests(metadata)).toHaveLength(1);
    },
  );

  it("a caller's token (api_key_passthrough) wins over the Google credentials", async () => {
    turns({ text: 'ok' });
    const model = await createModel({ type: 'gemini_vertex_ai', model: 'gemini-2.5-flash', base_url: llm.url }, {});
    expect((await call(model, { apiKey: 'ya29.caller' })).text).toBe('ok');
    expect(llm.requests[0].headers.authorization).toBe('Bearer ya29.caller');
  });

  it("an HTTP 400 with Google's error body fails at once with its message and status; a 429 is retried", async () => {
    const model = await createModel({ type: 'gemini_vertex_ai', model: 'gemini-2.5-pro', base_url: llm.url }, {});
    const policy = { maxRetries: 2, baseDelayMs: 1, timeoutMs: 5_000 };
    const req = { messages: [{ role: 'user' as const, content: 'hi' }], tools: [], signal: AbortSignal.timeout(5_000) };
    turns({ status: 400 });
    await expect(completeWithRetry(model, { ...req, apiKey: 'ya29.x' }, policy)).rejects.toMatchObject({
      message:
        'LLM call to gemini_vertex_ai/gemini-2.5-pro failed after 1 attempt(s): HTTP 400: mock LLM: scripted 400',
      status: 400,
    });
    turns({ status: 429 }, { text: 'after the rate limit' });
    const deltas: string[] = [];
    const done = await completeWithRetry(model, { ...req, apiKey: 'ya29.x', onText: (d) => deltas.push(d) }, policy);
    expect(done.text).toBe('after the rate limit');
    expect(llm.requests.map((r) => r.path.split(':').at(-1))).toEqual([
      'streamGenerateContent',
      'streamGenerateContent',
    ]);
  });

  it('a blocked prompt, a stream cut before its finishReason and an error event in the stream fail naming why', async () => {
    const blocked = await fake(() => ({ body: { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } } }));
    const model = await createModel({ type: 'gemini_vertex_ai', model: 'g', base_url: blocked.url }, {});
    await expect(call(model, { apiKey: 'ya29.x' })).rejects.toThrow(
      'Gemini blocked the prompt (blockReason PROHIBITED_CONTENT)',
    );
    const cut = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'par' }] } }] })}\n\n`);
      return undefined;
    });
    const cutModel = await createModel({ type: 'gemini_vertex_ai', model: 'g', base_url: cut.url }, {});
    await expect(call(cutModel, { apiKey: 'ya29.x', onText: () => {} })).rejects.toThrow(
      'the stream ended before the model finished (no finishReason)',
    );
    // An error event in the stream carries Google's code, so a 503 is retryable like the HTTP status.
    const failing = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ error: { code: 503, message: 'The model is overloaded.' } })}\n\n`);
      return undefined;
    });
    const failingModel = await createModel({ type: 'gemini_vertex_ai', model: 'g', base_url: failing.url }, {});
    await expect(call(failingModel, { apiKey: 'ya29.x', onText: () => {} })).rejects.toMatchObject({
      message: 'The model is overloaded.',
      kind: 'stream',
      status: 503,
    });
  });
});

describe('Google token sources (google-auth-library)', () => {
  it('a service-account key: a JWT signed with its key is exchanged for a token, which is reused', async () => {
    const tokens = await tokenEndpoint();
    const file = await keyFile({
      type: 'service_account',
      client_email: 'agent@p.iam.gserviceaccount.com',
      private_key: privateKey,
    });
    const source = googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }, toFakeGoogle(tokens));
    expect(await source.get()).toBe('tok-1');
    expect(await source.get()).toBe('tok-1');
    expect(tokens.seen).toHaveLength(1);
    const form = new URLSearchParams(tokens.seen[0].body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = JSON.parse(Buffer.from(form.get('assertion')!.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      iss: 'agent@p.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: 'https://oauth2.googleapis.com/token',
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('an authorized-user file uses its refresh token; a token is fetched again five minutes before it expires', async () => {
    const tokens = await tokenEndpoint();
    const file = await keyFile({
      type: 'authorized_user',
      client_id: 'cid',
      client_secret: 'cs',
      refresh_token: 'rt',
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const source = googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }, toFakeGoogle(tokens));
    expect(await source.get()).toBe('user-tok-1');
    vi.setSystemTime(start + (3599 - 301) * 1000);
    expect(await source.get()).toBe('user-tok-1');
    vi.setSystemTime(start + (3599 - 299) * 1000);
    expect(await source.get()).toBe('user-tok-2');
    expect(Object.fromEntries(new URLSearchParams(tokens.seen[0].body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'cs',
      refresh_token: 'rt',
    });
  });

  it('an external_account file (workload identity federation) exchanges its subject token at the STS token_url', async () => {
    const sts = await fake((req) => {
      const form = new URLSearchParams(req.body);
      if (form.get('subject_token') !== 'oidc-subject-token')
        return { status: 400, body: { error: 'invalid_grant', error_description: 'bad subject token' } };
      return {
        body: {
          access_token: 'federated-token',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        },
      };
    });
    const file = await externalAccountFile(sts);
    expect(await googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }).get()).toBe('federated-token');
    const form = Object.fromEntries(new URLSearchParams(sts.seen[0].body));
    expect(form).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
      subject_token: 'oidc-subject-token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
  });

  it.each([
    ['a missing file', undefined, /GOOGLE_APPLICATION_CREDENTIALS \/nonexistent\/key\.json: .*ENOENT/],
    ['not JSON', 'not json', /GOOGLE_APPLICATION_CREDENTIALS .*key\.json: .*JSON/],
    // The library reads a file of unknown type as a service account.
    ['an unknown type', { type: 'no_such_type' }, /GOOGLE_APPLICATION_CREDENTIALS .*key\.json: .*client_email/],
    [
      'a service account without a key',
      { type: 'service_account', client_email: 'a@b' },
      /GOOGLE_APPLICATION_CREDENTIALS .*key\.json: .*private_key/,
    ],
  ])('%s is an error naming the file', async (_name, content, message) => {
    const file = content === undefined ? '/nonexistent/key.json' : await keyFile(content);
    await expect(googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }).get()).rejects.toThrow(message);
  });

  it('a key that is not RSA fails with the file named and no key in the message', async () => {
    const file = await keyFile({ type: 'service_account', client_email: 'a@b', private_key: 'not-a-key' });
    const err = (await googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file })
      .get()
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^vertex: GOOGLE_APPLICATION_CREDENTIALS .*key\.json: /);
    expect(err.message).not.toContain('not-a-key');
  });

  it("a refused exchange carries the endpoint's reason, not the key", async () => {
    const tokens = await fake(() => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    }));
    const file = await keyFile({
      type: 'service_account',
      client_email: 'a@b',
      private_key: privateKey,
    });
    const err = (await googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }, toFakeGoogle(tokens))
      .get()
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/key\.json: invalid_grant: Invalid JWT Signature\./);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(err.message).not.toContain(new URLSearchParams(tokens.seen[0].body).get('assertion'));
  });

  it('with no key file and no reachable metadata server, the error says no credentials were found', async () => {
    vi.stubEnv('GCE_METADATA_HOST', '127.0.0.1:1');
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '');
    vi.stubEnv('CLOUDSDK_CONFIG', await mkdtemp(join(tmpdir(), 'gcloud-')));
    await expect(googleTokenSource({}).get()).rejects.toThrow(
      /^vertex: Application Default Credentials .*: (Could not load the default credentials|.*ECONNREFUSED)/,
    );
  });
});

describe('gemini_anthropic (Claude on Vertex)', () => {
  it("re-addresses the SDK's Messages calls to rawPredict / streamRawPredict with Vertex's anthropic_version and a Google token", async () => {
    const metadata = await metadataServer('wi-token');
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'from claude on vertex' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 5 },
    };
    const vertex = await fake((req, res) => {
      if (!JSON.parse(req.body).stream) return { body: message };
      writeAnthropicStream(res, message, ['from claude ', 'on vertex'], { input: 7, output: 5 });
      return undefined;
    });
    const base = `${vertex.url}/v1/projects/p/locations/us-east5`;
    const seen = vertex.seen;
    const model = await createModel(
      { type: 'gemini_anthropic', model: 'claude-sonnet-4@20250514', base_url: base, max_tokens: 256 },
      { GOOGLE_CLOUD_PROJECT: 'p' },
    );
    const req = {
      messages: [
        { role: 'system' as const, content: 'sys' },
        { role: 'user' as const, content: 'hi' },
      ],
      tools: [],
      signal: AbortSignal.timeout(5_000),
    };
    const expected = { text: 'from claude on vertex', toolCalls: [], usage: { input: 7, output: 5 } };
    expect(await model.complete(req)).toEqual(expected);
    const deltas: string[] = [];
    expect(await model.complete({ ...req, onText: (d) => deltas.push(d) })).toEqual(expected);
    expect(deltas).toEqual(['from claude ', 'on vertex']);
    expect(seen.map((s) => s.url)).toEqual([
      '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4%4020250514:rawPredict',
      '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4%4020250514:streamRawPredict',
    ]);
    for (const s of seen) {
      expect(s.headers.authorization).toBe('Bearer wi-token');
      expect(s.headers['x-api-key']).toBeUndefined();
      const body = JSON.parse(s.body);
      expect(body.model).toBeUndefined();
      expect(body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', system: 'sys', max_tokens: 256 });
    }
    expect(tokenRequests(metadata)).toHaveLength(1);
  });

  it('refuses to start without GOOGLE_CLOUD_PROJECT / _LOCATION', async () => {
    await expect(
      createModel({ type: 'gemini_anthropic', model: 'claude' }, { GOOGLE_CLOUD_LOCATION: 'us-east5' }),
    ).rejects.toThrow(/gemini_anthropic needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION/);
  });
});
