// A share link in Chromium: the URL the agent's create_share_link answers (kagent's /agents/NS/NAME/chat/SESSION
// ?share=TOKEN, under the dashboard's address as KAGENT_UI_URL) opens the shared conversation; a read-only link shows
// the transcript and no composer, a writable one lets the visitor reply, a revoked one says so. The API server's
// service proxy is a scripted upstream forwarding to a real runtime (share_tools on), so no cluster is needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, startDashboard, type DashboardServer } from '../../dashboard/server/index.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { linkIn, shareScript, tokenIn } from '../mocks/share-script.js';
import { baseConfig, sendText, startAgent } from '../runtime/helpers.js';
import { axeSerious, buildWeb, describeViolations, haveChromium, launchChromium, screenshot } from './harness.js';
import { serviceProxyTo, startUpstream, type Upstream } from './upstream.js';

if (!haveChromium() && process.env.CI === 'true')
  throw new Error(
    'the dashboard browser tests need Chromium at /usr/bin/chromium (.ci/steps/15-chromium.sh installs it)',
  );

describe.skipIf(!haveChromium())('share links in the browser', () => {
  let llm: MockLlm;
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let up: Upstream;
  let dashboard: DashboardServer;
  let browser: Browser;
  let page: Page;
  let tmp: string;
  let contextId = '';
  const ask = async (text: string) => {
    const { task, answer } = await sendText(agent.url, text, { contextId, headers: { 'x-user-id': 'alice' } });
    contextId = task.contextId;
    return answer;
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'dash-share-'));
    up = await startUpstream(serviceProxyTo('/api/v1/namespaces/team-a/services/helper%3A8080/proxy', () => agent.url));
    dashboard = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(up.kubeConfig()),
      identity: { mode: 'local' },
      webRoot: await buildWeb(join(tmp, 'web')),
    });
    llm = await startMockLlm(shareScript);
    agent = await startAgent(baseConfig(llm.url, { share_tools: true }), {
      KAGENT_NAMESPACE: 'team-a',
      KAGENT_NAME: 'helper',
      KAGENT_UI_URL: `${dashboard.url}/`,
    });
    await ask('which pod is crashing?');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await up?.close();
    await agent?.close();
    await llm?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a read-only link shows the transcript and no composer', async () => {
    const link = linkIn(await ask('share'));
    expect(link.startsWith(`${dashboard.url}/agents/team-a/helper/chat/`)).toBe(true);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Shared conversation with team-a/helper' }).waitFor();
    const transcript = page.getByTestId('shared-transcript');
    await transcript.getByText('which pod is crashing?', { exact: true }).waitFor();
    await transcript.getByText('echo: which pod is crashing? (1 user messages seen)').waitFor();
    expect(await page.locator('.badge').textContent()).toBe('read-only');
    expect(await page.locator('textarea').count()).toBe(0);
    // The token left the server-visible URL: it is in the fragment only.
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).hash).toMatch(/^#\/shared\/team-a\/helper\//);
    const violations = await axeSerious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'shared-read-only');
  });

  it('a writable link lets the visitor reply; the answer appears', async () => {
    await page.goto(linkIn(await ask('share rw')));
    await page.getByText('you may reply').waitFor();
    await page.getByLabel('Message').fill('visitor question');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByTestId('shared-transcript')
      .getByText(/^echo: visitor question/)
      .waitFor();
    await screenshot(page, 'shared-writable');
  });

  it('a revoked link says so', async () => {
    const answer = await ask('share');
    const link = linkIn(answer);
    const token = tokenIn(answer);
    expect(await ask(`delete: ${token}`)).toContain('revoked');
    await page.goto(link);
    await page.getByText('This share link is unknown or has been revoked.').waitFor();
    expect(await page.locator('.bubble').count()).toBe(0);
  });
});
