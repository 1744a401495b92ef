// bench:scale — the reconcile loop at scale on the real Metacontroller and the real API server: N Agents (default
// 1,000) over M namespaces (default 10), each namespace with one ModelConfig, its Secret and one RemoteMCPServer.
// Printed per Metacontroller flag set (recommended, then Metacontroller's defaults, side by side in one run):
//   time until every Agent is Accepted with its four children; API writes per Agent on create (from the API
//   server's apiserver_request_total, Metacontroller's writes only: children and agents/status); writes during an
//   unchanged resync window; hook requests per Agent and the Agent sync hook's p50/p99 (the hook server's
//   histogram); peak RSS of Metacontroller and of the hook server (its own process); then a ModelConfig change
//   reaching the 100 Agents that use it.
// Goals are printed, not asserted. Usage: npm run bench:scale [-- --agents 1000 --namespaces 10 --timeout 180]
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { freePort } from '../test/cluster/cluster.js';
import { rssOf } from '../test/cluster/metacontroller.js';
import { DEFAULT_FLAGS, RECOMMENDED_FLAGS } from '../test/metacontroller/flags.js';
import { startRealEnv, type RealEnv } from '../test/metacontroller/real-env.js';
import { startMcpServer } from '../test/mocks/mcp-server.js';
import { MCP_TOOLS } from '../test/metacontroller/scenario-data.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0)
    throw new Error(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
};
const AGENTS = arg('agents', 1000);
const NAMESPACES = arg('namespaces', 10);
const TIMEOUT_S = arg('timeout', 180);
const RESYNC_WINDOW_S = arg('resync-window', 65);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHILD_RESOURCES = new Set(['secrets', 'serviceaccounts', 'deployments', 'services', 'configmaps']);

interface Result {
  label: string;
  flags: string[];
  acceptedS: number | null;
  acceptedCount: number;
  writesPerAgent: number;
  statusWritesPerAgent: number;
  resyncWrites: number | null;
  hookRequestsPerAgent: number;
  hookP50ms: number;
  hookP99ms: number;
  mcRssMiB: number;
  hooksRssMiB: number;
  modelChangeS: number | null;
  modelChangeReached: number;
}

/** Writes Metacontroller made, from apiserver_request_total: child create/update/patch/delete and agents/status. */
async function apiWrites(env: RealEnv): Promise<{ children: number; agentStatus: number }> {
  const r = await env.rest.request('GET', '/metrics');
  let children = 0;
  let agentStatus = 0;
  for (const line of String(r.body).split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(labels.verb)) continue;
    const n = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (CHILD_RESOURCES.has(labels.resource) && !labels.subresource) children += n;
    if (labels.resource === 'agents' && labels.subresource === 'status') agentStatus += n;
  }
  return { children, agentStatus };
}

/** histogram_quantile over one series of the hook server's duration histogram (linear within a bucket). */
function quantile(metrics: string, hook: string, q: number): number {
  const buckets: [number, number][] = [];
  for (const line of metrics.split('\n')) {
    const m =
      new RegExp(`^metagent_sync_hook_duration_seconds_bucket\\{.*hook="${hook}".*le="([^"]+)".*\\} (\\S+)`).exec(
        line,
      ) ??
      new RegExp(`^metagent_sync_hook_duration_seconds_bucket\\{.*le="([^"]+)".*hook="${hook}".*\\} (\\S+)`).exec(line);
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (!total) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (le === Infinity) return prevLe * 1000;
      return (prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, count - prevCount)) * 1000;
    }
    prevLe = le;
    prevCount = count;
  }
  return NaN;
}

function hookRequests(metrics: string, prefix: string): number {
  let n = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith('metagent_sync_hook_requests_total{') && new RegExp(`hook="${prefix}-`).test(line))
      n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

