// A share link opened through the dashboard, with the API server's service proxy played by a scripted upstream that
// forwards to a real runtime (share_tools on): kagent's link path redirects to the page's share route, the visitor's
// read goes through the A2A relay with the token in a header (never in the URL the API server sees, so never in its
// audit log), an unknown or revoked link is told apart from the proxy's own 404, and a writable link lets the visitor
// reply through the relay while a read-only one is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, startDashboard, type DashboardServer } from '../../dashboard/server/index.js';
import { shareLinkRedirect } from '../../dashboard/server/static.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { shareScript, tokenIn, v03Send } from '../mocks/share-script.js';
import { serviceProxyTo, startUpstream, type Upstream } from '../dashboard/upstream.js';
import { baseConfig, sendText, startAgent } from './helpers.js';

const SHARE_HEADER = 'x-metagent-share-token';
const PROXY = '/api/v1/namespaces/team-a/services/helper%3A8080/proxy';
let llm: MockLlm;
let agent: Awaited<ReturnType<typeof startAgent>>;
let up: Upstream;
let dash: DashboardServer;
let contextId = '';
let rw = '';
let ro = '';

beforeAll(async () => {
  llm = await startMockLlm(shareScript);
  agent = await startAgent(baseConfig(llm.url, { share_tools: true }), {
    KAGENT_NAMESPACE: 'team-a',
    KAGENT_NAME: 'helper',
  });
  const ask = async (text: string) => {
    const { task, answer } = await sendText(agent.url, text, { contextId, headers: { 'x-user-id': 'alice' } });
    contextId = task.contextId;
    return answer;
  };
  await ask('what failed last night?');
  rw = tokenIn(await ask('share rw'));
  ro = tokenIn(await ask('share'));
  up = await startUpstream(serviceProxyTo(PROXY, () => agent.url));
  dash = await startDashboard({
    port: 0,
    host: '127.0.0.1',
    call: kubeCall(up.kubeConfig()),
    identity: { mode: 'local' },
    webRoot: mkdtempSync(join(tmpdir(), 'dash-web-')),
  });
});
afterAll(async () => {
  await dash?.close();
  await up?.close();
  await agent?.close();
  await llm?.close();
});

const readThroughDashboard = (token: string) =>
  fetch(`${dash.url}/api/a2a/team-a/helper/api/shares`, { headers: { [SHARE_HEADER]: token } });

describe('share links in the dashboard', () => {
  it("redirects kagent's link path to the page's share route", async () => {
    const res = await fetch(`${dash.url}/agents/team-a/helper/chat/${contextId}?share=${rw}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toBe(`/#/shared/team-a/helper/${contextId}?share=${rw}`);
    // Any other path, or the chat path without a token, is the app as before.
    expect(shareLinkRedirect(`/agents/team-a/helper/chat/${contextId}`, new URLSearchParams())).toBeUndefined();
    expect(shareLinkRedirect('/agents/team-a/helper', new URLSearchParams({ share: rw }))).toBeUndefined();
    expect(shareLinkRedirect('/agents/a/b/chat/c', new URLSearchParams({ share: 'x&y#z' }))).toBe(
      '/#/shared/a/b/c?share=x%26y%23z',
    );
  });

  it('reads the transcript through the relay as the visitor, the token only in a header', async () => {
    const res = await readThroughDashboard(ro);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { contextId: string; readOnly: boolean; messages: unknown[] };
    expect(body.contextId).toBe(contextId);
    expect(body.readOnly).toBe(true);
    expect(body.messages[0]).toEqual({ role: 'user', text: 'what failed last night?' });
    const call = up.requests[up.requests.length - 1];
    expect(call.url).toBe(`${PROXY}/api/shares`);
    expect(call.url).not.toContain(ro);
    expect(call.lines).toContainEqual([SHARE_HEADER, ro]);
    expect(call.lines).toContainEqual(['x-user-id', 'kube-admin']); // the visitor, as every relayed call names them
  });

  it("an unknown token is the runtime's ShareNotFound, which the page tells from the proxy's 404", async () => {
    const res = await readThroughDashboard('D'.repeat(32));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ reason: 'ShareNotFound', message: expect.stringContaining('revoked') });
  });

  it('a writable link lets the visitor reply through the relay; a read-only one is refused', async () => {
    const send = (token: string, text: string) =>
      fetch(`${dash.url}/api/a2a/team-a/helper/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-metagent-dashboard': '1', [SHARE_HEADER]: token },
        body: JSON.stringify(v03Send(text, contextId)),
      }).then(
        (r) =>
          r.json() as Promise<{ result?: { status?: { state?: string } }; error?: { code: number; message: string } }>,
      );
    const refused = await send(ro, 'may I?');
    expect(refused.error).toMatchObject({ code: -32004, message: expect.stringContaining('read-only') });
    const replied = await send(rw, 'visitor reply');
    expect(replied.result?.status?.state).toBe('completed');
    const messages = ((await (await readThroughDashboard(rw)).json()) as { messages: { text: string }[] }).messages;
    expect(messages.map((m) => m.text)).toContain('visitor reply');
    expect(messages.map((m) => m.text)).not.toContain('may I?');
  });
});
