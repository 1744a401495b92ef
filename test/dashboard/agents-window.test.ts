// The agents page with more Agents than fit on a screen, in Chromium against a scripted API server: only the rows
// near the viewport are in the DOM, yet the table reports every row to assistive technology, passes axe, can be
// walked with the keyboard past the rendered window, shows the last Agent when scrolled to the bottom, and a watch
// event changes its row in place (the order stays).
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, startDashboard, type DashboardServer } from '../../dashboard/server/index.js';
import { axeSerious, buildWeb, describeViolations, haveChromium, launchChromium } from './harness.js';
import { sendJson, startUpstream, type Upstream } from './upstream.js';

const AGENTS = 500;
const NAMESPACES = 5;

function agent(i: number) {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: {
      name: `agent-${i}`,
      namespace: `team-${i % NAMESPACES}`,
      uid: `uid-${i}`,
      resourceVersion: String(100 + i),
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { type: 'Declarative', declarative: { modelConfig: 'default-model-config' } },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'DeploymentReady', message: '' }] },
  };
}

if (!haveChromium() && process.env.CI === 'true')
  throw new Error(
    'the dashboard browser tests need Chromium at /usr/bin/chromium (.ci/steps/15-chromium.sh installs it)',
  );

describe.skipIf(!haveChromium())('agents page with 500 Agents: a windowed table', () => {
  const items = Array.from({ length: AGENTS }, (_, i) => agent(i));
  // The page's order: namespace/name by the browser's default collation.
  const order = items.map((a) => `${a.metadata.namespace}/${a.metadata.name}`).sort(new Intl.Collator().compare);
  const watches = new Set<ServerResponse>();
  let up: Upstream;
  let dashboard: DashboardServer;
  let browser: Browser;
  let page: Page;
  let tmp: string;
  const rendered = () => page.locator('[data-testid=agents-table] tbody tr:not(.spacer)');

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.searchParams.has('watch')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        watches.add(res);
        res.on('close', () => watches.delete(res));
        return;
      }
      if (url.pathname.endsWith('/agents'))
        return sendJson(res, 200, { kind: 'AgentList', metadata: { resourceVersion: '1000' }, items });
      return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
    });
    tmp = mkdtempSync(join(tmpdir(), 'agents-window-'));
    dashboard = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(up.kubeConfig()),
      identity: { mode: 'local' },
      webRoot: await buildWeb(join(tmp, 'web')),
    });
    browser = await launchChromium();
    // bypassCSP only so that axe-core can be injected.
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    page = await context.newPage();
    await page.goto(`${dashboard.url}/#/agents`);
    await page.getByText(`${AGENTS} of ${AGENTS} agents`).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await up?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('renders a screenful of rows, not 500, and reports all 500 rows with their indexes', async () => {
    const n = await rendered().count();
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(80);
    const table = page.getByTestId('agents-table');
    expect(await table.getAttribute('aria-rowcount')).toBe(String(AGENTS + 1));
    expect(await rendered().first().getAttribute('aria-rowindex')).toBe('2');
    expect(await rendered().first().locator('td').first().textContent()).toBe(order[0].split('/')[1]);
  });

  it('passes axe with the spacer rows in place', async () => {
    await page.evaluate(() => window.scrollTo(0, 3000)); // spacer rows above and below the window
    await page.waitForFunction(() => document.querySelectorAll('tr.spacer').length === 2);
    const violations = await axeSerious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('walks past the rendered rows with Tab: the focused link is always in a rendered, visible row', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole('link', { name: order[0].split('/')[1], exact: true }).focus();
    // Two links a row (the name and Chat): 150 presses reach row 76, beyond the first window.
    for (let k = 0; k < 150; k++) await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const r = el.getBoundingClientRect();
      return {
        row: Number(el.closest('tr')?.getAttribute('aria-rowindex')),
        text: el.textContent,
        visible: r.top >= 0 && r.bottom <= window.innerHeight,
      };
    });
    expect(at.row).toBe(2 + 75);
    expect(at.text).toBe(order[75].split('/')[1]);
    expect(at.visible).toBe(true);
  });

  it('shows the last Agent when scrolled to the bottom', async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const last = order[AGENTS - 1].split('/')[1];
    await page.getByRole('link', { name: last, exact: true }).waitFor();
    expect(await rendered().last().getAttribute('aria-rowindex')).toBe(String(AGENTS + 1));
  });

  it('a MODIFIED event changes its row in place and keeps the order', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const [ns, name] = order[0].split('/');
    const a = items.find((x) => x.metadata.namespace === ns && x.metadata.name === name)!;
    const changed = {
      ...a,
      metadata: { ...a.metadata, resourceVersion: '5000' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DeploymentNotReady', message: '' }] },
    };
    expect(watches.size).toBeGreaterThan(0);
    for (const w of watches) w.write(`${JSON.stringify({ type: 'MODIFIED', object: changed })}\n`);
    const row = rendered().first();
    await row.getByText('Ready False').waitFor();
    expect(await row.locator('td').first().textContent()).toBe(name);
    expect(await rendered().nth(1).locator('td').first().textContent()).toBe(order[1].split('/')[1]);
  });
});
