// `npm run bench:hooks`: the Agent sync hook's throughput and latency over HTTP, next to a bare fastify route that
// echoes a body of the same size, measured in the same run on the same machine. Each server runs in its own child
// process (so the load generator does not share its event loop); the load generator is undici with a fixed
// concurrency. Also: how the hook's p50 grows with the number of tools. The ratio is the last line.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { startSyncHookServer } from '../sync-hooks/server.js';
import { syncAgent } from '../sync-hooks/agent/sync.js';
import { toObjectMap, type KubeObject, type ObjectMap, type SyncRequest } from '../sync-hooks/protocol.js';
import { syncModelConfig } from '../sync-hooks/modelconfig/sync.js';
import { cpuSeconds, percentile } from './measure.js';

const CONCURRENCY = 32;
const WARMUP_MS = 2000;
const ROUNDS = 3;
const MEASURE_MS = 5000;

// ---------------------------------------------------------------------------------------------------------------
// Requests

export interface AgentIdentity {
  name: string;
  uid: string;
  generation: number;
}

export function agentRequest(
  mcpTools: number,
  agentTools: number,
  id: AgentIdentity = { name: 'bench-agent', uid: 'agent-uid', generation: 4 },
): SyncRequest {
  const ns = 'bench';
  const servers: KubeObject[] = [];
  const tools: unknown[] = [];
  for (let i = 0; i < mcpTools; i++) {
    servers.push({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'RemoteMCPServer',
      metadata: { name: `tools-${i}`, namespace: ns, uid: `rmcp-${i}`, generation: 1 },
      spec: {
        description: `tool server ${i}`,
        protocol: 'STREAMABLE_HTTP',
        url: `http://tools-${i}.${ns}:8084/mcp`,
        timeout: '30s',
      },
      status: {
        discoveredTools: [
          { name: `t${i}_a`, description: 'a' },
          { name: `t${i}_b`, description: 'b' },
        ],
      },
    });
    tools.push({
      type: 'McpServer',
      mcpServer: {
        apiGroup: 'kagent.dev',
        kind: 'RemoteMCPServer',
        name: `tools-${i}`,
        toolNames: [`t${i}_a`, `t${i}_b`],
      },
    });
  }
  const others: KubeObject[] = [];
  for (let i = 0; i < agentTools; i++) {
    others.push({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: `helper-${i}`, namespace: ns, uid: `agent-${i}`, generation: 1 },
      spec: {
        type: 'Declarative',
        description: `helper agent ${i}`,
        declarative: { systemMessage: 'help', modelConfig: 'model' },
      },
    });
    tools.push({ type: 'Agent', agent: { name: `helper-${i}` } });
  }
  const parent: KubeObject = {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: {
      name: id.name,
      namespace: ns,
      uid: id.uid,
      generation: id.generation,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      type: 'Declarative',
      description: 'Benchmark agent',
      declarative: { systemMessage: 'You find unhealthy pods and explain why they fail.', modelConfig: 'model', tools },
    },
  };
  const related = toObjectMap([
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openai', namespace: ns },
      data: { 'api-key': Buffer.from('sk-bench').toString('base64') },
    },
    {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'ModelConfig',
      metadata: { name: 'model', namespace: ns, uid: 'mc', generation: 1 },
      spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'openai', apiKeySecretKey: 'api-key' },
    },
    ...servers,
    ...others,
  ]);
  const req: SyncRequest = {
    controller: {
      apiVersion: 'metacontroller.k8s.io/v1alpha1',
      kind: 'CompositeController',
      metadata: { name: 'agents.kagent.dev' },
    },
    parent,
    children: {},
    related,
  };
  // Observed children = what the hook wants (a steady-state resync, the common case), plus a status as stored.
  const first = syncAgent(req, {
    runtimeImage: 'ghcr.io/metagent/metagent-runtime:0.1.0',
    imagePullPolicy: 'IfNotPresent',
  });
  req.children = {
    'Secret.v1': {},
    'ServiceAccount.v1': {},
    'Deployment.apps/v1': {},
    'Service.v1': {},
    ...toObjectMap(first.children),
  };
  parent.status = first.status;
  return req;
}

// Every request of a run is a different Agent (name, uid and generation from a counter, fixed width so the size never
// changes), each with its own steady-state children: a cache keyed on request content — or on the Agent — can never
// answer the benchmark from memory. The bare route is sent the very same bodies.
const NAME_MARK = '@@@@@@';
const GENERATION_MARK = 9999999;

