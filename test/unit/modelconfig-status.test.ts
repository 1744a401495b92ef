import { describe, expect, it } from 'vitest';
import { customizeModelConfig } from '../../sync-hooks/modelconfig/customize.js';
import { syncModelConfig } from '../../sync-hooks/modelconfig/sync.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';

function modelConfig(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc', namespace: 'team', uid: 'u1', generation: 3 },
    spec: { provider: 'OpenAI', model: 'gpt-4o', ...spec },
    ...(status ? { status } : {}),
  };
}

function secret(name: string, data: Record<string, string>, ns = 'team'): KubeObject {
  const enc = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, data: enc };
}

function req(parent: KubeObject, related: KubeObject[] = []): SyncRequest {
  return { controller: {} as KubeObject, parent, children: {}, related: toObjectMap(related) };
}

const accepted = (r: ReturnType<typeof syncModelConfig>) =>
  (r.status.conditions as { type: string }[]).find((c) => c.type === 'Accepted') as Record<string, unknown>;

describe('ModelConfig status hook', () => {
  const withKey = modelConfig({ apiKeySecret: 'openai', apiKeySecretKey: 'api-key' });

  it('is Accepted with a secretHash and observedGeneration when the key exists', () => {
    const r = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'sk-1' })]), { now: T0 });
    expect(accepted(r)).toMatchObject({
      status: 'True',
      reason: 'Reconciled',
      lastTransitionTime: T0,
      observedGeneration: 3,
    });
    expect(r.status.observedGeneration).toBe(3);
    expect(r.status.secretHash).toMatch(/^[0-9a-f]{64}$/);
    // Its one child: the view Agents read instead of the Secret (which keys exist, a digest; never the value).
    expect(r.children).toHaveLength(1);
    const view = r.children![0];
    expect(view).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: `${withKey.metadata.name}.modelconfig-view`, namespace: 'team' },
    });
    const parsed = JSON.parse(
      Buffer.from((view.data as Record<string, string>)['view.json'], 'base64').toString('utf8'),
    );
    expect(parsed).toMatchObject({
      refs: ['Secret/openai/api-key'],
      keys: { 'Secret/openai': ['api-key'] },
      values: {},
    });
    expect(JSON.stringify(view)).not.toContain('sk-1');
  });

  it('keeps the last good view when its Secret disappears (Agents keep running on it)', () => {
    const good = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'sk-1' })]), { now: T0 }).children![0];
    const observed = { ...good, metadata: { ...good.metadata, uid: 'u1', resourceVersion: '7' } };
    const r = syncModelConfig(
      { ...req(withKey, []), children: { 'Secret.v1': { [`team/${good.metadata.name}`]: observed } } },
      { now: T0 },
    );
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(r.children).toEqual([good]);
  });

  it('accepts a Bedrock ModelConfig without apiKeySecretKey: every key of its Secret is read', () => {
    const bedrock = {
      ...withKey,
      spec: { provider: 'Bedrock', model: 'm', apiKeySecret: 'aws', bedrock: { region: 'us-east-1' } },
    };
    const r = syncModelConfig(
      req(bedrock, [secret('aws', { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' })]),
      { now: T0 },
    );
    expect(accepted(r)).toMatchObject({ status: 'True' });
    const parsed = JSON.parse(
      Buffer.from((r.children![0].data as Record<string, string>)['view.json'], 'base64').toString('utf8'),
    );
    expect(parsed.keys).toEqual({ 'Secret/aws': ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] });
  });

  it('reports its own accepted-but-not-honoured fields in UnsupportedFeatures', () => {
    const cond = (r: ReturnType<typeof syncModelConfig>) =>
      (r.status.conditions as { type: string }[]).find((c) => c.type === 'UnsupportedFeatures');
    const plain = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'sk-1' })]), { now: T0 });
    expect(cond(plain)).toMatchObject({ status: 'False', reason: 'AllFeaturesSupported', observedGeneration: 3 });
    // A provider metagent does not serve: its block stays a row of crds/unsupported.ts whatever else gets honoured.
    const sap = modelConfig({ provider: 'SAPAICore', sapAICore: { baseUrl: 'https://sap.example' } });
    expect(cond(syncModelConfig(req(sap), { now: T0 }))).toMatchObject({
      status: 'True',
      reason: 'UnsupportedFieldsSet',
      message: expect.stringContaining('spec.sapAICore'),
      lastTransitionTime: T0,
    });
  });

  it('never puts the secret value into the response', () => {
    const r = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'sk-very-secret-value' })]), { now: T0 });
    expect(JSON.stringify(r)).not.toContain('sk-very-secret-value');
    expect(JSON.stringify(r)).not.toContain(Buffer.from('sk-very-secret-value').toString('base64'));
  });

  it('reports SecretNotFound naming the Secret when it is missing', () => {
    const r = syncModelConfig(req(withKey, []), { now: T0 });
    expect(accepted(r)).toMatchObject({
      status: 'False',
      reason: 'SecretNotFound',
      message: 'Secret team/openai not found',
    });
    expect(r.status.secretHash).toBeUndefined();
  });

  it('does not accept a Secret of the same name from another namespace', () => {
    const r = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'x' }, 'other')]), { now: T0 });
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
  });

  it('reports SecretNotFound naming the key when the Secret lacks it', () => {
    const r = syncModelConfig(req(withKey, [secret('openai', { other: 'x' })]), { now: T0 });
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(accepted(r).message).toContain('"api-key"');
    expect(accepted(r).message).toContain('team/openai');
  });

  it('reports InvalidSpec when apiKeySecretKey is missing', () => {
    const r = syncModelConfig(req(modelConfig({ apiKeySecret: 'openai' }), [secret('openai', { 'api-key': 'x' })]), {
      now: T0,
    });
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(accepted(r).message).toContain('spec.apiKeySecretKey');
  });

  it('accepts a ModelConfig without any Secret (e.g. Ollama) and writes no secretHash', () => {
    const r = syncModelConfig(req(modelConfig({ provider: 'Ollama' }), []), { now: T0 });
    expect(accepted(r)).toMatchObject({ status: 'True' });
    expect(r.status).not.toHaveProperty('secretHash');
  });

  it('checks the TLS CA Secret too and folds it into the hash', () => {
    const mc = modelConfig({
      apiKeySecret: 'openai',
      apiKeySecretKey: 'api-key',
      tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' },
    });
    const missing = syncModelConfig(req(mc, [secret('openai', { 'api-key': 'k' })]), { now: T0 });
    expect(accepted(missing)).toMatchObject({
      status: 'False',
      reason: 'SecretNotFound',
      message: 'Secret team/ca not found',
    });
    const a = syncModelConfig(req(mc, [secret('openai', { 'api-key': 'k' }), secret('ca', { 'ca.crt': 'PEM1' })]), {
      now: T0,
    });
    const b = syncModelConfig(req(mc, [secret('openai', { 'api-key': 'k' }), secret('ca', { 'ca.crt': 'PEM2' })]), {
      now: T0,
    });
    expect(a.status.secretHash).not.toBe(b.status.secretHash);
  });

  it('changes secretHash when the key rotates, not when an unrelated key changes', () => {
    const h = (data: Record<string, string>) =>
      syncModelConfig(req(withKey, [secret('openai', data)]), { now: T0 }).status.secretHash;
    expect(h({ 'api-key': 'sk-1' })).not.toBe(h({ 'api-key': 'sk-2' }));
    expect(h({ 'api-key': 'sk-1', unrelated: 'a' })).toBe(h({ 'api-key': 'sk-1', unrelated: 'b' }));
  });

  it('keeps the last good secretHash while the Secret is missing', () => {
    const good = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'sk-1' })]), { now: T0 });
    const r = syncModelConfig(
      req(modelConfig({ apiKeySecret: 'openai', apiKeySecretKey: 'api-key' }, good.status), []),
      { now: T1 },
    );
    expect(accepted(r)).toMatchObject({ status: 'False' });
    expect(r.status.secretHash).toBe(good.status.secretHash);
  });

  it('is deterministic: the same request gives a byte-identical response', () => {
    const rq = req(withKey, [secret('openai', { 'api-key': 'sk-1' })]);
    expect(JSON.stringify(syncModelConfig(rq, { now: T0 }))).toBe(
      JSON.stringify(syncModelConfig(structuredClone(rq), { now: T0 })),
    );
  });

  it('keeps lastTransitionTime while the status holds and moves it on a transition', () => {
    const first = syncModelConfig(req(withKey, [secret('openai', { 'api-key': 'k' })]), { now: T0 });
    const parent1 = modelConfig({ apiKeySecret: 'openai', apiKeySecretKey: 'api-key' }, first.status);
    const again = syncModelConfig(req(parent1, [secret('openai', { 'api-key': 'k' })]), { now: T1 });
    expect(JSON.stringify(again.status)).toBe(JSON.stringify(first.status));
    const broken = syncModelConfig(req(parent1, []), { now: T1 });
    expect(accepted(broken).lastTransitionTime).toBe(T1);
  });

  it('tolerates a garbage observed status', () => {
    const r = syncModelConfig(req(modelConfig({}, { conditions: 'nope', secretHash: 5 }), []), { now: T0 });
    expect(accepted(r)).toMatchObject({ status: 'True', lastTransitionTime: T0 });
  });

  it('customize asks for exactly the referenced Secrets in the ModelConfig namespace', () => {
    const mc = modelConfig({
      apiKeySecret: 'openai',
      apiKeySecretKey: 'k',
      tls: { caCertSecretRef: 'ca', caCertSecretKey: 'c' },
    });
    expect(customizeModelConfig({ controller: {} as KubeObject, parent: mc })).toEqual({
      relatedResources: [{ apiVersion: 'v1', resource: 'secrets', namespace: 'team', names: ['ca', 'openai'] }],
    });
    expect(customizeModelConfig({ controller: {} as KubeObject, parent: modelConfig({}) })).toEqual({
      relatedResources: [],
    });
  });
});
