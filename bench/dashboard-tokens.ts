// `npm run bench:dashboard` (second part): the paint delay of a streamed chat token. A scripted LLM streams an answer
// of TOKENS numbered words at TOKENS_PER_SECOND to a real runtime (`metagent runtime`, streaming on); the chat page in
// Chromium asks the agent through the dashboard's relay and a scripted API server whose service proxy forwards to
// the runtime and notes when each token leaves the runtime (the chunk carrying it is written on). In the page a
// MutationObserver sees the token's text arrive and the next animation frame is taken as its paint. Both clocks are
// the wall clock (performance.timeOrigin + performance.now() in Node and in the page). Side by side, in the same run:
// a plain-DOM baseline page that posts the same message/stream through the same relay and appends each text event to
// a <pre>. Rounds alternate so machine noise hits both alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { servePages } from './dashboard-pages.js';
import { startUpstream, sendJson } from '../test/dashboard/upstream.js';
import { freePort } from '../test/cluster/cluster.js';
import { percentile } from './measure.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS ?? 2);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 200);
const TOKENS_PER_SECOND = 20;
const NS = 'bench';
const AGENT = 'stream-agent';
const MARK = /w(\d{4})\b/g;

/** Wall-clock milliseconds with sub-millisecond precision, the same clock the page reports in. */
const now = () => performance.timeOrigin + performance.now();
const word = (i: number) => `w${String(i).padStart(4, '0')} `;

// A chat-completions endpoint that streams one numbered word every 1/TOKENS_PER_SECOND s.
async function startStreamingLlm(): Promise<{ url: string; sent: number[]; close(): Promise<void> }> {
  let sent: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (!req.url?.endsWith('/chat/completions')) return sendJson(res, 404, { error: { message: 'no such path' } });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model: 'mock' };
      const send = (delta: unknown, finish: string | null = null) =>
        res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      send({ role: 'assistant', content: '' });
      sent = [];
      let i = 0;
      const timer = setInterval(() => {
        if (i < TOKENS) {
          sent[i] = now();
          send({ content: word(i++) });
          return;
        }
        clearInterval(timer);
        send({}, 'stop');
        res.end('data: [DONE]\n\n');
      }, 1000 / TOKENS_PER_SECOND);
      res.on('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get sent() {
      return sent;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function startRuntime(llmUrl: string, dir: string): Promise<{ url: string; stop(): void }> {
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      description: '',
      instruction: 'You stream.',
      model: { type: 'openai', model: 'gpt-4o', base_url: llmUrl },
      stream: true,
    }),
  );
  writeFileSync(
    join(dir, 'agent-card.json'),
    JSON.stringify({
      name: 'stream_agent',
      description: 'benchmark agent',
      version: '',
      capabilities: { streaming: true },
      defaultInputModes: ['text'],
      defaultOutputModes: ['text'],
      skills: null,
      supportedInterfaces: [{ protocolBinding: 'JSONRPC', protocolVersion: '0.3', url: `http://${AGENT}.${NS}:8080` }],
    }),
  );
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [join(repoRoot, 'bin/metagent.js'), 'runtime', '--filepath', dir, '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-bench', LOG_LEVEL: 'warn', METAGENT_LLM_MAX_RETRIES: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`runtime exited ${proc.exitCode}: ${stderr}`);
    const ok = await fetch(`${url}/.well-known/agent-card.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`runtime did not serve its card within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop: () => proc.kill('SIGTERM') };
}