/** Request body number `i` (any i >= 0), from a template built once; `related` may reshape the related objects. */
export function variedBodies(
  mcpTools: number,
  agentTools: number,
  related?: (r: ObjectMap) => ObjectMap,
): (i: number) => string {
  const req = agentRequest(mcpTools, agentTools, {
    name: `bench-${NAME_MARK}`,
    uid: `uid-${NAME_MARK}`,
    generation: GENERATION_MARK,
  });
  if (related) req.related = related(req.related ?? {});
  const parts = JSON.stringify(req).split(new RegExp(`(${NAME_MARK}|${GENERATION_MARK})`));
  const marks = parts.filter((_, k) => k % 2 === 1);
  if (!marks.includes(NAME_MARK) || !marks.includes(String(GENERATION_MARK)))
    throw new Error('benchmark body template has no markers');
  return (i) => {
    const n = String(i % 1_000_000).padStart(6, '0');
    const gen = String(1_000_000 + (i % 9_000_000));
    let out = '';
    for (let k = 0; k < parts.length; k++) out += k % 2 === 0 ? parts[k] : parts[k] === NAME_MARK ? n : gen;
    return out;
  };
}

// A namespace with many Secrets that are none of the Agent's business (Helm releases, TLS keys): what the Agent's
// sync request carried when its customize asked for every Secret of the namespace (`namespace`), and what it carries
// now that it names its ModelConfig's view Secret instead (`views`, sync-hooks/resolve/view.ts).
export const UNRELATED_SECRET_BYTES = 100_000;

export function crowdedRelated(unrelated: number, shape: 'namespace' | 'views'): (r: ObjectMap) => ObjectMap {
  return (r) => {
    const all = Object.values(r).flatMap((g) => Object.values(g));
    if (shape === 'views') {
      const mc = all.find((o) => o.kind === 'ModelConfig')!;
      const secrets = all.filter((o) => o.kind === 'Secret');
      const view = syncModelConfig(
        { controller: {} as KubeObject, parent: mc, children: {}, related: toObjectMap(secrets) },
        { now: '2026-01-01T00:00:00Z' },
      ).children!;
      return toObjectMap([...all.filter((o) => o.kind !== 'Secret'), ...view]);
    }
    const blob = Buffer.alloc(UNRELATED_SECRET_BYTES, 7).toString('base64');
    const noise = Array.from({ length: unrelated }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `sh.helm.release.v1.app-${i}.v1`, namespace: 'bench', labels: { owner: 'helm' } },
      type: 'helm.sh/release.v1',
      data: { release: blob },
    }));
    return toObjectMap([...all, ...noise]);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Servers (child processes)

