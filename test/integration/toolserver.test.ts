// The tool server against the real test API server, called through the MCP SDK client over both transports. It runs
// as its own ServiceAccount with exactly manifests/toolserver/clusterrole.yaml (token checks and impersonation), and
// every call reads the cluster as the calling agent's ServiceAccount, from the token the agent presents.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describeWithCluster } from '../cluster/vitest.js';
import { kubeConfig, createNamespace, deleteNamespace } from '../cluster/kube.js';
import { startToolServer, type ToolServer } from '../../toolserver/index.js';
import { createPodWithState, deletePodsNow } from '../e2e/pods.js';
import {
  createServiceAccount,
  deleteClusterRoleBindings,
  grantView,
  serviceAccountToken,
  toolServerIdentity,
  type ToolServerIdentity,
} from '../cluster/identity.js';

const AUDIENCE = 'metagent-toolserver';
const bearer = (token: string) => ({ requestInit: { headers: { authorization: `Bearer ${token}` } } });

type CallResult = { content: { type: string; text: string }[]; isError?: boolean };

describeWithCluster('toolserver against the test API server', () => {
  let server: ToolServer;
  let client: Client;
  let ns: string;
  let identity: ToolServerIdentity;
  let opsToken: string;
  const clusterBindings: string[] = [];
  const logLines: string[] = [];

  const call = async (name: string, args: Record<string, unknown> = {}, c = client) => {
    const r = (await c.callTool({ name, arguments: args })) as CallResult;
    return { text: r.content.map((x) => x.text).join('\n'), isError: !!r.isError };
  };

  beforeAll(async () => {
    const kc = kubeConfig();
    ns = await createNamespace('toolserver');
    await createPodWithState(kc, ns, 'redis-1', 'running');
    await createPodWithState(kc, ns, 'redis-2', 'crashloop');
    await createPodWithState(kc, ns, 'web-1', 'running');
    await createPodWithState(kc, ns, 'cache-1', 'imagepull');
    await kc.makeApiClient(CoreV1Api).createNamespacedEvent({
      namespace: ns,
      body: {
        metadata: { name: 'redis-2.backoff' },
        involvedObject: { kind: 'Pod', name: 'redis-2', namespace: ns },
        reason: 'BackOff',
        type: 'Warning',
        message: 'Back-off restarting failed container main in pod redis-2',
        count: 12,
        firstTimestamp: new Date(),
        lastTimestamp: new Date(),
        source: { component: 'kubelet' },
      },
    });
    identity = await toolServerIdentity(ns);
    // An ops agent that may read the whole cluster (the example's ClusterRoleBinding of `view`).
    await createServiceAccount(ns, 'ops-agent');
    clusterBindings.push(await grantView({ namespace: ns, name: 'ops-agent' }));
    opsToken = await serviceAccountToken(ns, 'ops-agent', AUDIENCE);
    server = await startToolServer({
      port: 0,
      host: '127.0.0.1',
      kubeConfig: identity.kubeConfig,
      logLevel: 'info',
      logStream: { write: (line) => void logLines.push(line) },
    });
    client = new Client({ name: 'toolserver-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), bearer(opsToken)));
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    await deleteClusterRoleBindings(clusterBindings);
    await identity?.cleanup();
    if (ns) {
      await deletePodsNow(kubeConfig(), ns);
      await deleteNamespace(ns);
    }
  });

  it('lists the six read-only tools with input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'describe_pod',
      'get_events',
      'get_pod_logs',
      'get_resources',
      'list_namespaces',
      'list_pods',
    ]);
    const listPods = tools.find((t) => t.name === 'list_pods')!;
    expect(Object.keys(listPods.inputSchema.properties ?? {})).toContain('namespace');
    expect(listPods.annotations?.readOnlyHint).toBe(true);
  });

  it('list_pods reads the real pods and flags the CrashLoopBackOff and ImagePullBackOff ones', async () => {
    const { text, isError } = await call('list_pods', { namespace: ns });
    expect(isError).toBe(false);
    expect(text.split('\n')[0]).toBe(`2 of 4 pods in namespace ${ns} are UNHEALTHY:`);
    expect(text).toContain(`- ${ns}/redis-2: CrashLoopBackOff — container main CrashLoopBackOff`);
    expect(text).toContain(`- ${ns}/cache-1: ImagePullBackOff`);
    expect(text).toMatch(/redis-1\s+1\/1\s+Running\s+0/);
    const unhealthy = await call('list_pods', { namespace: ns, only_unhealthy: true });
    expect(unhealthy.text).not.toContain('web-1');
    const all = await call('list_pods', {});
    expect(all.text).toContain(`${ns}/redis-2: CrashLoopBackOff`);
    const selected = await call('list_pods', { namespace: ns, label_selector: 'app=web' });
    expect(selected.text.split('\n')[0]).toBe(`All 1 pods in namespace ${ns} are healthy.`);
  });

  it('describe_pod shows container state and the pod events', async () => {
    const { text } = await call('describe_pod', { namespace: ns, name: 'redis-2' });
    expect(text).toContain(`Pod ${ns}/redis-2`);
    expect(text).toContain('last state: Terminated: Error (exit code 1)');
    expect(text).toContain('Back-off restarting failed container main in pod redis-2');
  });

  it('get_events filters by object and type', async () => {
    const { text } = await call('get_events', { namespace: ns, involved_object: 'redis-2', only_warnings: true });
    expect(text).toMatch(/BackOff\s+pod\/redis-2\s+12/);
    const none = await call('get_events', { namespace: ns, involved_object: 'web-1' });
    expect(none.text).toBe(`No events in namespace ${ns} for web-1.`);
  });

  it('get_resources prints server-side tables and YAML', async () => {
    const pods = await call('get_resources', { kind: 'po', namespace: ns });
    expect(pods.text.split('\n')[0]).toBe(`4 pods in namespace ${ns}:`);
    expect(pods.text).toMatch(/redis-2\s+0\/1\s+CrashLoopBackOff\s+7/);
    const nsTable = await call('get_resources', { kind: 'namespaces', name: ns });
    expect(nsTable.text).toMatch(new RegExp(`${ns}\\s+Active`));
    const yaml = await call('get_resources', { kind: 'pod', namespace: ns, name: 'web-1', output: 'yaml' });
    expect(yaml.text).toContain('image: nginx:1.27');
    expect(yaml.text).not.toContain('managedFields');
  });

  it('list_namespaces includes the test namespace', async () => {
    const { text } = await call('list_namespaces');
    expect(text).toMatch(new RegExp(`${ns}\\s+Active`));
  });

  it('API errors and bad arguments become tool errors with the reason', async () => {
    const missing = await call('describe_pod', { namespace: ns, name: 'nope' });
    expect(missing).toEqual({ isError: true, text: 'describe_pod failed: HTTP 404 NotFound: pods "nope" not found' });
    // No kubelet: the API server cannot reach one for logs, and says why.
    const logs = await call('get_pod_logs', { namespace: ns, name: 'redis-2', previous: true });
    expect(logs.isError).toBe(true);
    expect(logs.text).toMatch(/^get_pod_logs failed: HTTP \d{3}/);
    const kind = await call('get_resources', { kind: 'secrets' });
    expect(kind.isError).toBe(true);
    expect(kind.text).toContain('unsupported kind "secrets"');
    const badArgs = await call('get_pod_logs', { namespace: ns });
    expect(badArgs.isError).toBe(true);
    expect(badArgs.text).toContain('name');
  });

  it('counts calls by outcome in /metrics and answers /healthz', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/metagent_toolserver_tool_calls_total\{tool="list_pods",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/metagent_toolserver_tool_calls_total\{tool="describe_pod",outcome="error"\} [1-9]/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/mcp`)).status).toBe(405);
  });

  it('serves the same tools over SSE', async () => {
    const sse = new Client({ name: 'toolserver-sse-test', version: '1' });
    await sse.connect(new SSEClientTransport(new URL(`${server.url}/sse`), bearer(opsToken)));
    try {
      const { text } = await call('list_pods', { namespace: ns, only_unhealthy: true }, sse);
      expect(text).toContain(`${ns}/redis-2: CrashLoopBackOff`);
    } finally {
      await sse.close();
    }
    const stale = await fetch(`${server.url}/messages?sessionId=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(stale.status).toBe(404);
  });

  describe("per-agent identity: each call reads the cluster as the caller's ServiceAccount", () => {
    let nsA: string;
    let nsB: string;
    let tokenA: string;

    beforeAll(async () => {
      const kc = kubeConfig();
      nsA = await createNamespace('toolserver-a');
      nsB = await createNamespace('toolserver-b');
      await createPodWithState(kc, nsA, 'api-1', 'crashloop');
      await createPodWithState(kc, nsB, 'secret-app-1', 'running');
      await createServiceAccount(nsA, 'agent-a');
      await grantView({ namespace: nsA, name: 'agent-a' }, nsA);
      tokenA = await serviceAccountToken(nsA, 'agent-a', AUDIENCE);
    });

    afterAll(async () => {
      for (const n of [nsA, nsB].filter(Boolean)) {
        await deletePodsNow(kubeConfig(), n);
        await deleteNamespace(n);
      }
    });

    const connect = async (token: string | undefined, transport: 'http' | 'sse' = 'http') => {
      const c = new Client({ name: 'agent', version: '1' });
      const opts = token === undefined ? {} : bearer(token);
      await c.connect(
        transport === 'http'
          ? new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), opts)
          : new SSEClientTransport(new URL(`${server.url}/sse`), opts),
      );
      return c;
    };

    it('agent A with view in ns-a lists ns-a pods, and is refused ns-b and the whole cluster with the reason', async () => {
      for (const transport of ['http', 'sse'] as const) {
        const a = await connect(tokenA, transport);
        try {
          const own = await call('list_pods', { namespace: nsA }, a);
          expect(own.isError, own.text).toBe(false);
          expect(own.text).toContain(`- ${nsA}/api-1: CrashLoopBackOff`);
          const other = await call('list_pods', { namespace: nsB }, a);
          expect(other.isError).toBe(true);
          expect(other.text).toBe(
            `list_pods failed: HTTP 403 Forbidden: pods is forbidden: User "system:serviceaccount:${nsA}:agent-a" ` +
              `cannot list resource "pods" in API group "" in the namespace "${nsB}" (tools read the cluster as the ` +
              `agent's ServiceAccount ${nsA}/agent-a; to let it read a namespace: kubectl create rolebinding ` +
              `agent-a-view --clusterrole=view --serviceaccount=${nsA}:agent-a -n NAMESPACE)`,
          );
          expect(other.text).not.toContain('secret-app-1');
          const all = await call('list_pods', {}, a);
          expect(all.isError).toBe(true);
          expect(all.text).toContain('cannot list resource "pods" in API group "" at the cluster scope');
          const describe = await call('describe_pod', { namespace: nsB, name: 'secret-app-1' }, a);
          expect(describe.isError).toBe(true);
          expect(describe.text).toContain('cannot get resource "pods"');
          // The same token in ns-a again: the cached check still impersonates the same ServiceAccount.
          expect((await call('get_resources', { kind: 'pods', namespace: nsA }, a)).text).toContain('api-1');
        } finally {
          await a.close();
        }
      }
    });

    it('refuses tool calls with no token, a garbage token, a token for another audience or the API server', async () => {
      const cases: { what: string; token: string | undefined; text: RegExp }[] = [
        {
          what: 'no token',
          token: undefined,
          text: /^list_pods refused: no ServiceAccount token was presented; .*metagent\.dev\/service-account-token-audience: metagent-toolserver$/,
        },
        {
          what: 'garbage',
          token: 'garbage-not-a-jwt-0123456789',
          text: /^list_pods refused: the token is not a valid ServiceAccount token for audience "metagent-toolserver"/,
        },
        {
          what: 'another audience',
          token: await serviceAccountToken(nsA, 'agent-a', 'vault'),
          text: /^list_pods refused: the token is not a valid ServiceAccount token for audience "metagent-toolserver"/,
        },
        {
          what: "the API server's audience (a plain `kubectl create token`)",
          token: await serviceAccountToken(nsA, 'agent-a'),
          text: /^list_pods refused: the token is not a valid ServiceAccount token for audience "metagent-toolserver"/,
        },
      ];
      for (const c of cases) {
        // Listing tools is open (discovery has no identity); calling one is not.
        const client = await connect(c.token);
        try {
          expect((await client.listTools()).tools.length, c.what).toBe(6);
          const r = await call('list_pods', { namespace: nsA }, client);
          expect(r.isError, c.what).toBe(true);
          expect(r.text, c.what).toMatch(c.text);
          expect(r.text).not.toMatch(/\n\s+at /); // no stack trace
          if (c.token) expect(r.text).not.toContain(c.token);
        } finally {
          await client.close();
        }
      }
      // Not a bearer token at all.
      const basic = new Client({ name: 'agent', version: '1' });
      await basic.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: 'Basic dXNlcjpwYXNz' } },
        }),
      );
      try {
        expect((await call('list_pods', { namespace: nsA }, basic)).text).toBe(
          'list_pods refused: the Authorization header is not a Bearer token',
        );
      } finally {
        await basic.close();
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/metagent_toolserver_tool_calls_total\{tool="list_pods",outcome="refused"\} [5-9]/);
    });

    it('never writes a token into its logs', async () => {
      const logs = logLines.join('');
      expect(logs).toContain('"msg":"tool call refused"');
      expect(logs).toContain(`"serviceAccount":"${nsA}/agent-a"`);
      for (const token of [tokenA, opsToken]) expect(logs).not.toContain(token);
      expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./); // no JWT of any kind
    });
  });

  it('a tool server whose credentials the API server rejects cannot check tokens, and says so', async () => {
    const kc = kubeConfig();
    const bad = new KubeConfig();
    bad.loadFromOptions({
      clusters: [{ ...kc.getCurrentCluster()!, name: 'c' }],
      users: [{ name: 'u', token: 'not-a-valid-token' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const other = await startToolServer({ port: 0, host: '127.0.0.1', kubeConfig: bad, logLevel: 'silent' });
    const c = new Client({ name: 't', version: '1' });
    try {
      await c.connect(new StreamableHTTPClientTransport(new URL(`${other.url}/mcp`), bearer(opsToken)));
      const r = await call('list_namespaces', {}, c);
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^list_namespaces refused: cannot check the token \(TokenReview HTTP 401/);
      expect(r.text).not.toContain(opsToken);
    } finally {
      await c.close();
      await other.close();
    }
  });
});

describe('startToolServer configuration errors', () => {
  it('refuses to start outside a pod without --kubeconfig, and names a missing kubeconfig file', async () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      await expect(startToolServer({ port: 0 })).rejects.toThrow(/not running inside a Kubernetes pod.*--kubeconfig/);
      await expect(startToolServer({ port: 0, kubeconfig: '/nonexistent/kubeconfig' })).rejects.toThrow(
        /cannot load kubeconfig \/nonexistent\/kubeconfig/,
      );
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});
