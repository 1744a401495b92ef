// The ModelProviderConfig status hook: per provider type, the request it makes to a real HTTP server playing the
// provider and the models it reads; the bad paths (401, timeout, malformed JSON, huge lists, Secrets) and that the
// API key never reaches the status.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customizeModelProviderConfig } from '../../sync-hooks/modelproviderconfig/customize.js';
import {
  createModelDiscoverer,
  listModels,
  MAX_MODELS,
  MAX_RESPONSE_BYTES,
} from '../../sync-hooks/modelproviderconfig/discover.js';
import { PROVIDER_DISCOVERY } from '../../sync-hooks/modelproviderconfig/providers.js';
import { syncModelProviderConfig } from '../../sync-hooks/modelproviderconfig/sync.js';
import { PROVIDERS } from '../../crds/schema/modelconfig.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';
import { MODELS_BODY, startMockProvider, type MockProvider } from '../mocks/model-provider.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const KEY = 'sk-test-very-secret-key';

function mpc(spec: Record<string, unknown>, extra: { generation?: number; status?: unknown } = {}): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelProviderConfig',
    metadata: { name: 'prov', namespace: 'team', uid: 'uid-1', generation: extra.generation ?? 1 },
    spec,
    ...(extra.status ? { status: extra.status as Record<string, unknown> } : {}),
  };
}