async function startHookProcess(): Promise<{ url: string; child: ChildProcess; metrics: () => Promise<string> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      `${repo}bin/metagent.js`,
      'sync-hooks',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--runtime-image',
      'example.test/metagent-runtime:bench',
      '--max-in-flight',
      '256',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/metrics`)).ok)
        return { url, child, metrics: async () => (await fetch(`${url}/metrics`)).text() };
    } catch {
      /* starting */
    }
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error('the hook server did not start within 30 s');
}

/** Runs `fns` with at most `n` in flight. */
async function pool<T>(n: number, items: T[], fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

async function runOnce(label: string, flags: string[], mcpUrl: string): Promise<Result> {
  const hooks = await startHookProcess();
  const env = await startRealEnv({ name: `bench-${label}`, flags, externalHookUrl: hooks.url });
  let mcPeak = 0;
  let hooksPeak = 0;
  const sampler = setInterval(() => {
    mcPeak = Math.max(mcPeak, env.mc.rssBytes());
    hooksPeak = Math.max(hooksPeak, rssOf(hooks.child.pid!));
  }, 500);
  try {
    const nss = Array.from({ length: NAMESPACES }, (_, i) => `scale-${i}`);
    const post = (path: string, body: unknown) => env.rest.ok('POST', path, body);
    for (const ns of nss) {
      await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await post(`/api/v1/namespaces/${ns}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'openai' },
        stringData: { 'api-key': 'sk-bench' },
      });
      await post(`/apis/kagent.dev/v1alpha2/namespaces/${ns}/modelconfigs`, {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'ModelConfig',
        metadata: { name: 'model' },
        spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'openai', apiKeySecretKey: 'api-key' },
      });
      await post(`/apis/kagent.dev/v1alpha2/namespaces/${ns}/remotemcpservers`, {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'RemoteMCPServer',
        metadata: { name: 'tools' },
        spec: { description: 'tools', protocol: 'STREAMABLE_HTTP', url: mcpUrl, timeout: '5s' },
      });
    }
    // Let the ModelConfigs and RemoteMCPServers settle, so the create phase counts the Agents' work.
    await sleep(3000);
    const w0 = await apiWrites(env);
    const m0 = await hooks.metrics();
    const start = Date.now();
    const agents = Array.from({ length: AGENTS }, (_, i) => ({ ns: nss[i % NAMESPACES], name: `agent-${i}` }));
    await pool(16, agents, (a) =>
      post(`/apis/kagent.dev/v1alpha2/namespaces/${a.ns}/agents`, {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'Agent',
        metadata: { name: a.name },
        spec: {
          type: 'Declarative',
          description: 'bench',
          declarative: {
            systemMessage: 'You help.',
            modelConfig: 'model',
            tools: [
              {
                type: 'McpServer',
                mcpServer: { apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'tools', toolNames: ['get_pods'] },
              },
            ],
          },
        },
      }),
    );
    const createdS = (Date.now() - start) / 1000;

    const countReady = async () => {
      const [list, deps, svcs] = await Promise.all([
        env.rest.ok('GET', '/apis/kagent.dev/v1alpha2/agents'),
        env.rest.ok('GET', '/apis/apps/v1/deployments?labelSelector=controller-uid'),
        env.rest.ok('GET', '/api/v1/services?labelSelector=controller-uid'),
      ]);
      const accepted = (list.items as any[]).filter(
        (a) =>
          a.status?.observedGeneration === a.metadata.generation &&
          (a.status?.conditions ?? []).some((c: any) => c.type === 'Accepted' && c.status === 'True'),
      ).length;
      return Math.min(accepted, deps.items.length, svcs.items.length);
    };
    let acceptedS: number | null = null;
    let acceptedCount = 0;
    while (Date.now() - start < TIMEOUT_S * 1000) {
      acceptedCount = await countReady();
      if (acceptedCount >= AGENTS) {
        acceptedS = (Date.now() - start) / 1000;
        break;
      }
      await sleep(1000);
    }
    // Create-phase writes: wait until Metacontroller's writes stop (or give up after 20 s), then count.
    let prev = -1;
    for (let i = 0; i < 20; i++) {
      const w = await apiWrites(env);
      if (w.children + w.agentStatus === prev) break;
      prev = w.children + w.agentStatus;
      await sleep(1000);
    }
    const w1 = await apiWrites(env);
    const m1 = await hooks.metrics();
    const hookRequestsPerAgent = (hookRequests(m1, 'agent') - hookRequests(m0, 'agent')) / AGENTS;

    let resyncWrites: number | null = null;
    let modelChangeS: number | null = null;
    let modelChangeReached = 0;
    if (acceptedS !== null) {
      // An unchanged resync: the Agents' resyncPeriodSeconds passes with nothing changed.
      const before = await apiWrites(env);
      await sleep(RESYNC_WINDOW_S * 1000);
      const after = await apiWrites(env);
      resyncWrites = after.children + after.agentStatus - (before.children + before.agentStatus);

      // A ModelConfig change reaching the Agents that use it (one namespace's).
      const ns = nss[0];
      const users = agents.filter((a) => a.ns === ns).length;
      const t = Date.now();
      await env.rest.ok(
        'PATCH',
        `/apis/kagent.dev/v1alpha2/namespaces/${ns}/modelconfigs/model`,
        { spec: { model: 'gpt-4o-mini' } },
        'application/merge-patch+json',
      );
      while (Date.now() - t < 120_000) {
        const secrets = await env.rest.ok('GET', `/api/v1/namespaces/${ns}/secrets?labelSelector=controller-uid`);
        modelChangeReached = (secrets.items as any[]).filter((s) =>
          Buffer.from(s.data['config.json'], 'base64').toString().includes('"gpt-4o-mini"'),
        ).length;
        if (modelChangeReached >= users) {
          modelChangeS = (Date.now() - t) / 1000;
          break;
        }
        await sleep(250);
      }
    }
    process.stderr.write(`bench:scale ${label}: ${AGENTS} Agents created in ${createdS.toFixed(1)} s\n`);
    return {
      label,
      flags,
      acceptedS,
      acceptedCount,
      writesPerAgent: (w1.children + w1.agentStatus - w0.children - w0.agentStatus) / AGENTS,
      statusWritesPerAgent: (w1.agentStatus - w0.agentStatus) / AGENTS,
      resyncWrites,
      hookRequestsPerAgent,
      hookP50ms: quantile(m1, 'agent-sync', 0.5),
      hookP99ms: quantile(m1, 'agent-sync', 0.99),
      mcRssMiB: mcPeak / 2 ** 20,
      hooksRssMiB: hooksPeak / 2 ** 20,
      modelChangeS,
      modelChangeReached,
    };
  } finally {
    clearInterval(sampler);
    await env.stop();
    hooks.child.kill('SIGTERM');
  }
}

