// `npm run bench:webhook`: admission latency (p50/p99) and throughput of the webhook server for a realistic Agent at
// concurrency 32, measured side by side with a bare fastify HTTPS route that answers a constant AdmissionReview.
// Each server runs in its own child process (the load generator must not share the server's event loop); the two
// alternate for several rounds so machine noise hits both alike. Targets: p99 < 5 ms; >= 50% of the bare throughput.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { cpuSeconds, percentile } from './measure.js';

const CONCURRENCY = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 4000);
const WARMUP_MS = 1000;

// A realistic Agent as kubectl sends it: tools of two kinds, approval, headers, deployment settings, A2A skills.
const agent = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: {
    name: 'k8s-helper',
    namespace: 'team-a',
    uid: 'c0ffee00-0000-4000-8000-000000000001',
    generation: 1,
    labels: { team: 'a' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: {
    description: 'Answers questions about the cluster and fixes simple problems.',
    declarative: {
      modelConfig: 'default-model-config',
      systemMessage: 'You are a Kubernetes expert. Explain what you find and ask before changing anything.',
      tools: [
        {
          type: 'McpServer',
          mcpServer: {
            name: 'k8s-tools',
            kind: 'RemoteMCPServer',
            apiGroup: 'kagent.dev',
            toolNames: ['list_pods', 'get_pod_logs', 'describe_pod', 'get_events', 'delete_pod'],
            requireApproval: ['delete_pod'],
          },
          headersFrom: [
            { name: 'Authorization', valueFrom: { type: 'Secret', name: 'k8s-tools-token', key: 'token' } },
          ],
        },
        { type: 'Agent', agent: { name: 'promql-helper' }, isolateSessions: true },
      ],
      a2aConfig: {
        skills: [
          {
            id: 'diagnose',
            name: 'Diagnose',
            description: 'Find unhealthy workloads',
            tags: ['k8s'],
            examples: ['Is anything crashing?'],
          },
        ],
      },
      deployment: {
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
        env: [{ name: 'LOG_LEVEL', value: 'info' }],
        securityContext: {
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
      },
    },
  },
};
// Every request carries a different object (name, uid) and review uid, as the API server's would: nothing in the
// server can get away with caching on identical bodies. Built up front so the load generator does no extra work.
const BODIES = 1024;
const reviewBodies = Array.from({ length: BODIES }, (_, i) => {
  const name = `k8s-helper-${i}`;
  const uid = (n: number) => `${n.toString(16).padStart(8, '0')}-6393-11e8-b7cc-42010a800002`;
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: uid(i),
      kind: { group: 'kagent.dev', version: 'v1alpha2', kind: 'Agent' },
      resource: { group: 'kagent.dev', version: 'v1alpha2', resource: 'agents' },
      requestKind: { group: 'kagent.dev', version: 'v1alpha2', kind: 'Agent' },
      name,
      namespace: 'team-a',
      operation: 'CREATE',
      userInfo: { username: 'admin', groups: ['system:masters', 'system:authenticated'] },
      object: { ...agent, metadata: { ...agent.metadata, name, uid: uid(BODIES + i) } },
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  });
});

// ---- child side: one server per process ----

async function serve(which: string, certFile: string, keyFile: string): Promise<void> {
  process.once('SIGINT', () => process.exit(0)); // a clean exit, so --cpu-prof can write its profile
  if (which === 'webhook') {
    const { startWebhookServer } = await import('../webhooks/server.js');
    const { pino } = await import('pino');
    const s = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      tlsCertFile: certFile,
      tlsKeyFile: keyFile,
      logger: pino({ level: 'warn' }),
    });
    process.stdout.write(`PORT ${s.port}\n`);
    return;
  }
  const { readFile } = await import('node:fs/promises');
  const Fastify = (await import('fastify')).default;
  const app = Fastify({
    https: { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') },
    bodyLimit: 1024 * 1024,
  });
  const constant = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true },
  };
  // BENCH_CALIBRATE_US: a third server, the bare route plus that many microseconds of CPU per request, to show
  // how much throughput a given amount of handler work costs on this machine.
  const burnUs = which === 'calibrate' ? Number(process.env.BENCH_CALIBRATE_US ?? 0) : 0;
  const handler = async () => {
    if (burnUs > 0) {
      const start = process.cpuUsage();
      while (true) {
        const used = process.cpuUsage(start);
        if (used.user + used.system >= burnUs) break;
      }
    }
    return constant;
  };
  app.post('/mutate', handler);
  app.post('/validate', handler);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
}

// ---- parent side: load generator ----

function startChild(which: string, certFile: string, keyFile: string): Promise<{ child: ChildProcess; port: number }> {
  const self = fileURLToPath(import.meta.url);
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of each server process into dir (for finding where the time goes).
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, which)}`]
    : [];
  const child = spawn(process.execPath, [...prof, ...process.execArgv, self, '--serve', which, certFile, keyFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${which} server exited with ${code} before listening`)));
  });
}

