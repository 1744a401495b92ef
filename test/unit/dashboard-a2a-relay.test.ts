// The dashboard's calls as the API server receives them (scripted answers, real HTTP): the A2A relay to the agent's
// service proxy streams server-sent events chunk by chunk (the next chunk is sent only after the client has read the
// previous one, so a relay that buffered would never finish), passes only the A2A headers (never the browser's
// cookies or credentials), adds the hint to a refusal; and every call impersonates the forwarded user with one
// Impersonate-Group line per group, next to the dashboard's own token, while a request from elsewhere makes no call.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeCall, startDashboard, type DashboardServer, type IdentityMode } from '../../dashboard/server/index.js';
import { sendJson, signal, startUpstream, type Upstream } from '../dashboard/upstream.js';

let up: Upstream | undefined;
let dash: DashboardServer | undefined;
afterEach(async () => {
  await dash?.close();
  await up?.close();
  dash = up = undefined;
});

const PROXY: IdentityMode = {
  mode: 'proxy',
  userHeader: 'X-Forwarded-User',
  groupsHeader: 'X-Forwarded-Groups',
  trustedAddresses: ['127.0.0.2'],
  trustedClientNames: [],
};

async function start(u: Upstream, identity: IdentityMode = { mode: 'local' }) {
  dash = await startDashboard({
    port: 0,
    host: '127.0.0.1',
    call: kubeCall(u.kubeConfig()),
    identity,
    webRoot: mkdtempSync(join(tmpdir(), 'dash-web-')),
  });
  return dash;
}