async function serve(kind: string): Promise<void> {
  process.once('SIGINT', () => process.exit(0)); // a clean exit, so --cpu-prof can write its profile
  let port: number;
  if (kind === 'hooks') {
    // As `metagent sync-hooks` runs it (logging at info, default process metrics), but with room for the load.
    const s = await startSyncHookServer({ logLevel: 'info', maxInFlight: 1024 });
    port = s.port;
  } else {
    const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
    // Parse and re-serialize, like the hook server does with its (same-sized) response.
    app.post('/echo', async (req) => req.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  }
  process.stdout.write(`PORT ${port}\n`);
}

async function startChild(kind: string): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of each server process into dir/<kind> (where the time goes).
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, kind)}`]
    : [];
  const child = spawn(
    process.execPath,
    [...prof, ...process.execArgv, fileURLToPath(import.meta.url), '--serve', kind],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

// ---------------------------------------------------------------------------------------------------------------
// Load

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server process CPU (user + system) per request, microseconds: steadier than req/s on a shared machine. */
  cpuUs: number;
}

async function load(
  server: { url: string; child: ChildProcess },
  path: string,
  body: (i: number) => string,
  concurrency: number,
  warmupMs: number,
  measureMs: number,
): Promise<Result> {
  const url = server.url;
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const lat: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  let sent = 0;
  const worker = async () => {
    while (!stop) {
      const b = body(sent++);
      const t0 = process.hrtime.bigint();
      try {
        const res = await pool.request({
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json' },
          body: b,
        });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      if (measuring) lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((r) => setTimeout(r, warmupMs));
  const cpu0 = await cpuSeconds(server.child.pid);
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const cpu = (await cpuSeconds(server.child.pid)) - cpu0;
  stop = true;
  await Promise.all(workers);
  await pool.close();
  lat.sort((a, b) => a - b);
  return {
    rps: lat.length / elapsed,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    errors,
    cpuUs: (cpu / lat.length) * 1e6,
  };
}

const fmt = (n: number, d = 2) => n.toFixed(d);

async function main(): Promise<void> {
  const body = variedBodies(3, 1);
  const hooks = await startChild('hooks');
  const echo = await startChild('echo');
  try {
    // Sanity: the hook accepts the request and the echo returns the same size.
    const check = await fetch(`${hooks.url}/agent/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(123),
    });
    const checkBody = (await check.json()) as {
      status: { observedGeneration: number; conditions: { type: string; status: string; reason: string }[] };
      children: { metadata: { name: string } }[];
    };
    const acc = checkBody.status.conditions.find((c) => c.type === 'Accepted');
    if (check.status !== 200 || acc?.status !== 'True')
      throw new Error(`benchmark request not accepted: ${check.status} ${JSON.stringify(acc)}`);
    if (
      checkBody.status.observedGeneration !== 1_000_123 ||
      checkBody.children.some((c) => c.metadata.name !== 'bench-000123')
    ) {
      throw new Error('benchmark request variation did not reach the hook');
    }
    if (new Set([0, 1, 999_999].map((i) => Buffer.byteLength(body(i)))).size !== 1)
      throw new Error('benchmark bodies differ in size');
    const responseBytes = Buffer.byteLength(JSON.stringify(checkBody));

    // Alternate the two sides so load from other processes on a shared machine hits both; report the best round.
    const sync: Result[] = [];
    const bare: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      sync.push(await load(hooks, '/agent/sync', body, CONCURRENCY, WARMUP_MS, MEASURE_MS));
      bare.push(await load(echo, '/echo', body, CONCURRENCY, WARMUP_MS, MEASURE_MS));
    }
    const best = (rs: Result[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const s = best(sync);
    const b = best(bare);
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end of the run`,
    );
    console.log(
      `request body ${fmt(Buffer.byteLength(body(0)) / 1024, 1)} KiB (Agent with 3 MCP tools + 1 agent tool, 4 observed children; a different Agent name/uid/generation on every request); hook response ${fmt(responseBytes / 1024, 1)} KiB`,
    );
    console.log(
      `agent sync hook   concurrency ${CONCURRENCY}: ${fmt(s.rps, 0)} req/s, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, server CPU ${fmt(s.cpuUs, 0)} us/req, errors ${s.errors}   (rounds: ${sync.map((r) => fmt(r.rps, 0)).join(', ')} req/s)`,
    );
    console.log(
      `bare fastify echo concurrency ${CONCURRENCY}: ${fmt(b.rps, 0)} req/s, p50 ${fmt(b.p50)} ms, p99 ${fmt(b.p99)} ms, server CPU ${fmt(b.cpuUs, 0)} us/req, errors ${b.errors}   (rounds: ${bare.map((r) => fmt(r.rps, 0)).join(', ')} req/s)`,
    );

    const growth: string[] = [];
    for (const n of [1, 10, 50]) {
      const r = await load(hooks, '/agent/sync', variedBodies(n, 0), 1, 500, 2000);
      growth.push(`${n} tool${n === 1 ? '' : 's'} ${fmt(r.p50)} ms`);
    }
    console.log(`agent sync p50 by number of MCP tools (concurrency 1): ${growth.join(', ')}`);
    await crowdedNamespace(hooks);
    console.log(
      `targets: throughput >= 50% of the bare route: ${s.rps / b.rps >= 0.5 ? 'met' : 'NOT met'}; p99 < 10 ms: ${s.p99 < 10 ? 'met' : 'NOT met'}`,
    );
    console.log(`ratio sync/bare throughput: ${fmt(s.rps / b.rps)} (${fmt(s.rps, 0)} / ${fmt(b.rps, 0)} req/s)`);
  } finally {
    hooks.child.kill('SIGINT');
    echo.child.kill('SIGINT');
  }
}

/** The Agent's sync beside N unrelated Secrets of 100 kB: request size and p50 (concurrency 1), before and after. */
async function crowdedNamespace(hooks: { url: string; child: ChildProcess }): Promise<void> {
  const once = async (body: string) => {
    const res = await fetch(`${hooks.url}/agent/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    const acc =
      res.status === 200
        ? (JSON.parse(text) as SyncResponseLike).status?.conditions?.find((c) => c.type === 'Accepted')
        : undefined;
    return { status: res.status, accepted: acc?.status };
  };
  const lines: string[] = [];
  for (const n of [100, 500]) {
    const row: string[] = [];
    for (const shape of ['namespace', 'views'] as const) {
      const body = variedBodies(3, 1, crowdedRelated(n, shape));
      const size = Buffer.byteLength(body(0));
      const probe = await once(body(0));
      if (probe.status !== 200) {
        row.push(
          `${shape === 'namespace' ? 'before' : 'after'} ${fmt(size / 1024 / 1024, 1)} MiB -> HTTP ${probe.status} (the Agent does not reconcile)`,
        );
        continue;
      }
      if (probe.accepted !== 'True') throw new Error(`crowded-namespace request (${shape}, ${n}) not accepted`);
      const r = await load(hooks, '/agent/sync', body, 1, 500, shape === 'namespace' ? 4000 : 2000);
      const kib = size / 1024;
      row.push(
        `${shape === 'namespace' ? 'before' : 'after'} ${kib >= 1024 ? `${fmt(kib / 1024, 1)} MiB` : `${fmt(kib, 1)} KiB`} p50 ${fmt(r.p50)} ms`,
      );
    }
    lines.push(`  ${n} unrelated Secrets of ${UNRELATED_SECRET_BYTES / 1000} kB in the namespace: ${row.join('; ')}`);
  }
  console.log(
    `agent sync request beside unrelated Secrets (concurrency 1; before = customize asking for every Secret of the namespace, after = naming the ModelConfig's view):\n${lines.join('\n')}`,
  );
}

interface SyncResponseLike {
  status?: { conditions?: { type: string; status: string }[] };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain && process.argv[2] === '--serve') await serve(process.argv[3]);
else if (isMain) await main();
