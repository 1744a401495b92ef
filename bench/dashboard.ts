// `npm run bench:dashboard`: the agents page with 1,000 Agents in 10 namespaces, in Debian's Chromium — bytes of the
// initial load (raw and gzipped) and the time from navigation to the first agent row — side by side with a baseline
// in the same run: a page of plain DOM code that reads the same /api/watch/agents stream from the same backend and
// writes the same rows. The ratio is the cost of the React app over the least a page can do. The API server is a
// scripted stand-in (test/dashboard/upstream.ts) answering the list at once and holding the watch open, so the
// figures are the browser's and the backend's, not etcd's. Rounds alternate so machine noise hits both alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { servePages } from './dashboard-pages.js';
import { startUpstream, sendJson } from '../test/dashboard/upstream.js';
import { percentile } from './measure.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const AGENTS = 1000;
const NAMESPACES = 10;

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

// The least a page can do: read the stream's first line (the SYNC list), write one row per Agent, then apply each
// ADDED/MODIFIED event to its row's cells.
const BASELINE_JS = `
const res = await fetch('./api/watch/agents');
const reader = res.body.getReader();
const dec = new TextDecoder();
const cond = (a, t) => (a.status?.conditions ?? []).find((c) => c.type === t)?.status ?? '';
const cells = (a) => [a.metadata.name, a.metadata.namespace, a.spec.type, cond(a, 'Ready'), cond(a, 'Accepted'), a.spec.declarative?.modelConfig ?? ''];
const rows = new Map();
const body = document.querySelector('tbody');
function write(a) {
  let tr = rows.get(a.metadata.uid);
  if (!tr) {
    tr = document.createElement('tr');
    for (let i = 0; i < 6; i++) tr.append(document.createElement('td'));
    rows.set(a.metadata.uid, tr);
    body.append(tr);
  }
  cells(a).forEach((v, i) => { if (tr.children[i].textContent !== v) tr.children[i].textContent = v; });
}
let buf = '';
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  buf += dec.decode(value, { stream: true });
  let nl;
  while ((nl = buf.indexOf('\\n')) >= 0) {
    const ev = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    if (ev.type === 'SYNC') ev.items.forEach(write);
    else if (ev.object) write(ev.object);
  }
}
`;

// Marks when the page first shows an agent row and its main thread is free again (a task after that frame ran):
// the page is interactive. Compared with when the scripted API server sent the list.
const INTERACTIVE_PROBE = `(() => {
  const look = () => {
    if (document.querySelector('[data-testid=agents-table] tbody tr'))
      requestAnimationFrame(() => setTimeout(() => { window.__interactiveAt = Date.now(); }, 0));
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();`;

/** Frame durations (ms) the page shows during `ms` milliseconds: the gaps between animation frames. */
const FRAME_PROBE = (ms: number) => `new Promise((resolve) => {
  const gaps = [];
  let last = performance.now();
  const end = last + ${ms};
  const tick = (t) => {
    gaps.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(tick);
    else resolve(gaps);
  };
  requestAnimationFrame(tick);
})`;

interface Load {
  ms: number;
  /** From the API server sending the list to the page showing rows with its main thread free. */
  interactiveMs: number;
  raw: number;
  gz: number;
}

/** Status changes per second while frames are measured, and for how long. */
const CHANGES_PER_SECOND = 50;
const CHURN_MS = 5000;

