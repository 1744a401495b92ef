// The published view (sync-hooks/resolve/view.ts): an Agent reads its ModelConfig's and RemoteMCPServer's Secrets
// through the view their controllers publish, never the Secrets themselves. The same Agent gives byte-identical
// children whether the request carries the sources (render) or only the views (the cluster); an outdated or missing
// view keeps the running children (decision 3); a rotated key changes the view and rolls the pods.
import { describe, expect, it } from 'vitest';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { syncModelConfig } from '../../sync-hooks/modelconfig/sync.js';
import { syncRemoteMCPServer } from '../../sync-hooks/remotemcpserver/sync.js';
import { createMcpProber } from '../../sync-hooks/remotemcpserver/probe.js';
import { LAST_APPLIED_ANNOTATION } from '../../sync-hooks/agent/keep.js';
import { toObjectMap, type KubeObject, type SyncRequest, type SyncResponse } from '../../sync-hooks/protocol.js';

const opts = { runtimeImage: 'registry.example/metagent-runtime:1', imagePullPolicy: 'IfNotPresent' };
const T0 = '2026-01-01T00:00:00Z';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, data: Record<string, string>, ns = 'team'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});
const modelConfig = (spec: Record<string, unknown> = {}, generation = 2): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'ModelConfig',
  metadata: { name: 'mc', namespace: 'team', uid: 'mc-uid', generation },
  spec: {
    provider: 'OpenAI',
    model: 'gpt-4o',
    apiKeySecret: 'openai',
    apiKeySecretKey: 'key',
    tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' },
    ...spec,
  },
});
const server = (generation = 5): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'RemoteMCPServer',
  metadata: { name: 'tools', namespace: 'shared', uid: 'rms-uid', generation },
  spec: {
    url: 'http://tools.shared:3000/mcp',
    headersFrom: [
      { name: 'Authorization', valueFrom: { type: 'Secret', name: 'tok', key: 'bearer' } },
      { name: 'X-Team', valueFrom: { type: 'ConfigMap', name: 'meta', key: 'team' } },
    ],
    allowedNamespaces: { from: 'All' },
  },
});
const agent: KubeObject = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'helper', namespace: 'team', uid: 'a-uid', generation: 1 },
  spec: {
    type: 'Declarative',
    description: 'd',
    declarative: {
      systemMessage: 's',
      modelConfig: 'mc',
      tools: [{ type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'tools', namespace: 'shared' } }],
    },
  },
};
const sources = (key = 'sk-1') => [
  secret('openai', { key, unrelated: 'x' }),
  secret('ca', { 'ca.crt': 'PEM' }),
  secret('tok', { bearer: 'Bearer abc' }, 'shared'),
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'meta', namespace: 'shared' }, data: { team: 'platform' } },
];
const namespaces = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }];
const req = (parent: KubeObject, related: KubeObject[], children: KubeObject[] = []): SyncRequest => ({
  controller: {} as KubeObject,
  parent,
  children: toObjectMap(children),
  related: toObjectMap(related),
});
const accepted = (r: SyncResponse) =>
  ((r.status?.conditions ?? []) as { type: string; status: string; reason: string; message: string }[]).find(
    (c) => c.type === 'Accepted',
  )!;

/** The views as the owners' controllers publish them. */
async function views(related: KubeObject[], mc = modelConfig(), rms = server()): Promise<KubeObject[]> {
  const mcView = syncModelConfig(req(mc, related), { now: T0 }).children!;
  const prober = createMcpProber({ listTools: async () => [] });
  const rmsView = (await syncRemoteMCPServer(req(rms, related), { prober, now: T0 })).children!;
  return [...mcView, ...rmsView];
}

