// The sync hooks on the real control plane, driven by the contract driver (what Metacontroller does), over HTTP
// to an in-process hook server and a real MCP server.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { installCrds } from '../../crds/index.js';
import type { McpProber } from '../../sync-hooks/remotemcpserver/probe.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import {
  CompositeControllerDriver,
  HookHttpError,
  findController,
  type ReconcileResult,
} from '../metacontroller/driver.js';
import { manifestDocuments } from '../metacontroller/manifests.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const TOOLS = [
  { name: 'get_pods', description: 'List pods' },
  { name: 'get_logs', description: 'Read pod logs' },
  { name: 'get_events', description: 'List events' },
];

async function apply(ns: string, yamlText: string): Promise<void> {
  const r = await kubectl(['apply', '-n', ns, '-f', '-'], { input: yamlText });
  if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
}

const condition = (obj: any, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type);

function writesOf(r: ReconcileResult[]): string {
  return r.map((x) => x.log.join('; ')).join(' | ');
}

describeWithCluster('sync hooks through the contract driver on a real API server', () => {
  let hooks: SyncHookServer;
  let mcp: McpTestServer;
  let ns: string;
  let agents: CompositeControllerDriver;
  let modelConfigs: CompositeControllerDriver;
  let remoteServers: CompositeControllerDriver;

  const get = async (path: string) => {
    const r = await agents.rest.request('GET', path);
    return r.status === 200 ? r.body : undefined;
  };
  const agentPath = () => `/apis/kagent.dev/v1alpha2/namespaces/${ns}/agents/helper`;
  const mcPath = () => `/apis/kagent.dev/v1alpha2/namespaces/${ns}/modelconfigs/model`;
  const childPaths = () => ({
    Secret: `/api/v1/namespaces/${ns}/secrets/helper`,
    ServiceAccount: `/api/v1/namespaces/${ns}/serviceaccounts/helper`,
    Deployment: `/apis/apps/v1/namespaces/${ns}/deployments/helper`,
    Service: `/api/v1/namespaces/${ns}/services/helper`,
  });
  const configJson = async () => {
    const s = await get(childPaths().Secret);
    return JSON.parse(Buffer.from(s.data['config.json'], 'base64').toString('utf8'));
  };
  const podTemplateAnnotations = async () =>
    (await get(childPaths().Deployment)).spec.template.metadata.annotations ?? {};

  const modelConfigYaml = (model: string) => `
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: {name: model}
spec:
  provider: OpenAI
  model: ${model}
  apiKeySecret: openai
  apiKeySecretKey: api-key
`;

  beforeAll(async () => {
    await installCrds(kubectl);
    hooks = await startSyncHookServer({ logLevel: false, runtimeImage: 'example.test/metagent-runtime:test' });
    mcp = await startMcpServer({ tools: TOOLS });
    ns = await createNamespace('synchooks');
    const docs = manifestDocuments();
    const kc = kubeConfig();
    agents = new CompositeControllerDriver({
      kubeConfig: kc,
      controller: findController(docs, 'agents.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    modelConfigs = new CompositeControllerDriver({
      kubeConfig: kc,
      controller: findController(docs, 'modelconfigs.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    remoteServers = new CompositeControllerDriver({
      kubeConfig: kc,
      controller: findController(docs, 'remotemcpservers.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    await apply(
      ns,
      `
apiVersion: v1
kind: Secret
metadata: {name: openai}
stringData: {api-key: sk-test-not-a-real-key}
---
${modelConfigYaml('gpt-4o')}
---
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: k8s-tools}
spec:
  description: Kubernetes tools
  protocol: STREAMABLE_HTTP
  url: ${mcp.url}
  timeout: 5s
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: helper}
spec:
  type: Declarative
  description: Finds unhealthy pods
  declarative:
    systemMessage: You find unhealthy pods.
    modelConfig: model
    tools:
      - type: McpServer
        mcpServer:
          apiGroup: kagent.dev
          kind: RemoteMCPServer
          name: k8s-tools
          toolNames: [get_pods, get_logs]
`,
    );
  }, 180_000);

  afterAll(async () => {
    await hooks?.close();
    await mcp?.close();
    if (ns) await deleteNamespace(ns).catch(() => undefined);
  });

  it('manifests/sync-hooks pass the API server validation (server-side dry run)', async () => {
    const dir = `${repo}manifests/sync-hooks/`;
    const docs = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .map((f) => readFileSync(dir + f, 'utf8').replace(/namespace: metagent-system/g, `namespace: ${ns}`));
    const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: docs.join('\n---\n') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deployment.apps\/metagent-sync-hooks created \(server dry run\)/);
    expect(r.stdout).toMatch(/networkpolicy.networking.k8s.io\/metagent-sync-hooks created/);
  });

  it('ModelConfig: Accepted with a secretHash; a resync writes nothing', async () => {
    const rounds = await modelConfigs.reconcileUntilStable({ namespace: ns, name: 'model' });
    expect(rounds[0].writes.status).toBe(1);
    const mc = await get(mcPath());
    expect(condition(mc, 'Accepted')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(mc.status.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(mc.status.observedGeneration).toBe(mc.metadata.generation);
    // Its one child: the view Agents read (which keys exist and a digest), owned by the ModelConfig, no key value.
    const view = await get(`/api/v1/namespaces/${ns}/secrets/model.modelconfig-view`);
    expect(view.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ModelConfig', name: 'model', uid: mc.metadata.uid, controller: true }),
    ]);
    expect(Buffer.from(view.data['view.json'], 'base64').toString('utf8')).not.toContain('sk-test-not-a-real-key');
    const all = await modelConfigs.reconcileAll(ns);
    expect(all.map((x) => [x.parent, x.result?.totalWrites, x.error?.message])).toEqual([
      [`${ns}/model`, 0, undefined],
    ]);
  });

  it('RemoteMCPServer: lists the real server tools; a resync neither writes nor reconnects', async () => {
    await remoteServers.reconcileUntilStable({ namespace: ns, name: 'k8s-tools' });
    const r = await get(`/apis/kagent.dev/v1alpha2/namespaces/${ns}/remotemcpservers/k8s-tools`);
    expect(condition(r, 'Accepted')).toMatchObject({ status: 'True' });
    expect(r.status.discoveredTools.map((t: any) => t.name)).toEqual(['get_events', 'get_logs', 'get_pods']);
    const connections = mcp.connections();
    expect((await remoteServers.reconcileOnce({ namespace: ns, name: 'k8s-tools' })).totalWrites).toBe(0);
    expect(mcp.connections()).toBe(connections);
  });

  it('RemoteMCPServer: an unreachable server is Accepted=False with the tools kept, and recovers', async () => {
    const path = `/apis/kagent.dev/v1alpha2/namespaces/${ns}/remotemcpservers/k8s-tools`;
    const patch = (url: string) =>
      kubectl([
        'patch',
        '-n',
        ns,
        'remotemcpserver',
        'k8s-tools',
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { url } }),
      ]);
    expect((await patch('http://127.0.0.1:1/mcp')).code).toBe(0);
    const rounds = await remoteServers.reconcileUntilStable({ namespace: ns, name: 'k8s-tools' });
    expect(rounds[0].syncResponse?.resyncAfterSeconds).toBe(30);
    const broken = await get(path);
    expect(condition(broken, 'Accepted')).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
    expect(condition(broken, 'Accepted').message).toContain('127.0.0.1:1');
    expect(broken.status.discoveredTools).toHaveLength(3);
    expect((await patch(mcp.url)).code).toBe(0);
    await remoteServers.reconcileUntilStable({ namespace: ns, name: 'k8s-tools' });
    expect(condition(await get(path), 'Accepted')).toMatchObject({ status: 'True' });
  });

  it('an overloaded hook server answers 429 with Retry-After, which the driver surfaces like Metacontroller', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inProbe = new Promise<void>((r) => (entered = r));
    const prober: McpProber = {
      size: () => 0,
      refreshSeconds: 60,
      probe: async () => (entered(), await gate, { ok: true, tools: [] }),
    };
    const busy = await startSyncHookServer({ logLevel: false, maxProbesInFlight: 1, prober });
    try {
      const driver = (base: string) =>
        new CompositeControllerDriver({
          kubeConfig: kubeConfig(),
          controller: findController(manifestDocuments(), 'remotemcpservers.kagent.dev'),
          hookBaseUrl: base,
        });
      const first = driver(busy.url).reconcileOnce({ namespace: ns, name: 'k8s-tools' });
      // The first sync holds the one probe slot (on a loaded machine a fixed delay may not be enough).
      await inProbe;
      const err = await driver(busy.url)
        .reconcileOnce({ namespace: ns, name: 'k8s-tools' })
        .catch((e) => e);
      expect(err).toBeInstanceOf(HookHttpError);
      expect(err).toMatchObject({ status: 429, retryAfterSeconds: 1 });
      release();
      await first;
      // The stub prober found no tools; put the real status back for the tests that follow.
      await remoteServers.reconcileUntilStable({ namespace: ns, name: 'k8s-tools' });
      expect(
        (await get(`/apis/kagent.dev/v1alpha2/namespaces/${ns}/remotemcpservers/k8s-tools`)).status.discoveredTools,
      ).toHaveLength(3);
    } finally {
      release();
      await busy.close();
    }
  });

  it('Agent: the four children exist with owner references, Accepted=True, and a resync writes 0 times', async () => {
    const rounds = await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    const agent = await get(agentPath());
    expect(condition(agent, 'Accepted'), JSON.stringify(agent.status)).toMatchObject({ status: 'True' });
    expect(rounds[0].writes.create).toBe(4);
    // What the Agent's sync received: of the namespace's Secrets, only its ModelConfig's view (by name).
    expect(Object.keys(rounds[0].related?.['Secret.v1'] ?? {})).toEqual([`${ns}/model.modelconfig-view`]);
    for (const [kind, path] of Object.entries(childPaths())) {
      const child = await get(path);
      expect(child, `${kind} child`).toBeDefined();
      expect(child.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'Agent',
          name: 'helper',
          uid: agent.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(child.metadata.labels['controller-uid']).toBe(agent.metadata.uid);
    }
    const cfg = await configJson();
    expect(cfg.model.model).toBe('gpt-4o');
    const again = await agents.reconcileOnce({ namespace: ns, name: 'helper' });
    expect(again.totalWrites, `unchanged resync wrote: ${again.log.join('; ')}`).toBe(0);
  });

  it('Agent: a deleted child is recreated and a hand-edited one is put back', async () => {
    await agents.rest.ok('DELETE', childPaths().Service);
    const dep = await get(childPaths().Deployment);
    const image = dep.spec.template.spec.containers[0].image;
    dep.spec.template.spec.containers[0].image = 'example.test/tampered:1';
    await agents.rest.ok('PUT', childPaths().Deployment, dep);
    const rounds = await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    expect(rounds[0].writes.create, writesOf(rounds)).toBe(1);
    expect(rounds[0].writes.update, writesOf(rounds)).toBe(1);
    expect(await get(childPaths().Service)).toBeDefined();
    expect((await get(childPaths().Deployment)).spec.template.spec.containers[0].image).toBe(image);
  });

  it("Agent: changing the ModelConfig's model changes config.json and the pod-template hash", async () => {
    const annotationsBefore = await podTemplateAnnotations();
    await apply(ns, modelConfigYaml('gpt-4o-mini'));
    await modelConfigs.reconcileUntilStable({ namespace: ns, name: 'model' });
    const rounds = await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    expect(rounds[0].writes.update, writesOf(rounds)).toBeGreaterThanOrEqual(2);
    expect((await configJson()).model.model).toBe('gpt-4o-mini');
    expect(await podTemplateAnnotations()).not.toEqual(annotationsBefore);
    expect(condition(await get(agentPath()), 'Accepted')).toMatchObject({ status: 'True' });
  });

  it('Agent: deleting the ModelConfig reports ModelConfigNotFound and keeps the Deployment; restoring it recovers', async () => {
    await agents.rest.ok('DELETE', mcPath());
    const rounds = await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    expect(
      rounds.reduce((n, r) => n + r.writes.delete, 0),
      writesOf(rounds),
    ).toBe(0);
    const agent = await get(agentPath());
    expect(condition(agent, 'Accepted')).toMatchObject({ status: 'False', reason: 'ModelConfigNotFound' });
    expect(condition(agent, 'Accepted').message).toContain('model');
    for (const path of Object.values(childPaths())) expect(await get(path)).toBeDefined();
    // The ModelConfig's view goes with it (garbage collection, a moment later).
    const viewPath = `/api/v1/namespaces/${ns}/secrets/model.modelconfig-view`;
    for (const deadline = Date.now() + 60_000; (await get(viewPath)) && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 200));
    expect(await get(viewPath), 'the view is garbage-collected with its ModelConfig').toBeUndefined();

    await apply(ns, modelConfigYaml('gpt-4o-mini'));
    // Until the new ModelConfig's controller publishes its view the Agent waits (and keeps its children).
    await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    expect(condition(await get(agentPath()), 'Accepted')).toMatchObject({
      status: 'False',
      reason: 'ModelConfigNotReady',
    });
    for (const path of Object.values(childPaths())) expect(await get(path)).toBeDefined();
    await modelConfigs.reconcileUntilStable({ namespace: ns, name: 'model' });
    await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    expect(condition(await get(agentPath()), 'Accepted')).toMatchObject({ status: 'True' });
  });

  it('Agent: a child the hook no longer returns is deleted (own ServiceAccount -> serviceAccountName)', async () => {
    const r = await kubectl([
      'patch',
      '-n',
      ns,
      'agent',
      'helper',
      '--type=merge',
      '-p',
      '{"spec":{"declarative":{"deployment":{"serviceAccountName":"default"}}}}',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rounds = await agents.reconcileUntilStable({ namespace: ns, name: 'helper' });
    expect(rounds[0].log, writesOf(rounds)).toContain(`delete ServiceAccount ${ns}/helper`);
    expect(await get(childPaths().ServiceAccount)).toBeUndefined();
    expect((await get(childPaths().Deployment)).spec.template.spec.serviceAccountName).toBe('default');
    expect(agents.customizeCalls).toBeGreaterThanOrEqual(2);
  });

  it('Agent using an MCP server that asks for its token: the projected volume as the API server stores it, a resync writes 0 times', async () => {
    await apply(
      ns,
      `
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata:
  name: identity-tools
  annotations: {metagent.dev/service-account-token-audience: metagent-toolserver}
spec: {protocol: STREAMABLE_HTTP, url: ${mcp.url}}
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: tokened}
spec:
  type: Declarative
  declarative:
    systemMessage: You use tools.
    modelConfig: model
    tools:
      - {type: McpServer, mcpServer: {kind: RemoteMCPServer, name: identity-tools, toolNames: [get_pods]}}
`,
    );
    const rounds = await agents.reconcileUntilStable({ namespace: ns, name: 'tokened' });
    expect(rounds[0].writes.create, writesOf(rounds)).toBe(4);
    const deploy = await get(`/apis/apps/v1/namespaces/${ns}/deployments/tokened`);
    const pod = deploy.spec.template.spec;
    expect(pod.serviceAccountName).toBe('tokened');
    expect(pod.volumes.find((v: { name: string }) => v.name === 'metagent-serviceaccount-tokens')).toEqual({
      name: 'metagent-serviceaccount-tokens',
      projected: {
        defaultMode: 420,
        sources: [
          {
            serviceAccountToken: {
              audience: 'metagent-toolserver',
              expirationSeconds: 3600,
              path: 'metagent-toolserver',
            },
          },
        ],
      },
    });
    const secret = await get(`/api/v1/namespaces/${ns}/secrets/tokened`);
    const cfg = JSON.parse(Buffer.from(secret.data['config.json'], 'base64').toString('utf8'));
    expect(cfg.http_tools[0].params.service_account_token_path).toBe(
      '/var/run/secrets/metagent.dev/serviceaccount/metagent-toolserver',
    );
    const again = await agents.reconcileOnce({ namespace: ns, name: 'tokened' });
    expect(again.totalWrites, `unchanged resync wrote: ${again.log.join('; ')}`).toBe(0);
  });

  it('Agent: deleting it garbage-collects the children', async () => {
    await agents.rest.ok('DELETE', agentPath());
    const deadline = Date.now() + 90_000;
    let left: string[] = [];
    while (Date.now() < deadline) {
      left = [];
      for (const [kind, path] of Object.entries(childPaths())) if (await get(path)) left.push(kind);
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(left).toEqual([]);
    expect((await agents.reconcileOnce({ namespace: ns, name: 'helper' })).parentGone).toBe(true);
  }, 120_000);
});