async function main() {
  const items = Array.from({ length: AGENTS }, (_, i) => agent(i));
  // Open watches: nothing changes until a frame measurement turns the churn on, then 50 Agents a second flip Ready.
  const watches = new Set<import('node:http').ServerResponse>();
  let listSentAt = 0;
  let rv = 10_000;
  let changes = 0;
  let churning = false;
  const churn = setInterval(() => {
    if (!churning || !watches.size) return;
    const per = CHANGES_PER_SECOND / 50;
    for (let k = 0; k < per; k++) {
      const i = (changes * 37) % AGENTS;
      const a = items[i];
      const ready = a.status.conditions[1];
      ready.status = ready.status === 'True' ? 'False' : 'True';
      a.metadata.resourceVersion = String(++rv);
      const line = `${JSON.stringify({ type: 'MODIFIED', object: a })}\n`;
      for (const w of watches) w.write(line);
      changes++;
    }
  }, 20);
  const up = await startUpstream((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.has('watch')) {
      res.writeHead(200, { 'content-type': 'application/json' }); // held open: events only while churning
      res.flushHeaders();
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return;
    }
    if (url.pathname === '/api/v1/namespaces')
      return sendJson(res, 200, {
        metadata: { resourceVersion: '1' },
        items: Array.from({ length: NAMESPACES }, (_, i) => ({ metadata: { name: `team-${i}` } })),
      });
    if (url.pathname.endsWith('/agents')) {
      listSentAt = Date.now();
      return sendJson(res, 200, { kind: 'AgentList', metadata: { resourceVersion: String(rv) }, items });
    }
    return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
  });
  const tmp = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  const { servers, browser } = await servePages(up, tmp, { html: BASELINE_HTML, js: BASELINE_JS });

  async function load(url: string): Promise<Load> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript(INTERACTIVE_PROBE);
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
    await page.waitForFunction('window.__interactiveAt');
    const at = (await page.evaluate('window.__interactiveAt')) as number;
    await Promise.all(bodies);
    await context.close();
    return { ms, interactiveMs: at - listSentAt, raw, gz };
  }

  /** Frame durations while 50 Agents a second change status, once the page shows the list. */
  async function frames(url: string): Promise<number[]> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('[data-testid=agents-table] tbody tr').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    const before = changes;
    churning = true;
    const gaps = (await page.evaluate(FRAME_PROBE(CHURN_MS))) as number[];
    churning = false;
    if (changes - before < (CHANGES_PER_SECOND * CHURN_MS) / 1000 / 2)
      throw new Error(`only ${changes - before} status changes were sent while measuring frames`);
    await context.close();
    return gaps;
  }

  const runs: Record<'app' | 'baseline', Load[]> = { app: [], baseline: [] };
  await load(`${servers.app.url}/`); // warm-up: the browser's first start of a renderer
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of r % 2 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const)) {
      runs[which].push(await load(`${servers[which].url}/`));
    }
  }
  const gaps: Record<'app' | 'baseline', number[]> = { app: [], baseline: [] };
  for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
    for (const which of r % 2 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const)) {
      gaps[which].push(...(await frames(`${servers[which].url}/`)));
    }
  }
  clearInterval(churn);
  await browser.close();
  for (const s of Object.values(servers)) await s.close();
  await up.close();
  rmSync(tmp, { recursive: true, force: true });

  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const frameCols = (g: number[]) => {
    const s = sorted(g);
    const long = g.filter((x) => x > 16.7).length / g.length;
    return `${percentile(s, 50).toFixed(1).padStart(7)} ${percentile(s, 95).toFixed(1).padStart(7)} ${s[s.length - 1].toFixed(0).padStart(6)} ${(long * 100).toFixed(1).padStart(6)}%`;
  };
  const row = (name: string, l: Load[], g: number[]) =>
    `${name.padEnd(24)} ${median(l.map((x) => x.ms))
      .toFixed(0)
      .padStart(7)} ms ${median(l.map((x) => x.interactiveMs))
      .toFixed(0)
      .padStart(
        7,
      )} ms ${(l[0].raw / 1024).toFixed(1).padStart(7)} kB ${(l[0].gz / 1024).toFixed(1).padStart(6)} kB  ${frameCols(g)}`;
  console.log(
    `bench:dashboard — ${AGENTS} Agents in ${NAMESPACES} namespaces, ${ROUNDS} rounds, load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(
    `${''.padEnd(24)} ${'first row'.padStart(10)} ${'list→ready'.padStart(10)} ${'page'.padStart(10)} ${'gzipped'.padStart(9)}   frames during ${CHANGES_PER_SECOND} changes/s: p50 p95 max ms, >16.7 ms`,
  );
  console.log(row('dashboard (React app)', runs.app, gaps.app));
  console.log(row('baseline (plain DOM)', runs.baseline, gaps.baseline));
  const ratio = median(runs.app.map((x) => x.ms)) / median(runs.baseline.map((x) => x.ms));
  const tti = median(runs.app.map((x) => x.interactiveMs)) / median(runs.baseline.map((x) => x.interactiveMs));
  const p95 = percentile(sorted(gaps.app), 95) / percentile(sorted(gaps.baseline), 95);
  console.log(
    `ratio dashboard/baseline: first agent row ${ratio.toFixed(2)}x, list→interactive ${tti.toFixed(2)}x, frame p95 ${p95.toFixed(2)}x, gzipped page bytes ${(runs.app[0].gz / runs.baseline[0].gz).toFixed(1)}x`,
  );
  console.log(`initial page code gzipped: ${(runs.app[0].gz / 1024).toFixed(1)} kB (budget 250 kB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
