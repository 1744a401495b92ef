// `npm run bench:dashboard`: the agents page with 1,000 Agents in 10 namespaces, in Debian's Chromium — bytes of the
// initial load (raw and gzipped) and the time from navigation to the first agent row — side by side with a baseline
// in the same run: a page of plain DOM code that reads the same /api/watch/agents stream from the same backend and
// writes the same rows. The ratio is the cost of the React app over the least a page can do. The API server is a
// scripted stand-in (test/dashboard/upstream.ts) answering the list at once and holding the watch open, so the
// figures are the browser's and the backend's, not etcd's. Rounds alternate so machine noise hits both alike.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { kubeCall, startDashboard, type DashboardServer } from '../dashboard/server/index.js';
import { buildWeb } from '../test/dashboard/build-web.js';
import { startUpstream, sendJson } from '../test/dashboard/upstream.js';
import { percentile } from './measure.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const AGENTS = 1000;
const NAMESPACES = 10;
const CHROMIUM = process.env.METAGENT_CHROMIUM ?? '/usr/bin/chromium';

function agent(i: number) {
  const ns = `team-${i % NAMESPACES}`;
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: {
      name: `agent-${i}`,
      namespace: ns,
      uid: `uid-${i}`,
      resourceVersion: String(100 + i),
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      type: 'Declarative',
      description: `agent ${i}`,
      declarative: {
        modelConfig: 'default-model-config',
        systemMessage: 'You help.',
        tools: [
          {
            type: 'McpServer',
            mcpServer: { name: 'k8s', kind: 'RemoteMCPServer', toolNames: ['list_pods', 'get_pod_logs'] },
          },
        ],
      },
    },
    status: {
      observedGeneration: 1,
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Reconciled',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
        {
          type: 'Ready',
          status: i % 7 ? 'True' : 'False',
          reason: i % 7 ? 'DeploymentReady' : 'DeploymentNotReady',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    },
  };
}

const BASELINE_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title>
<script type="module" src="./baseline.js"></script></head><body><main><table data-testid="agents-table"><thead><tr>
<th>Name</th><th>Namespace</th><th>Type</th><th>Ready</th><th>Accepted</th><th>Model</th></tr></thead><tbody></tbody>
</table></main></body></html>`;

// The least a page can do: read the stream's first line (the SYNC list) and write one row per Agent.
const BASELINE_JS = `
const res = await fetch('./api/watch/agents');
const reader = res.body.getReader();
const dec = new TextDecoder();
let buf = '';
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  buf += dec.decode(value, { stream: true });
  const nl = buf.indexOf('\\n');
  if (nl < 0) continue;
  const ev = JSON.parse(buf.slice(0, nl));
  const cond = (a, t) => (a.status?.conditions ?? []).find((c) => c.type === t)?.status ?? '';
  const body = document.querySelector('tbody');
  const frag = document.createDocumentFragment();
  for (const a of ev.items) {
    const tr = document.createElement('tr');
    for (const v of [a.metadata.name, a.metadata.namespace, a.spec.type, cond(a, 'Ready'), cond(a, 'Accepted'), a.spec.declarative?.modelConfig ?? '']) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    frag.append(tr);
  }
  body.append(frag);
  break;
}
`;

interface Load {
  ms: number;
  raw: number;
  gz: number;
}

async function main() {
  const { chromium } = await import('playwright-core');
  const items = Array.from({ length: AGENTS }, (_, i) => agent(i));
  const up = await startUpstream((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.has('watch')) {
      res.writeHead(200, { 'content-type': 'application/json' }); // held open: nothing changes
      return;
    }
    if (url.pathname === '/api/v1/namespaces')
      return sendJson(res, 200, {
        metadata: { resourceVersion: '1' },
        items: Array.from({ length: NAMESPACES }, (_, i) => ({ metadata: { name: `team-${i}` } })),
      });
    if (url.pathname.endsWith('/agents'))
      return sendJson(res, 200, { kind: 'AgentList', metadata: { resourceVersion: '2000' }, items });
    return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
  });
  const tmp = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  const appRoot = await buildWeb(join(tmp, 'app'));
  const baseRoot = join(tmp, 'baseline');
  mkdirSync(baseRoot);
  writeFileSync(join(baseRoot, 'index.html'), BASELINE_HTML);
  writeFileSync(join(baseRoot, 'baseline.js'), BASELINE_JS);
  const serve = (webRoot: string): Promise<DashboardServer> =>
    startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(up.kubeConfig()),
      identity: { mode: 'local' },
      webRoot,
    });
  const servers = { app: await serve(appRoot), baseline: await serve(baseRoot) };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });

  async function load(url: string): Promise<Load> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    let raw = 0;
    let gz = 0;
    const bodies: Promise<void>[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) return; // data, not the page's code
      bodies.push(
        r.body().then(
          (b) => {
            raw += b.length;
            gz += gzipSync(b).length;
          },
          () => {},
        ),
      );
    });
    const t0 = performance.now();
    await page.goto(url);
    await page.locator('[data-testid=agents-table] tbody tr').first().waitFor({ timeout: 60_000 });
    const ms = performance.now() - t0;
    await Promise.all(bodies);
    await context.close();
    return { ms, raw, gz };
  }

  const runs: Record<'app' | 'baseline', Load[]> = { app: [], baseline: [] };
  await load(`${servers.app.url}/`); // warm-up: the browser's first start of a renderer
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of r % 2 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const)) {
      runs[which].push(await load(`${servers[which].url}/`));
    }
  }
  await browser.close();
  for (const s of Object.values(servers)) await s.close();
  await up.close();
  rmSync(tmp, { recursive: true, force: true });

  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const row = (name: string, l: Load[]) =>
    `${name.padEnd(28)} ${median(l.map((x) => x.ms))
      .toFixed(0)
      .padStart(8)} ms ${(l[0].raw / 1024).toFixed(1).padStart(9)} kB ${(l[0].gz / 1024).toFixed(1).padStart(8)} kB`;
  console.log(
    `bench:dashboard — ${AGENTS} Agents in ${NAMESPACES} namespaces, ${ROUNDS} rounds, load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(`${''.padEnd(28)} ${'first row'.padStart(11)} ${'page bytes'.padStart(12)} ${'gzipped'.padStart(11)}`);
  console.log(row('dashboard (React app)', runs.app));
  console.log(row('baseline (plain DOM)', runs.baseline));
  const ratio = median(runs.app.map((x) => x.ms)) / median(runs.baseline.map((x) => x.ms));
  console.log(
    `ratio dashboard/baseline: time to first agent row ${ratio.toFixed(2)}x, gzipped page bytes ${(runs.app[0].gz / runs.baseline[0].gz).toFixed(1)}x`,
  );
  console.log(`initial page code gzipped: ${(runs.app[0].gz / 1024).toFixed(1)} kB (budget 250 kB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