/** A request from a chosen source address (node's fetch cannot pick one). */
function send(
  url: string,
  o: { from?: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', localAddress: o.from, headers: o.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const SSE = (n: number) =>
  `data: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { kind: 'status-update', n } })}\n\n`;

describe('A2A relay', () => {
  it('streams each event to the client as the agent sends it', async () => {
    const chunks = 4;
    const read = Array.from({ length: chunks }, () => signal());
    let body = '';
    up = await startUpstream(async (req, res) => {
      for await (const c of req) body += c;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (let i = 0; i < chunks; i++) {
        res.write(SSE(i));
        await read[i].promise;
      }
      res.end();
    });
    const d = await start(up);
    const rpc = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'message/stream', params: { message: { parts: [] } } });
    const res = await fetch(`${d.url}/api/a2a/kagent/k8s-ops-agent/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'x-metagent-dashboard': '1',
        cookie: '_oauth2_proxy=secret-session',
        authorization: 'Bearer the-users-own',
      },
      body: rpc,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const got: number[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const event = JSON.parse(buf.slice('data: '.length, end)) as { result: { n: number } };
        buf = buf.slice(end + 2);
        got.push(event.result.n);
        read[event.result.n].resolve(); // only now does the agent send the next one
      }
    }
    expect(got).toEqual([0, 1, 2, 3]);
    expect(body).toBe(rpc);
    const [call] = up.requests;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/api/v1/namespaces/kagent/services/k8s-ops-agent%3A8080/proxy/');
    const names = call.lines.map(([n]) => n);
    expect(names).not.toContain('cookie');
    expect(call.lines).toContainEqual(['authorization', 'Bearer dashboard-sa-token']);
    expect(call.lines.filter(([n]) => n === 'authorization')).toHaveLength(1);
    expect(call.lines).toContainEqual(['accept', 'text/event-stream']);
  }, 20_000);

  it("a service-proxy refusal comes back as the API server's message with a hint", async () => {
    up = await startUpstream((_req, res) =>
      sendJson(res, 403, {
        kind: 'Status',
        code: 403,
        message: 'services "a:8080" is forbidden: User "bob" cannot get resource "services/proxy"',
      }),
    );
    const d = await start(up);
    const res = await fetch(`${d.url}/api/a2a/team/a/.well-known/agent-card.json`);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { message: string; hint: string };
    expect(body.message).toContain('services/proxy');
    expect(body.hint).toBe('you may not talk to agents in namespace team (RBAC: services/proxy)');
    expect(up.requests[0].url).toBe('/api/v1/namespaces/team/services/a%3A8080/proxy/.well-known/agent-card.json');
  });
});

describe('impersonation headers', () => {
  it('every call impersonates the forwarded user and groups, one Impersonate-Group line per group', async () => {
    up = await startUpstream((req, res) =>
      req.url!.includes('/proxy/')
        ? sendJson(res, 200, { name: 'agent' })
        : sendJson(res, 200, { kind: 'Agent', metadata: { name: 'a', namespace: 'ns' } }),
    );
    const d = await start(up, PROXY);
    const headers = {
      'X-Forwarded-User': 'alice',
      'X-Forwarded-Groups': 'dev, on-call,readers',
      // A client cannot add its own impersonation: only the dashboard's identity reaches the API server.
      'Impersonate-User': 'admin',
      'Impersonate-Group': 'system:masters',
      // Nor name someone else to the agent.
      'x-user-id': 'mallory',
    };
    expect((await send(`${d.url}/api/objects/agents/ns/a`, { from: '127.0.0.2', headers })).status).toBe(200);
    expect(
      (await send(`${d.url}/api/a2a/ns/a/.well-known/agent-card.json`, { from: '127.0.0.2', headers })).status,
    ).toBe(200);
    expect(up.requests).toHaveLength(2);
    for (const r of up.requests) {
      expect(r.lines.filter(([n]) => n.startsWith('impersonate-'))).toEqual([
        ['impersonate-user', 'alice'],
        ['impersonate-group', 'dev'],
        ['impersonate-group', 'on-call'],
        ['impersonate-group', 'readers'],
      ]);
      expect(r.lines).toContainEqual(['authorization', 'Bearer dashboard-sa-token']);
    }
    // The agent is told who is talking (its tasks are kept per x-user-id); the API server call for objects is not.
    expect(up.requests[1].lines.filter(([n]) => n === 'x-user-id')).toEqual([['x-user-id', 'alice']]);
    expect(up.requests[0].lines.filter(([n]) => n === 'x-user-id')).toEqual([]);
  });

  it("locally the agent is told the kubeconfig's user, from the API server's SelfSubjectReview, asked once", async () => {
    up = await startUpstream((_req, res) => sendJson(res, 200, { name: 'agent' }), { selfUser: 'kube-admin' });
    const d = await start(up);
    for (let i = 0; i < 2; i++) {
      const r = await send(`${d.url}/api/a2a/ns/a/.well-known/agent-card.json`, {
        headers: { 'x-user-id': 'mallory' },
      });
      expect(r.status).toBe(200);
    }
    expect(up.reviews.map((r) => r.method)).toEqual(['POST']);
    expect(up.requests.map((r) => r.lines.filter(([n]) => n === 'x-user-id'))).toEqual([
      [['x-user-id', 'kube-admin']],
      [['x-user-id', 'kube-admin']],
    ]);
  });

  it('locally, when the API server cannot say who the user is, no x-user-id is sent (the shared scope)', async () => {
    up = await startUpstream((_req, res) => sendJson(res, 200, { name: 'agent' }), { selfUser: null });
    const d = await start(up);
    expect((await send(`${d.url}/api/a2a/ns/a/.well-known/agent-card.json`, {})).status).toBe(200);
    expect(up.reviews).toHaveLength(1);
    expect(up.requests[0].lines.filter(([n]) => n === 'x-user-id')).toEqual([]);
  });

  it('a request that did not come from the proxy is refused and makes no call at all', async () => {
    up = await startUpstream((_req, res) => sendJson(res, 200, {}));
    const d = await start(up, PROXY);
    for (const path of ['/api/objects/agents/ns/a', '/api/watch/agents', '/api/a2a/ns/a/', '/api/meta']) {
      const r = await send(`${d.url}${path}`, { from: '127.0.0.1', headers: { 'X-Forwarded-User': 'alice' } });
      expect(r.status, path).toBe(403);
      expect(JSON.parse(r.text).message).toBe('this dashboard only accepts requests through its authenticating proxy');
    }
    const put = await send(`${d.url}/api/objects/agents/ns/a`, {
      from: '127.0.0.1',
      method: 'PUT',
      headers: { 'X-Forwarded-User': 'alice', 'x-metagent-dashboard': '1', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(put.status).toBe(403);
    expect(up.requests).toEqual([]);
  });

  it('in local mode nothing is impersonated, even when the browser sends Impersonate-* itself', async () => {
    up = await startUpstream((_req, res) => sendJson(res, 200, { kind: 'Agent', metadata: { name: 'a' } }));
    const d = await start(up);
    const r = await send(`${d.url}/api/objects/agents/ns/a`, {
      headers: { 'Impersonate-User': 'admin', 'X-Forwarded-User': 'alice' },
    });
    expect(r.status).toBe(200);
    expect(up.requests[0].lines.filter(([n]) => n.startsWith('impersonate-'))).toEqual([]);
  });
});
