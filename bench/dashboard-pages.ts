// What both dashboard benchmarks set up alike: the built React app and a baseline page (its index.html and
// baseline.js), each served by its own dashboard backend in front of the same scripted API server, and Debian's
// Chromium.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { kubeCall, startDashboard, type DashboardServer } from '../dashboard/server/index.js';
import { buildWeb } from '../test/dashboard/build-web.js';
import type { Upstream } from '../test/dashboard/upstream.js';

const CHROMIUM = process.env.METAGENT_CHROMIUM ?? '/usr/bin/chromium';

export async function servePages(
  up: Upstream,
  tmp: string,
  baseline: { html: string; js: string },
): Promise<{ servers: Record<'app' | 'baseline', DashboardServer>; browser: Browser }> {
  const appRoot = await buildWeb(join(tmp, 'app'));
  const baseRoot = join(tmp, 'baseline');
  mkdirSync(baseRoot);
  writeFileSync(join(baseRoot, 'index.html'), baseline.html);
  writeFileSync(join(baseRoot, 'baseline.js'), baseline.js);
  const serve = (webRoot: string): Promise<DashboardServer> =>
    startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(up.kubeConfig()),
      identity: { mode: 'local' },
      webRoot,
    });
  const servers = { app: await serve(appRoot), baseline: await serve(baseRoot) };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  return { servers, browser };
}