interface Round {
  cpuSeconds: number;
  latenciesMs: number[];
  requests: number;
  seconds: number;
  errors: number;
}

async function load(pool: Pool, ms: number, pid?: number): Promise<Round> {
  const cpu0 = await cpuSeconds(pid);
  const latenciesMs: number[] = [];
  let errors = 0;
  let n = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + ms;
  const worker = async () => {
    while (Date.now() < deadline) {
      const i = n++;
      const path = i % 2 === 0 ? '/mutate' : '/validate'; // the API server calls both for every write
      const body = reviewBodies[(i >> 1) % BODIES]; // both calls of one write see the same object
      const t0 = process.hrtime.bigint();
      const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
      const text = await res.body.text();
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.statusCode !== 200 || !text.includes('"allowed":true')) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { latenciesMs, requests: latenciesMs.length, seconds, errors, cpuSeconds: (await cpuSeconds(pid)) - cpu0 };
}

const pct = percentile;

async function main(): Promise<void> {
  const { generateCerts, writeCerts } = await import('../certs/generate.js');
  const dir = await mkdtemp(join(tmpdir(), 'metagent-bench-webhook-'));
  const bundle = await generateCerts({ ip: ['127.0.0.1'], dns: ['localhost'] });
  const files = await writeCerts(dir, bundle);
  const servers: Record<string, { child: ChildProcess; port: number }> = {
    baseline: await startChild('baseline', files.cert, files.key),
    webhook: await startChild('webhook', files.cert, files.key),
  };
  if (process.env.BENCH_CALIBRATE_US) servers.calibrate = await startChild('calibrate', files.cert, files.key);
  const names = Object.keys(servers);
  const pools = Object.fromEntries(
    Object.entries(servers).map(([k, s]) => [
      k,
      new Pool(`https://127.0.0.1:${s.port}`, { connections: CONCURRENCY, connect: { ca: bundle.caCert } }),
    ]),
  ) as Record<string, Pool>;
  const results: Record<string, Round[]> = Object.fromEntries(names.map((n) => [n, []]));
  try {
    process.stdout.write(
      `bench:webhook  concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}\n`,
    );
    for (const k of names) await load(pools[k], WARMUP_MS);
    for (let r = 0; r < ROUNDS; r++) {
      for (const k of r % 2 === 0 ? names : [...names].reverse()) {
        const round = await load(pools[k], ROUND_MS, servers[k].child.pid);
        results[k].push(round);
        process.stdout.write(
          `  round ${r + 1} ${k.padEnd(8)} ${(round.requests / round.seconds).toFixed(0).padStart(6)} req/s\n`,
        );
      }
    }
  } finally {
    for (const p of Object.values(pools)) await p.close();
    // SIGINT lets node write a requested CPU profile before it exits.
    await Promise.all(
      Object.values(servers).map(
        (s) =>
          new Promise((r) => {
            s.child.once('exit', r);
            s.child.kill('SIGINT');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  }
  const summary = (k: string) => {
    const rounds = results[k];
    const all = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    const rps = rounds.reduce((a, r) => a + r.requests, 0) / rounds.reduce((a, r) => a + r.seconds, 0);
    const cpuUs = (rounds.reduce((a, r) => a + r.cpuSeconds, 0) / rounds.reduce((a, r) => a + r.requests, 0)) * 1e6;
    return { rps, p50: pct(all, 50), p99: pct(all, 99), cpuUs, errors: rounds.reduce((a, r) => a + r.errors, 0) };
  };
  const base = summary('baseline');
  const hook = summary('webhook');
  const line = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(58)} ${s.rps.toFixed(0).padStart(6)} req/s   p50 ${s.p50.toFixed(2)} ms   p99 ${s.p99.toFixed(2)} ms   server CPU ${s.cpuUs.toFixed(0)} us/req   errors ${s.errors}\n`;
  process.stdout.write(line('baseline: bare fastify HTTPS route, constant review', base));
  if (results.calibrate)
    process.stdout.write(
      line(`calibration: bare route + ${process.env.BENCH_CALIBRATE_US} us CPU per request`, summary('calibrate')),
    );
  process.stdout.write(line('webhook: /mutate + /validate of a realistic Agent', hook));
  process.stdout.write(`webhook p99 ${hook.p99.toFixed(2)} ms (target < 5 ms)\n`);
  process.stdout.write(`throughput ratio webhook/baseline: ${(hook.rps / base.rps).toFixed(2)} (target >= 0.50)\n`);
  if (hook.errors > 0) process.exitCode = 1;
}

const args = process.argv.slice(2);
if (args[0] === '--serve') await serve(args[1], args[2], args[3]);
else await main();