// The least a page can do with the same stream: one message/stream through the relay, each SSE event's text parts
// appended to a <pre>.
const BASELINE_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title>
<script type="module" src="./baseline.js"></script></head>
<body><main><textarea></textarea><button type="submit">Send</button><pre data-testid="transcript"></pre></main>
</body></html>`;
const BASELINE_JS = `
const out = document.querySelector('pre');
document.querySelector('button').onclick = async () => {
  const res = await fetch('/api/a2a/${NS}/${AGENT}/', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-metagent-dashboard': '1' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'message/stream', params: { message: {
      kind: 'message', role: 'user', messageId: crypto.randomUUID(), parts: [{ kind: 'text', text: document.querySelector('textarea').value }] } } }),
  });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let end;
    while ((end = buf.indexOf('\\n\\n')) >= 0) {
      const data = buf.slice(0, end).split('\\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\\n');
      buf = buf.slice(end + 2);
      if (!data) continue;
      const r = JSON.parse(data).result ?? {};
      const msg = r.kind === 'status-update' && r.status?.state === 'working' ? r.status.message : undefined;
      for (const p of msg?.parts ?? []) if (p.kind === 'text') out.append(p.text);
    }
  }
};
`;

// In the page: each time the transcript's text grows, the numbered words new in it are stamped with the time of the
// next animation frame (the frame that paints them).
const PAINT_PROBE = `(() => {
  window.__painted = [];
  let seen = -1;
  const look = () => {
    const t = document.querySelector('[data-testid=transcript]');
    if (!t) return;
    const fresh = [];
    for (const m of t.textContent.matchAll(/w(\\d{4})\\b/g)) {
      const i = Number(m[1]);
      if (i > seen) fresh.push(i);
    }
    if (!fresh.length) return;
    seen = Math.max(seen, ...fresh);
    requestAnimationFrame(() => {
      const at = performance.timeOrigin + performance.now();
      for (const i of fresh) window.__painted[i] ??= at;
    });
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

interface Round {
  /** Per token: runtime writes the event carrying it → painted (ms). */
  fromRuntime: number[];
  /** Per token: the LLM streams it → painted (ms), including the runtime's coalescing of deltas. */
  fromLlm: number[];
}

async function main() {
  const llm = await startStreamingLlm();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-dashboard-tokens-'));
  const rtDir = join(tmp, 'runtime');
  mkdirSync(rtDir);
  const runtime = await startRuntime(llm.url, rtDir);
  let leftRuntime: number[] = [];
  const agentObj = {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: AGENT, namespace: NS, uid: 'uid-stream', resourceVersion: '5', generation: 1 },
    spec: { type: 'Declarative', declarative: { modelConfig: 'default-model-config', systemMessage: 'You stream.' } },
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', reason: 'DeploymentReady' }] },
  };
  // The service proxy of the scripted API server: forwards to the runtime and notes when each numbered word leaves it.
  const proxy = async (req: IncomingMessage, res: ServerResponse, rest: string) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'accept', 'a2a-version', 'x-a2a-extensions'])
      if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
    const up = await fetch(`${runtime.url}${rest}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    console.error(req.method, rest, up.status, Buffer.concat(chunks).toString().slice(0, 300));
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/octet-stream' });
    res.flushHeaders();
    // Only the answer's stream counts: a ListTasks reply carries earlier answers' words too.
    const streaming = /"method":"(message\/stream|SendStreamingMessage)"/.test(Buffer.concat(chunks).toString());
    const dec = new TextDecoder();
    for await (const c of up.body ?? []) {
      const at = now();
      const text = dec.decode(c as Uint8Array, { stream: true });
      if (streaming) for (const m of text.matchAll(MARK)) leftRuntime[Number(m[1])] ??= at;
      res.write(c);
    }
    res.end();
  };
  const up = await startUpstream((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const svc = /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy(\/.*)$/.exec(url.pathname);
    if (svc) return proxy(req, res, `${svc[1]}${url.search}`);
    if (url.searchParams.has('watch')) {
      res.writeHead(200, { 'content-type': 'application/json' }); // held open, nothing changes
      res.flushHeaders();
      return;
    }
    if (url.pathname === '/api/v1/namespaces')
      return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [{ metadata: { name: NS } }] });
    if (url.pathname.endsWith('/agents'))
      return sendJson(res, 200, { kind: 'AgentList', metadata: { resourceVersion: '5' }, items: [agentObj] });
    return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
  });
  const { servers, browser } = await servePages(up, tmp, { html: BASELINE_HTML, js: BASELINE_JS });
  const pages = { app: `${servers.app.url}/#/chat/${NS}/${AGENT}`, baseline: `${servers.baseline.url}/` };

  async function round(which: 'app' | 'baseline'): Promise<Round> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript(PAINT_PROBE);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pages[which]);
    const send = page.getByRole('button', { name: 'Send' });
    await page.locator('textarea').fill('stream the numbered words');
    await send.waitFor();
    // The app enables Send once it holds the agent's card.
    await page.waitForFunction(
      () =>
        !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
          'button[type=submit]:disabled',
        ),
    );
    leftRuntime = [];
    await send.click();
    await page
      .waitForFunction(
        (n) => ((globalThis as unknown as { __painted?: number[] }).__painted ?? []).filter(Boolean).length >= n,
        TOKENS,
        { timeout: (TOKENS / TOKENS_PER_SECOND) * 1000 + 60_000 },
      )
      .catch(async (e: unknown) => {
        const text = await page
          .locator('[data-testid=transcript]')
          .textContent()
          .catch(() => '');
        throw new Error(
          `${which}: not every token was painted (${leftRuntime.filter(Boolean).length} left the runtime; page errors: ${errors.join('; ') || 'none'}; transcript: ${text?.slice(0, 300)})`,
          { cause: e },
        );
      });
    const painted = (await page.evaluate('window.__painted')) as number[];
    await context.close();
    const sent = llm.sent;
    const fromRuntime: number[] = [];
    const fromLlm: number[] = [];
    for (let i = 0; i < TOKENS; i++) {
      if (leftRuntime[i] === undefined || sent[i] === undefined) throw new Error(`token ${i} was not seen leaving`);
      fromRuntime.push(painted[i] - leftRuntime[i]);
      fromLlm.push(painted[i] - sent[i]);
    }
    return { fromRuntime, fromLlm };
  }

  const load0 = loadavg()[0];
  await round('baseline'); // warm-up: the renderer's and the runtime's first run
  const all: Record<'app' | 'baseline', Round[]> = { app: [], baseline: [] };
  for (let r = 0; r < ROUNDS; r++)
    for (const which of r % 2 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const))
      all[which].push(await round(which));
  const load1 = loadavg()[0];
  await browser.close();
  for (const s of Object.values(servers)) await s.close();
  await up.close();
  runtime.stop();
  await llm.close();
  rmSync(tmp, { recursive: true, force: true });

  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] };
  };
  const cols = (xs: number[]) => {
    const s = stats(xs);
    return `${s.p50.toFixed(1).padStart(7)} ${s.p95.toFixed(1).padStart(7)} ${s.max.toFixed(1).padStart(7)}`;
  };
  const flat = (rs: Round[], k: keyof Round) => rs.flatMap((r) => r[k]);
  console.log(
    `\nbench:dashboard tokens — ${TOKENS} tokens at ${TOKENS_PER_SECOND}/s, ${ROUNDS} rounds per page, load average ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end`,
  );
  console.log(`${''.padEnd(24)} runtime sends → painted: p50 p95 max ms   LLM streams → painted: p50 p95 max ms`);
  for (const [name, k] of [
    ['dashboard (React app)', 'app'],
    ['baseline (plain DOM)', 'baseline'],
  ] as const)
    console.log(
      `${name.padEnd(24)} ${cols(flat(all[k], 'fromRuntime'))}                   ${cols(flat(all[k], 'fromLlm'))}`,
    );
  const a = stats(flat(all.app, 'fromRuntime'));
  const b = stats(flat(all.baseline, 'fromRuntime'));
  console.log(
    `ratio dashboard/baseline (runtime sends → painted): p50 ${(a.p50 / b.p50).toFixed(2)}x, p95 ${(a.p95 / b.p95).toFixed(2)}x; target: painted within 50 ms of the runtime sending (p95 ${a.p95.toFixed(1)} ms)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
