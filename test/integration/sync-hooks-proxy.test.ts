// The hook server's --proxy-url (and kmcp MCPServer tools) on the real control plane, through the contract driver: the customize hook asks for
// every Namespace (cluster-scoped, by an empty selector), Metacontroller's part (here the driver) lists them from the
// API server, and the sync hook routes an in-cluster RemoteMCPServer and an agent tool through the proxy while an
// external URL, and a `<name>.<namespace>` host whose Namespace does not exist, stay direct.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { installCrds } from '../../crds/index.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { CompositeControllerDriver } from '../metacontroller/driver.js';
import { manifestController } from '../metacontroller/manifests.js';

const PROXY = 'http://proxy.kagent.svc.cluster.local:8080';

describeWithCluster('the gateway proxy option through the contract driver', () => {
  let hooks: SyncHookServer;
  let ns: string;
  let tools: string;
  let agents: CompositeControllerDriver;
  let modelConfigs: CompositeControllerDriver;

  beforeAll(async () => {
    await installCrds(kubectl);
    hooks = await startSyncHookServer({
      logLevel: false,
      runtimeImage: 'example.test/metagent-runtime:test',
      proxyUrl: PROXY,
    });
    ns = await createNamespace('proxy');
    tools = await createNamespace('proxytools');
    agents = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: manifestController('agents.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    modelConfigs = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: manifestController('modelconfigs.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    const r = await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: `
apiVersion: v1
kind: Secret
metadata: {name: openai}
stringData: {api-key: sk-test-not-a-real-key}
---
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: {name: model}
spec: {provider: OpenAI, model: gpt-4o, apiKeySecret: openai, apiKeySecretKey: api-key}
---
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: in-cluster}
spec: {description: tools, url: "http://k8s-mcp.${tools}:8084/mcp"}
---
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: no-such-namespace}
spec: {description: tools, url: "http://k8s-mcp.nowhere-${ns}:8084/mcp"}
---
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: external}
spec: {description: tools, url: "https://mcp.example.com/mcp"}
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: helper}
spec:
  type: Declarative
  declarative: {systemMessage: helps, modelConfig: model}
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: main}
spec:
  type: Declarative
  declarative:
    systemMessage: main
    modelConfig: model
    tools:
      - {type: McpServer, mcpServer: {kind: RemoteMCPServer, name: in-cluster, toolNames: [a]}}
      - {type: McpServer, mcpServer: {kind: RemoteMCPServer, name: no-such-namespace, toolNames: [b]}}
      - {type: McpServer, mcpServer: {kind: RemoteMCPServer, name: external, toolNames: [c]}}
      - {type: Agent, agent: {name: helper}}
`,
    });
    if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
    // kmcp's MCPServer CRD, as kagent installs it (only what these tests need of its schema).
    const crd = await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'mcpservers.kagent.dev' },
        spec: {
          group: 'kagent.dev',
          names: { kind: 'MCPServer', plural: 'mcpservers', singular: 'mcpserver', listKind: 'MCPServerList' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      }),
    });
    // The ModelConfig's controller publishes the view of its Secret that the Agents read (as Metacontroller would).
    await modelConfigs.reconcileUntilStable({ namespace: ns, name: 'model' });
    if (crd.code !== 0) throw new Error(`kmcp CRD: ${crd.stderr}`);
    await kubectl(['wait', '--for=condition=Established', 'crd/mcpservers.kagent.dev', '--timeout=60s']);
  }, 180_000);

  afterAll(async () => {
    await hooks?.close();
    for (const n of [ns, tools]) if (n) await deleteNamespace(n).catch(() => undefined);
    await kubectl(['delete', 'crd', 'mcpservers.kagent.dev', '--ignore-not-found', '--wait=false']);
  });

  it('routes in-cluster addresses through the proxy, leaves the others direct, and a resync writes nothing', async () => {
    await agents.reconcileUntilStable({ namespace: ns, name: 'main' });
    const secret = (await agents.rest.request('GET', `/api/v1/namespaces/${ns}/secrets/main`)).body;
    const config = JSON.parse(Buffer.from(secret.data['config.json'], 'base64').toString('utf8'));
    expect(
      config.http_tools.map((t: { params: { url: string; headers: Record<string, string> } }) => [
        t.params.url,
        t.params.headers['x-kagent-host'] ?? null,
      ]),
    ).toEqual([
      [`${PROXY}/mcp`, `k8s-mcp.${tools}`],
      [`http://k8s-mcp.nowhere-${ns}:8084/mcp`, null],
      ['https://mcp.example.com/mcp', null],
    ]);
    expect(config.remote_agents).toEqual([
      { name: `${ns.replace(/-/g, '_')}__NS__helper`, url: PROXY, headers: { 'x-kagent-host': `helper.${ns}` } },
    ]);
    expect((await agents.reconcileOnce({ namespace: ns, name: 'main' })).totalWrites).toBe(0);
  });

  it('a kmcp MCPServer tool: the driver lists it as a related object, and its built URL goes through the proxy', async () => {
    const apply = async (yamlText: string) => {
      for (let attempt = 0; ; attempt++) {
        const r = await kubectl(['apply', '-n', ns, '-f', '-'], { input: yamlText });
        if (r.code === 0) return;
        // Right after the CRD is established the API server may still answer "no matches for kind".
        if (attempt >= 20) throw new Error(`kubectl apply failed: ${r.stderr}`);
        await new Promise((res) => setTimeout(res, 500));
      }
    };
    await apply(`
apiVersion: kagent.dev/v1alpha1
kind: MCPServer
metadata: {name: k8s-kmcp}
spec: {deployment: {port: 3000}, timeout: 45s}
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: kmcp-user}
spec:
  type: Declarative
  declarative:
    systemMessage: uses kmcp
    modelConfig: model
    tools:
      - {type: McpServer, mcpServer: {kind: MCPServer, name: k8s-kmcp, toolNames: [list_pods]}}
`);
    await agents.reconcileUntilStable({ namespace: ns, name: 'kmcp-user' });
    const secret = (await agents.rest.request('GET', `/api/v1/namespaces/${ns}/secrets/kmcp-user`)).body;
    const config = JSON.parse(Buffer.from(secret.data['config.json'], 'base64').toString('utf8'));
    expect(config.http_tools).toEqual([
      {
        params: { url: `${PROXY}/mcp`, headers: { 'x-kagent-host': `k8s-kmcp.${ns}` }, timeout: 45 },
        tools: ['list_pods'],
      },
    ]);
    expect((await agents.reconcileOnce({ namespace: ns, name: 'kmcp-user' })).totalWrites).toBe(0);
  });
});
