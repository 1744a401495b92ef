// A namespace crowded with Secrets that are none of the Agent's business (Helm releases, TLS keys, other teams'
// data): 500 of 100 kB each beside an Agent, under the real Metacontroller (a test cluster of its own), with the
// hook server behind the recording proxy (test/metacontroller/hook-proxy.ts), which keeps what each request carried.
// The Agent reconciles, its pods roll when its own API key or its tool server's header Secret changes, and no request
// the hook server received — customize or sync, for the Agent, its ModelConfig or its RemoteMCPServer — carried any
// of the unrelated Secrets: the Agent reads its ModelConfig's and RemoteMCPServer's Secrets through the view Secrets
// their own controllers publish (sync-hooks/resolve/view.ts), and every customize rule names what it asks for.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithCluster } from '../cluster/vitest.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { RECOMMENDED_FLAGS } from '../metacontroller/flags.js';
import { startRealEnv, type RealEnv } from '../metacontroller/real-env.js';
import { MCP_TOOLS, childPath, condition, getObject, parentPath, within } from '../metacontroller/scenario-data.js';

const UNRELATED = 500;
const UNRELATED_BYTES = 100_000;
const NS = 'crowded';
const say = (line: string) => process.stderr.write(`unrelated Secrets: ${line}\n`);

const objects = (mcpUrl: string, key: string, token: string) => `
apiVersion: v1
kind: Secret
metadata: {name: openai}
stringData: {api-key: ${key}}
---
apiVersion: v1
kind: Secret
metadata: {name: tools-token}
stringData: {bearer: Bearer ${token}}
---
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: {name: model}
spec: {provider: OpenAI, model: gpt-4o, apiKeySecret: openai, apiKeySecretKey: api-key}
---
apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: k8s-tools}
spec:
  description: Kubernetes tools
  url: '${mcpUrl}'
  timeout: 5s
  headersFrom:
    - {name: Authorization, valueFrom: {type: Secret, name: tools-token, key: bearer}}
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
      - {type: McpServer, mcpServer: {kind: RemoteMCPServer, name: k8s-tools, toolNames: [get_pods]}}
`;

describeWithCluster('500 unrelated Secrets of 100 kB beside an Agent, under the real Metacontroller', () => {
  let env: RealEnv;
  let mcp: McpTestServer;
  const get = (path: string) => getObject(env.rest, path);
  const apply = async (text: string) => {
    const r = await env.kubectl(['apply', '-n', NS, '-f', '-'], { input: text });
    if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
  };
  const configHash = async () =>
    ((await get(childPath(NS, 'Deployment'))) as any)?.spec.template.metadata.annotations?.['kagent.dev/config-hash'];
  const configJson = async () => {
    const s = (await get(childPath(NS, 'Secret'))) as { data: Record<string, string> } | undefined;
    return s ? JSON.parse(Buffer.from(s.data['config.json'], 'base64').toString('utf8')) : undefined;
  };
  const accepted = async () => {
    const a = await get(parentPath(NS, 'agents', 'helper'));
    if (!a) return false;
    const c = condition(a, 'Accepted');
    return c?.status === 'True' &&
      (a.status as { observedGeneration?: number }).observedGeneration === a.metadata.generation
      ? a
      : false;
  };

  beforeAll(async () => {
    mcp = await startMcpServer({ tools: MCP_TOOLS });
    env = await startRealEnv({ name: 'unrelated-secrets', flags: RECOMMENDED_FLAGS, log: say });
    await env.rest.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const started = Date.now();
    for (let i = 0; i < UNRELATED; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, UNRELATED - i) }, (_, j) =>
          env.rest.ok('POST', `/api/v1/namespaces/${NS}/secrets`, {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: `unrelated-${i + j}`, labels: { owner: 'helm' } },
            type: 'Opaque',
            data: { release: randomBytes(UNRELATED_BYTES).toString('base64') },
          }),
        ),
      );
    }
    say(`${UNRELATED} Secrets of ${UNRELATED_BYTES} bytes created in ${Date.now() - started} ms`);
  }, 900_000);

  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
  });

  it('the Agent reconciles', async () => {
    await apply(objects(mcp.url, 'sk-first', 'first'));
    const r = await within(
      'Agent Accepted with its Deployment',
      120_000,
      async () => (await accepted()) && configHash(),
    );
    say(`Agent Accepted with children in ${r.ms} ms`);
    expect((await configJson()).http_tools[0].params.headers).toEqual({ Authorization: 'Bearer first' });
  }, 180_000);

  it('its pods roll when its own API key changes, and when its tool server header Secret does', async () => {
    const before = await configHash();
    expect(before).toBeTruthy();
    await apply(objects(mcp.url, 'sk-second', 'first'));
    const key = await within('API key rotation rolls the pods', 120_000, async () => {
      const h = await configHash();
      return h && h !== before ? h : false;
    });
    say(`API key rotation reached the pod template in ${key.ms} ms`);
    expect(await accepted()).toBeTruthy();
    await apply(objects(mcp.url, 'sk-second', 'second'));
    const header = await within('header Secret rotation reaches config.json and the pods', 120_000, async () => {
      const cfg = await configJson();
      const h = await configHash();
      return cfg?.http_tools[0].params.headers.Authorization === 'Bearer second' && h !== key.value ? h : false;
    });
    say(`header Secret rotation reached config.json in ${header.ms} ms`);
  }, 300_000);

  it('no request the hook server received carried an unrelated Secret', () => {
    const calls = env.proxy.callsIn(NS);
    const paths = [...new Set(calls.map((c) => c.path))].sort();
    expect(paths).toEqual([
      '/agent/customize',
      '/agent/sync',
      '/modelconfig/customize',
      '/modelconfig/sync',
      '/remotemcpserver/customize',
      '/remotemcpserver/sync',
    ]);
    const leaked = calls.flatMap((c) => c.related.filter((r) => r.startsWith(`Secret.v1 ${NS}/unrelated-`)));
    expect(leaked, 'unrelated Secrets in hook requests').toEqual([]);
    // What each controller's sync did receive, exactly: the Agent only the two views, the owners only their Secret.
    const secretsOf = (path: string) =>
      [
        ...new Set(
          calls
            .filter((c) => c.path === path)
            .flatMap((c) => c.related.filter((r) => r.startsWith('Secret.v1 ')))
            .map((r) => r.slice('Secret.v1 '.length)),
        ),
      ].sort();
    expect(secretsOf('/agent/sync')).toEqual([`${NS}/k8s-tools.remotemcpserver-view`, `${NS}/model.modelconfig-view`]);
    expect(secretsOf('/modelconfig/sync')).toEqual([`${NS}/openai`]);
    expect(secretsOf('/remotemcpserver/sync')).toEqual([`${NS}/tools-token`]);
    const syncs = calls
      .filter((c) => c.path === '/agent/sync')
      .map((c) => c.bytes)
      .sort((a, b) => a - b);
    say(
      `${syncs.length} Agent sync requests: ${syncs[Math.floor(syncs.length / 2)]} bytes p50, ${syncs[syncs.length - 1]} bytes max ` +
        `(the namespace's Secrets: ${UNRELATED} × ${UNRELATED_BYTES} bytes)`,
    );
    // One unrelated Secret alone is 133 kB on the wire: a request under that carried none of them in any form.
    expect(syncs[syncs.length - 1]).toBeLessThan((UNRELATED_BYTES * 4) / 3);
  });
});