function secret(name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'team' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

const keySecret = secret('prov-key', { 'api-key': KEY });

function req(parent: KubeObject, related: KubeObject[] = [keySecret]): SyncRequest {
  return { controller: {} as KubeObject, parent, children: {}, related: toObjectMap(related) };
}

const cond = (s: Record<string, unknown>, type: string) =>
  (s.conditions as Record<string, unknown>[]).find((c) => c.type === type)!;

let provider: MockProvider;
beforeAll(async () => {
  provider = await startMockProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  provider.requests.length = 0;
  provider.answer = { body: MODELS_BODY.data([]) };
});

/** A fresh discoverer per sync, so nothing is answered from a previous test's cache. */
const sync = (parent: KubeObject, related?: KubeObject[], now = T0) =>
  syncModelProviderConfig(req(parent, related), { discoverer: createModelDiscoverer(), now });

// One row per provider type: the endpoint path it is given, the URL it asks, the header carrying the key, its shape.
const CASES: {
  type: string;
  endpointPath: string;
  asks: string;
  auth: [string, string] | undefined;
  shape: keyof typeof MODELS_BODY;
  extraHeader?: [string, string];
}[] = [
  { type: 'OpenAI', endpointPath: '/v1', asks: '/v1/models', auth: ['authorization', `Bearer ${KEY}`], shape: 'data' },
  { type: 'OpenAI', endpointPath: '', asks: '/v1/models', auth: ['authorization', `Bearer ${KEY}`], shape: 'data' },
  {
    type: 'Anthropic',
    endpointPath: '',
    asks: '/v1/models?limit=1000',
    auth: ['x-api-key', KEY],
    shape: 'data',
    extraHeader: ['anthropic-version', '2023-06-01'],
  },
  {
    type: 'AnthropicVertexAI',
    endpointPath: '/v1',
    asks: '/v1/models?limit=1000',
    auth: ['x-api-key', KEY],
    shape: 'data',
  },
  { type: 'AzureOpenAI', endpointPath: '', asks: '/openai/v1/models', auth: ['api-key', KEY], shape: 'data' },
  { type: 'Gemini', endpointPath: '', asks: '/v1/models', auth: ['x-goog-api-key', KEY], shape: 'gemini' },
  { type: 'Gemini', endpointPath: '/v1', asks: '/v1/models', auth: ['x-goog-api-key', KEY], shape: 'data' },
  { type: 'Ollama', endpointPath: '', asks: '/api/tags', auth: undefined, shape: 'ollama' },
  {
    type: 'GeminiVertexAI',
    endpointPath: '',
    asks: '/v1/models',
    auth: ['authorization', `Bearer ${KEY}`],
    shape: 'data',
  },
  { type: 'Bedrock', endpointPath: '/', asks: '/v1/models', auth: ['authorization', `Bearer ${KEY}`], shape: 'data' },
  { type: 'SAPAICore', endpointPath: '', asks: '/v1/models', auth: ['authorization', `Bearer ${KEY}`], shape: 'data' },
  { type: 'Foundry', endpointPath: '', asks: '/v1/models', auth: ['authorization', `Bearer ${KEY}`], shape: 'data' },
];

describe('ModelProviderConfig discovery per provider type (real HTTP)', () => {
  it('has a table row for every provider type of the schema', () => {
    expect(Object.keys(PROVIDER_DISCOVERY).sort()).toEqual([...PROVIDERS].sort());
    expect(new Set(CASES.map((c) => c.type))).toEqual(new Set(PROVIDERS));
  });

  it.each(CASES)('$type at <server>$endpointPath asks $asks', async (c) => {
    provider.answer = { body: MODELS_BODY[c.shape](['m-b', 'm-a', 'm-b']) };
    const spec: Record<string, unknown> = { type: c.type, endpoint: provider.url + c.endpointPath };
    if (c.auth) spec.secretRef = { name: 'prov-key' };
    const res = await sync(mpc(spec));
    expect(provider.requests).toHaveLength(1);
    const asked = provider.requests[0];
    expect(asked.url).toBe(c.asks);
    if (c.auth) expect(asked.headers[c.auth[0]]).toBe(c.auth[1]);
    for (const h of ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'])
      if (h !== c.auth?.[0]) expect(asked.headers[h], h).toBeUndefined();
    if (c.extraHeader) expect(asked.headers[c.extraHeader[0]]).toBe(c.extraHeader[1]);
    expect(res.status).toMatchObject({
      observedGeneration: 1,
      discoveredModels: ['m-a', 'm-b'],
      modelCount: 2,
      lastDiscoveryTime: T0,
    });
    expect(cond(res.status, 'Ready')).toMatchObject({ status: 'True', reason: 'Ready', observedGeneration: 1 });
    expect(cond(res.status, 'ModelsDiscovered')).toMatchObject({ status: 'True', message: 'discovered 2 models' });
    expect(cond(res.status, 'SecretResolved')).toMatchObject({
      status: 'True',
      reason: c.auth ? 'SecretResolved' : 'SecretNotRequired',
    });
    expect(res.resyncAfterSeconds).toBe(60);
    expect(JSON.stringify(res)).not.toContain(KEY);
  });

  it("uses kagent's default endpoints when spec.endpoint is unset", () => {
    const url = (type: keyof typeof PROVIDER_DISCOVERY) => {
      const p = PROVIDER_DISCOVERY[type];
      return p.defaultEndpoint && p.request(p.defaultEndpoint, KEY);
    };
    expect(url('OpenAI')).toEqual({
      url: 'https://api.openai.com/v1/models',
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(url('Anthropic')).toMatchObject({ url: 'https://api.anthropic.com/v1/models?limit=1000' });
    expect(url('Gemini')).toEqual({
      url: 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000',
      headers: { 'x-goog-api-key': KEY },
    });
    expect(url('Ollama')).toMatchObject({ url: 'http://localhost:11434/api/tags' });
    for (const t of ['AzureOpenAI', 'GeminiVertexAI', 'AnthropicVertexAI', 'Bedrock', 'SAPAICore', 'Foundry'] as const)
      expect(PROVIDER_DISCOVERY[t].defaultEndpoint, t).toBeUndefined();
  });

  it('an Ollama with a named Secret sends its key as a Bearer token', async () => {
    provider.answer = { body: MODELS_BODY.ollama(['llama3:8b']) };
    const res = await sync(mpc({ type: 'Ollama', endpoint: provider.url, secretRef: { name: 'prov-key' } }));
    expect(provider.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(cond(res.status, 'SecretResolved')).toMatchObject({ status: 'True', reason: 'SecretResolved' });
    expect(res.status.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ModelProviderConfig bad paths', () => {
  const openaiSpec = () => ({ type: 'OpenAI', endpoint: provider.url, secretRef: { name: 'prov-key' } });
  const openai = () => mpc(openaiSpec());
  const previous = {
    observedGeneration: 1,
    discoveredModels: ['old-a', 'old-b'],
    modelCount: 2,
    lastDiscoveryTime: T0,
    secretHash: 'abc',
  };

  it('401: DiscoveryFailed naming the status code, never the body or the key; the last good models kept', async () => {
    provider.answer = {
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY} internal-detail` } },
    };
    const res = await sync(mpc(openaiSpec(), { status: previous }), undefined, T1);
    const discovered = cond(res.status, 'ModelsDiscovered');
    expect(discovered).toMatchObject({ status: 'False', reason: 'DiscoveryFailed' });
    expect(discovered.message).toBe(
      `listing models of OpenAI at ${provider.url}/v1/models failed: the API key was refused (HTTP 401)`,
    );
    expect(cond(res.status, 'Ready')).toMatchObject({ status: 'False', reason: 'DiscoveryFailed' });
    expect(res.status).toMatchObject({ discoveredModels: ['old-a', 'old-b'], modelCount: 2, lastDiscoveryTime: T0 });
    expect(res.resyncAfterSeconds).toBe(30);
    const text = JSON.stringify(res);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('internal-detail');
  });

  it.each([
    [403, 'the API key may not list models (HTTP 403)'],
    [404, 'no models endpoint there (HTTP 404)'],
    [500, 'the server answered HTTP 500'],
    [302, 'the server answered a redirect (HTTP 302), which is not followed'],
  ])('HTTP %i is reported as "%s"', async (status, text) => {
    provider.answer = { status, body: 'nope', headers: status === 302 ? { location: 'http://169.254.169.254/' } : {} };
    const res = await sync(openai());
    expect(cond(res.status, 'ModelsDiscovered').message).toContain(text);
    expect(provider.requests).toHaveLength(1);
  });

  it('a provider that never answers times out', async () => {
    provider.answer = { hang: true };
    const started = Date.now();
    const out = await listModels({
      uid: 'u',
      generation: 1,
      type: 'OpenAI',
      endpoint: provider.url,
      apiKey: KEY,
      provider: PROVIDER_DISCOVERY.OpenAI,
      timeoutMs: 300,
    });
    expect(out).toEqual({
      ok: false,
      reason: 'DiscoveryFailed',
      message: `listing models of OpenAI at ${provider.url}/v1/models failed: timed out after 300 ms`,
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a refused connection names the error code', async () => {
    const closed = await startMockProvider();
    await closed.close();
    const res = await sync(mpc({ type: 'OpenAI', endpoint: closed.url, secretRef: { name: 'prov-key' } }));
    expect(cond(res.status, 'ModelsDiscovered').message).toBe(
      `listing models of OpenAI at ${closed.url}/v1/models failed: ECONNREFUSED`,
    );
  });

  it.each([
    ['not JSON', '<html>oops', 'the response is not JSON'],
    ['no data array', { object: 'list' }, 'malformed response: the response has no "data" array'],
    [
      'an id that is not a string',
      { data: [{ id: 'a' }, { id: 7 }] },
      'malformed response: data[1].id is not a string',
    ],
  ])('malformed answer (%s) is DiscoveryFailed', async (_what, body, text) => {
    provider.answer = { body };
    const res = await sync(mpc(openaiSpec(), { status: previous }));
    expect(cond(res.status, 'ModelsDiscovered')).toMatchObject({ status: 'False', reason: 'DiscoveryFailed' });
    expect(cond(res.status, 'ModelsDiscovered').message).toContain(text);
    expect(res.status.discoveredModels).toEqual(['old-a', 'old-b']);
  });

  it('an Ollama answer without a models array is malformed', async () => {
    provider.answer = { body: { data: [] } };
    const res = await sync(mpc({ type: 'Ollama', endpoint: provider.url }));
    expect(cond(res.status, 'ModelsDiscovered').message).toContain('the response has no "models" array');
  });

  it(`a huge list is capped at ${MAX_MODELS} IDs (sorted) and says so`, async () => {
    const ids = Array.from({ length: 1500 }, (_, i) => `model-${String(i).padStart(4, '0')}`);
    provider.answer = { body: MODELS_BODY.data(ids.reverse()) };
    const res = await sync(openai());
    const models = res.status.discoveredModels as string[];
    expect(models).toHaveLength(MAX_MODELS);
    expect(models[0]).toBe('model-0000');
    expect(models.at(-1)).toBe('model-0999');
    expect(res.status.modelCount).toBe(MAX_MODELS);
    expect(cond(res.status, 'ModelsDiscovered').message).toBe(
      `discovered ${MAX_MODELS} models; the provider listed 1500, the first ${MAX_MODELS} by name are kept`,
    );
  });

  it(`a body over ${MAX_RESPONSE_BYTES} bytes is refused without reading it all`, async () => {
    provider.answer = { body: 'x'.repeat(MAX_RESPONSE_BYTES + 10) };
    const res = await sync(openai());
    expect(cond(res.status, 'ModelsDiscovered').message).toContain(
      `the response is larger than ${MAX_RESPONSE_BYTES} bytes`,
    );
  });

  it('an empty list is not Ready (NoModelsFound)', async () => {
    provider.answer = { body: MODELS_BODY.data([]) };
    const res = await sync(openai());
    expect(cond(res.status, 'ModelsDiscovered')).toMatchObject({ status: 'False', reason: 'NoModelsFound' });
    expect(cond(res.status, 'Ready')).toMatchObject({ status: 'False', reason: 'NoModelsFound' });
    expect(res.status).toMatchObject({ discoveredModels: [], modelCount: 0, lastDiscoveryTime: T0 });
  });

  it.each([
    ['missing', [], 'SecretNotFound', 'Secret team/prov-key not found'],
    [
      'with two keys',
      [secret('prov-key', { a: KEY, b: 'x' })],
      'SecretInvalid',
      'Secret team/prov-key must contain exactly one data key (the API key), found 2: a, b',
    ],
    [
      'with no keys',
      [secret('prov-key', {})],
      'SecretInvalid',
      'Secret team/prov-key must contain exactly one data key (the API key), found 0',
    ],
    [
      'with an empty value',
      [secret('prov-key', { 'api-key': '' })],
      'SecretInvalid',
      'Secret team/prov-key has an empty value for key "api-key"',
    ],
  ])(
    'a Secret %s: SecretResolved=False, nothing asked, last good hash and models kept',
    async (_w, related, reason, message) => {
      const res = await sync(mpc(openaiSpec(), { status: previous }), related as KubeObject[]);
      expect(provider.requests).toHaveLength(0);
      expect(cond(res.status, 'SecretResolved')).toMatchObject({ status: 'False', reason, message });
      expect(cond(res.status, 'ModelsDiscovered')).toMatchObject({ status: 'False', reason: 'SecretNotResolved' });
      expect(cond(res.status, 'Ready')).toMatchObject({ status: 'False', reason, message });
      expect(res.status).toMatchObject({ secretHash: 'abc', discoveredModels: ['old-a', 'old-b'] });
      expect(JSON.stringify(res)).not.toContain(KEY);
    },
  );

  it('a type that needs a key without secretRef is SecretNotFound naming the field', async () => {
    const res = await sync(mpc({ type: 'Anthropic', endpoint: provider.url }));
    expect(cond(res.status, 'SecretResolved')).toMatchObject({
      status: 'False',
      message: 'spec.secretRef.name is required for type Anthropic',
    });
  });

  it('a type without a default endpoint and no spec.endpoint is InvalidSpec', async () => {
    const res = await sync(mpc({ type: 'Bedrock', secretRef: { name: 'prov-key' } }));
    expect(cond(res.status, 'ModelsDiscovered')).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
      message: 'spec.endpoint is required for type Bedrock (it has no default endpoint)',
    });
    expect(provider.requests).toHaveLength(0);
  });

  it('an unknown type is InvalidSpec', async () => {
    const res = await sync(mpc({ type: 'Nope' }));
    expect(cond(res.status, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
      message: 'spec.type "Nope" is not a known provider type',
    });
  });
});

describe('ModelProviderConfig status over time', () => {
  const spec = () => ({ type: 'OpenAI', endpoint: provider.url, secretRef: { name: 'prov-key' } });

  it('an unchanged list keeps lastDiscoveryTime and the conditions: the same bytes, nothing to write', async () => {
    provider.answer = { body: MODELS_BODY.data(['a', 'b']) };
    const first = await sync(mpc(spec()), undefined, T0);
    const again = await sync(mpc(spec(), { status: first.status }), undefined, T1);
    expect(JSON.stringify(again.status)).toBe(JSON.stringify(first.status));
  });

  it('a changed list, or a changed spec, takes the new time', async () => {
    provider.answer = { body: MODELS_BODY.data(['a', 'b']) };
    const first = await sync(mpc(spec()), undefined, T0);
    provider.answer = { body: MODELS_BODY.data(['a', 'b', 'c']) };
    const changed = await sync(mpc(spec(), { status: first.status }), undefined, T1);
    expect(changed.status).toMatchObject({ discoveredModels: ['a', 'b', 'c'], modelCount: 3, lastDiscoveryTime: T1 });
    const newGen = await sync(
      mpc(spec(), { status: changed.status, generation: 2 }),
      undefined,
      T1.replace('01:00', '02:00'),
    );
    expect(newGen.status.lastDiscoveryTime).toBe('2026-01-01T00:02:00Z');
    expect(newGen.status.observedGeneration).toBe(2);
  });

  it('a rotated key changes secretHash and is asked with the new key', async () => {
    provider.answer = { body: MODELS_BODY.data(['a']) };
    const discoverer = createModelDiscoverer();
    const run = (k: string) =>
      syncModelProviderConfig(req(mpc(spec()), [secret('prov-key', { key: k })]), { discoverer, now: T0 });
    const a = await run('key-one-1234');
    const b = await run('key-two-5678');
    expect(a.status.secretHash).not.toBe(b.status.secretHash);
    expect(provider.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer key-one-1234',
      'Bearer key-two-5678',
    ]);
  });

  it('the resync right after a status write is answered from the cache; a new period asks again', async () => {
    provider.answer = { body: MODELS_BODY.data(['a']) };
    let clock = 0;
    const discoverer = createModelDiscoverer({ refreshSeconds: 60, clock: () => clock });
    await syncModelProviderConfig(req(mpc(spec())), { discoverer, now: T0 });
    await syncModelProviderConfig(req(mpc(spec())), { discoverer, now: T0 });
    expect(provider.requests).toHaveLength(1);
    clock += 60_000;
    await syncModelProviderConfig(req(mpc(spec())), { discoverer, now: T1 });
    expect(provider.requests).toHaveLength(2);
  });

  it('concurrent syncs of the same provider share one request', async () => {
    provider.answer = { body: MODELS_BODY.data(['a']) };
    const discoverer = createModelDiscoverer();
    await Promise.all([1, 2, 3].map(() => syncModelProviderConfig(req(mpc(spec())), { discoverer, now: T0 })));
    expect(provider.requests).toHaveLength(1);
  });
});

describe('ModelProviderConfig customize', () => {
  it('asks for exactly the named Secret, in its namespace, and nothing without one', () => {
    const ask = (spec: Record<string, unknown>) =>
      customizeModelProviderConfig({ controller: {} as KubeObject, parent: mpc(spec) });
    expect(ask({ type: 'OpenAI', secretRef: { name: 'prov-key' } })).toEqual({
      relatedResources: [{ apiVersion: 'v1', resource: 'secrets', namespace: 'team', names: ['prov-key'] }],
    });
    expect(ask({ type: 'Ollama' })).toEqual({ relatedResources: [] });
  });
});