const mcp = await startMcpServer({ tools: MCP_TOOLS });
const load0 = loadavg();
const results: Result[] = [];
try {
  for (const [label, flags] of [
    ['recommended', RECOMMENDED_FLAGS],
    ['defaults', DEFAULT_FLAGS],
  ] as const)
    results.push(await runOnce(label, [...flags], mcp.url));
} finally {
  await mcp.close();
}
const load1 = loadavg();
const perNs = Math.ceil(AGENTS / NAMESPACES);
const f = (v: number | null, d = 1) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(d));
const rows: [string, (r: Result) => string][] = [
  ['Metacontroller flags', (r) => r.flags.join(' ')],
  [
    `all ${AGENTS} Accepted with children (s)`,
    (r) => (r.acceptedS === null ? `not within ${TIMEOUT_S} s (${r.acceptedCount} done)` : f(r.acceptedS)),
  ],
  ['API writes per Agent on create', (r) => f(r.writesPerAgent, 2)],
  ['  of which agents/status', (r) => f(r.statusWritesPerAgent, 2)],
  [
    `writes during a ${RESYNC_WINDOW_S} s unchanged resync`,
    (r) => (r.resyncWrites === null ? '—' : String(r.resyncWrites)),
  ],
  ['hook requests per Agent (create)', (r) => f(r.hookRequestsPerAgent, 2)],
  ['agent-sync hook p50 / p99 (ms)', (r) => `${f(r.hookP50ms, 2)} / ${f(r.hookP99ms, 2)}`],
  ['peak RSS Metacontroller (MiB)', (r) => f(r.mcRssMiB)],
  ['peak RSS hook server (MiB)', (r) => f(r.hooksRssMiB)],
  [
    `ModelConfig change reaching ${perNs} Agents (s)`,
    (r) => (r.modelChangeS === null ? `— (${r.modelChangeReached} reached)` : f(r.modelChangeS)),
  ],
];
const w0 = Math.max(...rows.map(([n]) => n.length));
console.log(
  `\nbench:scale — ${AGENTS} Agents over ${NAMESPACES} namespaces, real Metacontroller v4.17.2, real kube-apiserver`,
);
console.log(
  `machine load average (1/5/15 min): before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${load1.map((x) => x.toFixed(2)).join(' ')}`,
);
console.log(`${''.padEnd(w0)}  ${results.map((r) => r.label.padEnd(28)).join('')}`);
for (const [name, fn] of rows) console.log(`${name.padEnd(w0)}  ${results.map((r) => fn(r).padEnd(28)).join('')}`);
const rec = results[0];
const dft = results[1];
if (rec.acceptedS && dft.acceptedS)
  console.log(`time to all Accepted, defaults / recommended: ${(dft.acceptedS / rec.acceptedS).toFixed(1)}x`);
console.log('\ngoals (recommended flags):');
console.log(
  `  ${AGENTS} Accepted < 60 s: ${rec.acceptedS !== null && rec.acceptedS < 60 ? 'met' : 'NOT met'} (${rows[1][1](rec)})`,
);
console.log(
  `  <= one write per child + one status write per Agent (<= 5): ${rec.writesPerAgent <= 5 ? 'met' : 'NOT met'} (${f(rec.writesPerAgent, 2)})`,
);
console.log(`  zero writes on an unchanged resync: ${rec.resyncWrites === 0 ? 'met' : 'NOT met'} (${rows[4][1](rec)})`);
console.log(
  `  ModelConfig change to ${perNs} Agents < 10 s: ${rec.modelChangeS !== null && rec.modelChangeS < 10 ? 'met' : 'NOT met'} (${rows[9][1](rec)})`,
);
process.exit(0);
