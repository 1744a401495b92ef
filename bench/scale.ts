// bench:scale — the reconcile loop at scale on the real Metacontroller and the real API server: N Agents (default
// 1,000) over M namespaces (default 10), each namespace with one ModelConfig, its Secret and one RemoteMCPServer.
// Printed per Metacontroller flag set (recommended, then Metacontroller's defaults, side by side in one run):
//   time until every Agent is Accepted with its four children; API writes per Agent on create (from the API
//   server's apiserver_request_total, Metacontroller's writes only: children and agents/status); writes during an
//   unchanged resync window; hook requests per Agent and the Agent sync hook's p50/p99 (the hook server's
//   histogram); peak RSS of Metacontroller and of the hook server (its own process); then a ModelConfig change
//   reaching the 100 Agents that use it.
// Every candidate flag set (test/metacontroller/flags.ts, the recommended one among them) runs at N Agents;
// Metacontroller's defaults run at --default-agents (default 200: at QPS 5 a 1,000-Agent create takes ~20 minutes),
// and so does the recommended set again, so the defaults' ratio is taken at the same N. CPU seconds of the hook
// server, of Metacontroller and of the control plane (kube-apiserver + etcd) are counted over the create phase.
// The machine's load average is printed per run: the figures are only as good as the machine was quiet.
// Goals are printed, not asserted.
// Usage: npm run bench:scale [-- --agents 1000 --namespaces 10 --default-agents 200 --timeout 300]
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { freePort } from '../test/cluster/cluster.js';
import { cpuSeconds } from './measure.js';
import { rssOf } from '../test/cluster/metacontroller.js';
import { metacontrollerArgs, METACONTROLLER_DEFAULT_FLAGS } from '../cli/install/metacontroller-flags.js';
import { CANDIDATE_FLAG_SETS, type FlagSet } from '../test/metacontroller/flags.js';
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
const DEFAULT_AGENTS = Math.min(arg('default-agents', 200), AGENTS);
const TIMEOUT_S = arg('timeout', 300);
const RESYNC_WINDOW_S = arg('resync-window', 65);
/** --only LABEL[,LABEL...]: run only these flag sets (e.g. --only recommended,defaults). */
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i < 0 ? null : new Set(process.argv[i + 1].split(',').map((l) => l.trim()));
})();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHILD_RESOURCES = new Set(['secrets', 'serviceaccounts', 'deployments', 'services', 'configmaps']);

interface Result {
  label: string;
  agents: number;
  flags: string[];
  load: number[];
  hooksCpuS: number;
  mcCpuS: number;
  controlPlaneCpuS: number;
  acceptedS: number | null;
  acceptedCount: number;
  writesPerAgent: number;
  statusWritesPerAgent: number;
  refusedWritesPerAgent: number;
  resyncWrites: number | null;
  /** CPU over the unchanged resync window, as a share of one core: what the periodic resync costs when idle. */
  resyncCpu: { hooks: number; mc: number; controlPlane: number } | null;
  hookRequestsPerAgent: number;
  hookP50ms: number;
  hookP99ms: number;
  mcRssMiB: number;
  hooksRssMiB: number;
  modelChangeS: number | null;
  modelChangeReached: number;
}

/**
 * Writes Metacontroller made, from apiserver_request_total: child create/update/patch/delete and agents/status that
 * succeeded, and separately those refused (409 conflicts from a sync on a stale cache, 422s, 429s).
 */
