// kagent v0.10 fields the Agent sync hook translates: the card fields (as kagent's GetA2AAgentCard writes them),
// deploymentAnnotations on the Deployment object, envFrom on the agent container, workingDir for BYO; and the
// fields accepted but not honoured, which the UnsupportedFeatures condition names.
import { describe, expect, it } from 'vitest';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';

const opts = { runtimeImage: 'registry.example/metagent-runtime:1', imagePullPolicy: 'IfNotPresent' };
const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'openai', namespace: 'team' },
  data: { key: Buffer.from('sk').toString('base64') },
};
const mc: KubeObject = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'ModelConfig',
  metadata: { name: 'mc', namespace: 'team' },
  spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'openai', apiKeySecretKey: 'key' },
};
const agent = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'helper', namespace: 'team', uid: 'u1', generation: 1 },
  spec,
});
const request = (parent: KubeObject): SyncRequest => ({
  controller: {
    apiVersion: 'metacontroller.k8s.io/v1alpha1',
    kind: 'CompositeController',
    metadata: { name: 'agents' },
  },
  parent,
  children: toObjectMap([]),
  related: toObjectMap([secret, mc]),
});
const child = (res: { children: KubeObject[] }, kind: string) => res.children.find((c) => c.kind === kind)!;
const card = (res: { children: KubeObject[] }) =>
  JSON.parse(
    Buffer.from((child(res, 'Secret').data as Record<string, string>)['agent-card.json'], 'base64').toString(),
  ) as Record<string, unknown>;
const main = (res: { children: KubeObject[] }) =>
  (child(res, 'Deployment').spec as any).template.spec.containers[0] as Record<string, unknown>;
const unsupported = (res: { status: Record<string, unknown> }) =>
  (res.status.conditions as { type: string; status: string; message: string }[]).find(
    (c) => c.type === 'UnsupportedFeatures',
  )!;
const declarative = (extra: Record<string, unknown> = {}) => ({ systemMessage: 'hi', modelConfig: 'mc', ...extra });

describe('card fields', () => {
  it('puts iconUrl, documentationUrl, version and provider on the card as kagent does', () => {
    const res = syncAgent(
      request(
        agent({
          type: 'Declarative',
          declarative: declarative(),
          iconUrl: 'https://x/i.png',
          documentationUrl: 'https://x/docs',
          version: '1.2.0',
          provider: { organization: 'Acme', url: 'https://acme.example' },
        }),
      ),
      opts,
    );
    expect(card(res)).toMatchObject({
      iconUrl: 'https://x/i.png',
      documentationUrl: 'https://x/docs',
      version: '1.2.0',
      provider: { organization: 'Acme', url: 'https://acme.example' },
    });
  });
  it('omits the optional ones when unset and keeps version ""', () => {
    const c = card(syncAgent(request(agent({ type: 'Declarative', declarative: declarative() })), opts));
    expect(c.version).toBe('');
    expect(Object.keys(c)).not.toEqual(expect.arrayContaining(['iconUrl']));
    expect('documentationUrl' in c || 'provider' in c || 'iconUrl' in c).toBe(false);
  });
});

describe('deployment fields', () => {
  it('deploymentAnnotations annotate the Deployment, not the pods; envFrom goes to the agent container', () => {
    const envFrom = [{ secretRef: { name: 'extra' }, prefix: 'X_' }];
    const res = syncAgent(
      request(
        agent({
          type: 'Declarative',
          declarative: declarative({ deployment: { deploymentAnnotations: { 'team.example/owner': 'me' }, envFrom } }),
        }),
      ),
      opts,
    );
    const dep = child(res, 'Deployment') as any;
    expect(dep.metadata.annotations).toEqual({ 'team.example/owner': 'me' });
    expect(dep.spec.template.metadata.annotations['team.example/owner']).toBeUndefined();
    expect(main(res).envFrom).toEqual(envFrom);
    expect(unsupported(res).status).toBe('False');
  });
  it('workingDir sets the BYO container working directory', () => {
    const res = syncAgent(
      request(agent({ type: 'BYO', byo: { deployment: { image: 'me/agent:1', workingDir: '/app' } } })),
      opts,
    );
    expect(main(res).workingDir).toBe('/app');
  });
  it('no envFrom and no Deployment annotations when unset', () => {
    const res = syncAgent(request(agent({ type: 'Declarative', declarative: declarative() })), opts);
    expect(main(res).envFrom).toBeUndefined();
    expect((child(res, 'Deployment').metadata as any).annotations).toBeUndefined();
  });
});

describe('accepted but not honoured', () => {
  it('spec.sandbox is named in UnsupportedFeatures', () => {
    const res = syncAgent(
      request(
        agent({
          type: 'Declarative',
          declarative: declarative(),
          sandbox: { network: { allowedDomains: ['*.example.com'] } },
        }),
      ),
      opts,
    );
    expect(unsupported(res)).toMatchObject({ status: 'True' });
    expect(unsupported(res).message).toContain('spec.sandbox');
  });
});

describe('shareTools', () => {
  const configOf = (res: { children: KubeObject[] }) =>
    JSON.parse(
      Buffer.from((child(res, 'Secret').data as Record<string, string>)['config.json'], 'base64').toString(),
    ) as Record<string, unknown>;
  it('true writes share_tools: true into config.json and is no UnsupportedFeatures hit', () => {
    const res = syncAgent(
      request(agent({ type: 'Declarative', declarative: declarative({ shareTools: true }) })),
      opts,
    );
    expect(configOf(res).share_tools).toBe(true);
    expect(unsupported(res).status).toBe('False');
  });
  it.each([
    ['false', { shareTools: false }],
    ['unset', {}],
  ])("%s writes no share_tools key (kagent's config.json unchanged)", (_name, extra) => {
    const res = syncAgent(request(agent({ type: 'Declarative', declarative: declarative(extra) })), opts);
    expect(Object.keys(configOf(res))).not.toContain('share_tools');
    expect(unsupported(res).status).toBe('False');
  });
});