describe('the Agent reads its ModelConfig and RemoteMCPServer through their views', () => {
  it('gives byte-identical children from the views alone as from the source Secrets (render)', async () => {
    const fromSources = syncAgent(req(agent, [modelConfig(), server(), ...namespaces, ...sources()]), opts);
    expect(accepted(fromSources).status).toBe('True');
    const fromViews = syncAgent(
      req(agent, [modelConfig(), server(), ...namespaces, ...(await views(sources()))]),
      opts,
    );
    expect(accepted(fromViews)).toMatchObject({ status: 'True' });
    expect(JSON.stringify(fromViews.children)).toBe(JSON.stringify(fromSources.children));
    const config = JSON.parse(
      Buffer.from((fromViews.children[0].data as Record<string, string>)['config.json'], 'base64').toString(),
    );
    expect(config.http_tools[0].params.headers).toEqual({ Authorization: 'Bearer abc', 'X-Team': 'platform' });
  });

  it('the ModelConfig view carries key names and a digest only: no API key, no unrelated key', async () => {
    const [mcView] = await views(sources('sk-very-secret'));
    const text = Buffer.from((mcView.data as Record<string, string>)['view.json'], 'base64').toString();
    expect(text).not.toContain('sk-very-secret');
    expect(text).not.toContain('unrelated');
  });

  it('rolls the pods when the API key rotates (the view changes), not when an unrelated key of the Secret does', async () => {
    const hash = async (related: KubeObject[]) => {
      const r = syncAgent(req(agent, [modelConfig(), server(), ...namespaces, ...(await views(related))]), opts);
      return (
        r.children.find((c) => c.kind === 'Deployment')!.spec as {
          template: { metadata: { annotations: Record<string, string> } };
        }
      ).template.metadata.annotations['kagent.dev/config-hash'];
    };
    const before = await hash(sources('sk-1'));
    expect(await hash(sources('sk-2'))).not.toBe(before);
    const unrelatedChanged = sources('sk-1');
    (unrelatedChanged[0].data as Record<string, string>).unrelated = b64('y');
    expect(await hash(unrelatedChanged)).toBe(before);
  });

  it('an outdated view (the ModelConfig names another Secret key, its controller has not caught up) keeps the running children', async () => {
    const good = syncAgent(req(agent, [modelConfig(), server(), ...namespaces, ...(await views(sources()))]), opts);
    const observed = good.children.map((c) => ({
      ...c,
      metadata: {
        ...c.metadata,
        annotations: { ...(c.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: JSON.stringify(c) },
      },
    }));
    const r = syncAgent(
      req(
        agent,
        [modelConfig({ apiKeySecretKey: 'other-key' }, 3), server(), ...namespaces, ...(await views(sources()))],
        observed,
      ),
      opts,
    );
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'ModelConfigNotReady' });
    expect(accepted(r).message).toContain("team/mc.modelconfig-view is for other references than the ModelConfig's");
    const byKind = (cs: KubeObject[]) => [...cs].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind(r.children)).toEqual(byKind(good.children));
  });

  it('no view yet: the Agent waits for the ModelConfig controller (it cannot see the Secret itself)', () => {
    const r = syncAgent(req(agent, [modelConfig(), server(), ...namespaces]), opts);
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'ModelConfigNotReady' });
    expect(accepted(r).message).toContain(
      'ModelConfig team/mc: its controller has not published the view Secret team/mc.modelconfig-view yet',
    );
    expect(r.children).toEqual([]);
  });

  it("the owner's SecretNotFound is the Agent's, even while the last good view stays (children kept)", async () => {
    const published = await views(sources());
    const good = syncAgent(req(agent, [modelConfig(), server(), ...namespaces, ...published]), opts);
    const observed = good.children.map((c) => ({
      ...c,
      metadata: {
        ...c.metadata,
        annotations: { ...(c.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: JSON.stringify(c) },
      },
    }));
    const refused = {
      ...modelConfig(),
      status: {
        conditions: [
          {
            type: 'Accepted',
            status: 'False',
            reason: 'SecretNotFound',
            message: 'Secret team/openai not found',
            observedGeneration: 2,
          },
        ],
      },
    };
    const r = syncAgent(req(agent, [refused, server(), ...namespaces, ...published], observed), opts);
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(accepted(r).message).toContain('ModelConfig team/mc: Secret team/openai not found');
    const byKind = (cs: KubeObject[]) => [...cs].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind(r.children)).toEqual(byKind(good.children));
  });

  it('a spec change that names the same Secrets (the model) keeps the view valid: nothing to wait for', async () => {
    const published = await views(sources());
    const r = syncAgent(req(agent, [modelConfig({ model: 'gpt-5' }, 3), server(), ...namespaces, ...published]), opts);
    expect(accepted(r)).toMatchObject({ status: 'True' });
    const config = JSON.parse(
      Buffer.from((r.children[0].data as Record<string, string>)['config.json'], 'base64').toString(),
    );
    expect(config.model.model).toBe('gpt-5');
  });

  it("one owner's view does not stand in for another's: without the RemoteMCPServer's view the Agent waits", async () => {
    const related = [modelConfig(), server(), ...namespaces, ...(await views(sources()))].filter(
      (o) => o.metadata.name !== 'tools.remotemcpserver-view',
    );
    const r = syncAgent(req(agent, related), opts);
    expect(accepted(r)).toMatchObject({ status: 'False', reason: 'ToolServerNotReady' });
    expect(accepted(r).message).toContain('RemoteMCPServer shared/tools');
  });
});