async function apiWrites(env: RealEnv): Promise<{ children: number; agentStatus: number; refused: number }> {
  const r = await env.rest.request('GET', '/metrics');
  let children = 0;
  let agentStatus = 0;
  let refused = 0;
  for (const line of String(r.body).split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'].includes(labels.verb)) continue;
    const n = Number(line.slice(line.lastIndexOf(' ') + 1));
    const child = CHILD_RESOURCES.has(labels.resource) && !labels.subresource;
    const status = labels.resource === 'agents' && labels.subresource === 'status';
    if ((child || status) && !labels.code?.startsWith('2')) refused += n;
    else if (child) children += n;
    else if (status) agentStatus += n;
  }
  return { children, agentStatus, refused };
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

async function runOnce(label: string, agentCount: number, flags: string[], mcpUrl: string): Promise<Result> {
  const load = loadavg();
  process.stderr.write(
    `bench:scale ${label} at ${agentCount} Agents (${flags.join(' ')}), load average ${load.map((x) => x.toFixed(2)).join(' ')}\n`,
  );
  const hooks = await startHookProcess();
  const env = await startRealEnv({
    name: `bench-${label.replace(/\W+/g, '-')}-${agentCount}`,
    flags,
    externalHookUrl: hooks.url,
  });
  /** CPU seconds so far of the hook server, Metacontroller and kube-apiserver + etcd. */
  const cpuNow = async () => ({
    hooks: await cpuSeconds(hooks.child.pid),
    mc: await cpuSeconds(env.mc.pid),
    cp: (await cpuSeconds(env.cluster.pids['kube-apiserver'])) + (await cpuSeconds(env.cluster.pids.etcd)),
  });
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
    const cpu0 = await cpuNow();
    const start = Date.now();
    const agents = Array.from({ length: agentCount }, (_, i) => ({ ns: nss[i % NAMESPACES], name: `agent-${i}` }));
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

    // Metacontroller writes a parent's status only after applying its children (syncParentObject), so polling the
    // Agents alone is enough; the children are counted once all Agents are Accepted. (Listing 1,000 Deployments and
    // Services every second cost the API server a noticeable share of the CPU the run measures.)
    const countAccepted = async () => {
      const list = await env.rest.ok('GET', '/apis/kagent.dev/v1alpha2/agents');
      return (list.items as any[]).filter(
        (a) =>
          a.status?.observedGeneration === a.metadata.generation &&
          (a.status?.conditions ?? []).some((c: any) => c.type === 'Accepted' && c.status === 'True'),
      ).length;
    };
    const countChildren = async () => {
      const [deps, svcs] = await Promise.all([
        env.rest.ok('GET', '/apis/apps/v1/deployments?labelSelector=controller-uid'),
        env.rest.ok('GET', '/api/v1/services?labelSelector=controller-uid'),
      ]);
      return Math.min(deps.items.length, svcs.items.length);
    };
    const countReady = async () => {
      const accepted = await countAccepted();
      return accepted < agentCount ? accepted : Math.min(accepted, await countChildren());
    };
    let acceptedS: number | null = null;
    let acceptedCount = 0;
    while (Date.now() - start < TIMEOUT_S * 1000) {
      acceptedCount = await countReady();
      if (acceptedCount >= agentCount) {
        acceptedS = (Date.now() - start) / 1000;
        break;
      }
      await sleep(1000);
    }
    // Create-phase writes: wait until Metacontroller's writes stop (or give up after 20 s), then count.
    let prev = -1;
    for (let i = 0; i < 20; i++) {
      const w = await apiWrites(env);
      if (w.children + w.agentStatus + w.refused === prev) break;
      prev = w.children + w.agentStatus + w.refused;
      await sleep(1000);
    }
    const w1 = await apiWrites(env);
    const m1 = await hooks.metrics();
    const cpu1 = await cpuNow();
    const hookRequestsPerAgent = (hookRequests(m1, 'agent') - hookRequests(m0, 'agent')) / agentCount;

    let resyncWrites: number | null = null;
    let resyncCpu: Result['resyncCpu'] = null;
    let modelChangeS: number | null = null;
    let modelChangeReached = 0;
    if (acceptedS !== null) {
      // An unchanged resync: the Agents' resyncPeriodSeconds passes with nothing changed.
      const before = await apiWrites(env);
      const c0 = await cpuNow();
      await sleep(RESYNC_WINDOW_S * 1000);
      const after = await apiWrites(env);
      const c1 = await cpuNow();
      resyncCpu = {
        hooks: (c1.hooks - c0.hooks) / RESYNC_WINDOW_S,
        mc: (c1.mc - c0.mc) / RESYNC_WINDOW_S,
        controlPlane: (c1.cp - c0.cp) / RESYNC_WINDOW_S,
      };
      // Refused attempts count too: an unchanged resync should not try to write at all.
      resyncWrites =
        after.children + after.agentStatus + after.refused - (before.children + before.agentStatus + before.refused);

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
    process.stderr.write(
      `bench:scale ${label}: ${agentCount} Agents created in ${createdS.toFixed(1)} s, all Accepted: ${acceptedS ?? `no (${acceptedCount})`}\n`,
    );
    return {
      label,
      agents: agentCount,
      flags,
      load,
      hooksCpuS: cpu1.hooks - cpu0.hooks,
      mcCpuS: cpu1.mc - cpu0.mc,
      controlPlaneCpuS: cpu1.cp - cpu0.cp,
      acceptedS,
      acceptedCount,
      writesPerAgent: (w1.children + w1.agentStatus - w0.children - w0.agentStatus) / agentCount,
      statusWritesPerAgent: (w1.agentStatus - w0.agentStatus) / agentCount,
      refusedWritesPerAgent: (w1.refused - w0.refused) / agentCount,
      resyncWrites,
      resyncCpu,
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

const recommended = CANDIDATE_FLAG_SETS.find((c) => c.label === 'recommended')!;
const defaults: FlagSet = { label: 'defaults', flags: METACONTROLLER_DEFAULT_FLAGS };
const runs = (
  [
    ...CANDIDATE_FLAG_SETS.map((c): [FlagSet, number] => [c, AGENTS]),
    ...(DEFAULT_AGENTS < AGENTS ? [[recommended, DEFAULT_AGENTS] as [FlagSet, number]] : []),
    [defaults, DEFAULT_AGENTS],
  ] as [FlagSet, number][]
).filter(([set]) => !ONLY || ONLY.has(set.label));
if (ONLY) {
  const known = new Set([...CANDIDATE_FLAG_SETS.map((c) => c.label), defaults.label]);
  for (const l of ONLY)
    if (!known.has(l)) throw new Error(`--only: no flag set "${l}" (known: ${[...known].join(', ')})`);
}
const mcp = await startMcpServer({ tools: MCP_TOOLS });
const load0 = loadavg();
const results: Result[] = [];
try {
  for (const [set, n] of runs) results.push(await runOnce(set.label, n, metacontrollerArgs(set.flags), mcp.url));
} finally {
  await mcp.close();
}
const load1 = loadavg();
const f = (v: number | null, d = 1) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(d));
/** Agents Accepted per second: all of them over the time it took, or those done when the timeout struck. */
const throughput = (r: Result) => (r.acceptedS === null ? r.acceptedCount / TIMEOUT_S : r.agents / r.acceptedS);
const perNs = (r: Result) => Math.ceil(r.agents / NAMESPACES);
const rows: [string, (r: Result) => string][] = [
  ['Agents', (r) => String(r.agents)],
  ['--client-go-qps / burst / workers', (r) => r.flags.map((a) => a.slice(a.indexOf('=') + 1)).join(' / ')],
  ['load average (1/5/15 min) at start', (r) => r.load.map((x) => x.toFixed(1)).join(' ')],
  [
    'all Accepted with children (s)',
    (r) => (r.acceptedS === null ? `not in ${TIMEOUT_S} s (${r.acceptedCount})` : f(r.acceptedS)),
  ],
  ['Agents Accepted per second', (r) => f(throughput(r))],
  ['API writes per Agent on create', (r) => f(r.writesPerAgent, 2)],
  ['  of which agents/status', (r) => f(r.statusWritesPerAgent, 2)],
  ['  refused writes per Agent (409, ...)', (r) => f(r.refusedWritesPerAgent, 2)],
  [
    `writes in a ${RESYNC_WINDOW_S} s unchanged resync`,
    (r) => (r.resyncWrites === null ? '—' : String(r.resyncWrites)),
  ],
  [
    'idle CPU in it: hooks / MC / apiserver+etcd (% of a core)',
    (r) =>
      r.resyncCpu
        ? [r.resyncCpu.hooks, r.resyncCpu.mc, r.resyncCpu.controlPlane].map((x) => (x * 100).toFixed(0)).join(' / ')
        : '—',
  ],
  ['hook requests per Agent (create)', (r) => f(r.hookRequestsPerAgent, 2)],
  ['agent-sync hook p50 / p99 (ms)', (r) => `${f(r.hookP50ms, 1)} / ${f(r.hookP99ms, 1)}`],
  ['hook server CPU, create (ms/Agent)', (r) => f((r.hooksCpuS * 1000) / r.agents, 1)],
  ['Metacontroller CPU, create (ms/Agent)', (r) => f((r.mcCpuS * 1000) / r.agents, 1)],
  ['apiserver+etcd CPU, create (ms/Agent)', (r) => f((r.controlPlaneCpuS * 1000) / r.agents, 1)],
  ['peak RSS Metacontroller (MiB)', (r) => f(r.mcRssMiB)],
  ['peak RSS hook server (MiB)', (r) => f(r.hooksRssMiB)],
  ['ModelConfig change: Agents using it', (r) => String(perNs(r))],
  [
    'ModelConfig change reaching them (s)',
    (r) =>
      r.acceptedS === null
        ? 'not run'
        : r.modelChangeS === null
          ? `— (${r.modelChangeReached} reached)`
          : f(r.modelChangeS),
  ],
];
const w0 = Math.max(...rows.map(([n]) => n.length));
const col = 16;
console.log(
  `\nbench:scale — Agents over ${NAMESPACES} namespaces, real Metacontroller v4.17.2, real kube-apiserver 1.34 + etcd 3.6`,
);
console.log(
  `machine load average (1/5/15 min): before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${load1.map((x) => x.toFixed(2)).join(' ')}`,
);
console.log(`${''.padEnd(w0)}  ${results.map((r) => r.label.padEnd(col)).join('')}`);
for (const [name, fn] of rows) console.log(`${name.padEnd(w0)}  ${results.map((r) => fn(r).padEnd(col)).join('')}`);

const rec = results.find((r) => r.label === 'recommended' && r.agents === AGENTS);
console.log('\nratios at the same N (time to all Accepted; Agents Accepted per second when a run hit the timeout):');
for (const r of results) {
  const same = results.find((x) => x.label === 'recommended' && x.agents === r.agents);
  if (!same || r === same) continue;
  if (r.acceptedS !== null && same.acceptedS !== null)
    console.log(`  time, ${r.label} / recommended at ${r.agents}: ${(r.acceptedS / same.acceptedS).toFixed(2)}x`);
  else
    console.log(
      `  Agents per second, recommended / ${r.label} at ${r.agents}: ${(throughput(same) / throughput(r)).toFixed(2)}x`,
    );
}
if (rec) {
  console.log('\ngoals (recommended flags):');
  const pick = (name: string) => rows.find(([n]) => n === name)![1](rec);
  console.log(
    `  ${AGENTS} Accepted < 60 s: ${rec.acceptedS !== null && rec.acceptedS < 60 ? 'met' : 'NOT met'} (${pick('all Accepted with children (s)')})`,
  );
  console.log(
    `  <= one write per child + one status write per Agent (<= 5): ${rec.writesPerAgent <= 5 ? 'met' : 'NOT met'} (${f(rec.writesPerAgent, 2)})`,
  );
  console.log(
    `  zero writes on an unchanged resync: ${rec.resyncWrites === 0 ? 'met' : 'NOT met'} (${rec.resyncWrites ?? '—'})`,
  );
  console.log(
    `  ModelConfig change to ${perNs(rec)} Agents < 10 s: ${rec.modelChangeS !== null && rec.modelChangeS < 10 ? 'met' : 'NOT met'} (${pick('ModelConfig change reaching them (s)')})`,
  );
}
process.exit(0);
