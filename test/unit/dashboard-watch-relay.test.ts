// The watch relay (dashboard/server/watch.ts) against scripted API-server answers: the list becomes SYNC, watch
// events pass (slimmed), a watch that ends resumes from the last resourceVersion (bookmarks included), 410 Gone —
// as a status or in-stream — re-lists, a refusal ends the stream with the API server's message. And through the
// server: each watch event reaches the client while the upstream watch is still open.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { relayListWatch, slim, type WatchEvent } from '../../dashboard/server/watch.js';
import { RELAYED } from '../../dashboard/server/kinds.js';
import { kubeCall, startDashboard, type DashboardServer } from '../../dashboard/server/index.js';
import { sendJson, signal, startUpstream, type Upstream } from '../dashboard/upstream.js';

const agents = RELAYED.agents;
const obj = (name: string, rv: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name, namespace: 'ns', resourceVersion: rv, ...extra },
});
const line = (res: ServerResponse, ev: unknown) => res.write(`${JSON.stringify(ev)}\n`);

let up: Upstream | undefined;
let dash: DashboardServer | undefined;
afterEach(async () => {
  await dash?.close();
  await up?.close();
  dash = up = undefined;
});

/** Runs the relay until it has emitted `n` events (or returned), then stops it. */
async function relay(u: Upstream, n: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const ac = new AbortController();
  const done = relayListWatch({
    call: kubeCall(u.kubeConfig()),
    kind: agents,
    namespace: 'ns',
    headers: { 'Impersonate-User': 'alice' },
    signal: ac.signal,
    emit: (e) => {
      events.push(e);
      if (events.length >= n) ac.abort();
    },
  }).catch((err: unknown) => {
    if (!ac.signal.aborted) throw err;
  });
  await done;
  return events;
}

describe('relayListWatch', () => {
  it('lists, relays events, resumes after a watch ends, and re-lists on 410 (status and in-stream)', async () => {
    let watches = 0;
    up = await startUpstream((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (!url.searchParams.has('watch')) {
        const rv = watches === 0 ? '100' : '300';
        return sendJson(res, 200, {
          kind: 'AgentList',
          metadata: { resourceVersion: rv },
          items: [obj('a', rv, { managedFields: [{ manager: 'kubectl' }] })],
        });
      }
      watches++;
      if (watches === 2) return sendJson(res, 410, { kind: 'Status', code: 410, message: 'too old resource version' });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (watches === 1) {
        line(res, { type: 'ADDED', object: obj('b', '101') });
        line(res, { type: 'BOOKMARK', object: { kind: 'Agent', metadata: { resourceVersion: '150' } } });
        return res.end(); // the API server's timeout: resume from 150
      }
      if (watches === 3) {
        line(res, { type: 'MODIFIED', object: obj('a', '301') });
        line(res, { type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version: 301' } });
        return res.end();
      }
      line(res, { type: 'DELETED', object: obj('a', '302') });
      // left open: the relay is stopped by its signal
    });
    const events = await relay(up, 5);
    expect(events.map((e) => e.type)).toEqual(['SYNC', 'ADDED', 'SYNC', 'MODIFIED', 'SYNC']);
    expect((events[0].items![0] as { metadata: Record<string, unknown> }).metadata.managedFields).toBeUndefined();
    const watchRvs = up.requests
      .filter((r) => r.url.includes('watch=1'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('resourceVersion'));
    // 100 (after the list), 150 (the bookmark), 300 (the re-list after the 410 status), then a re-list again.
    expect(watchRvs.slice(0, 3)).toEqual(['100', '150', '300']);
    expect(up.requests.filter((r) => !r.url.includes('watch=1')).length).toBe(3);
    // Every call, list or watch, carried the impersonation.
    for (const r of up.requests) expect(r.lines).toContainEqual(['impersonate-user', 'alice']);
  });

  it("a refusal ends the relay with the API server's status and message", async () => {
    up = await startUpstream((_req, res) =>
      sendJson(res, 403, {
        kind: 'Status',
        code: 403,
        message: 'agents.kagent.dev is forbidden: User "alice" cannot list',
      }),
    );
    const events = await relay(up, 99);
    expect(events).toEqual([
      { type: 'ERROR', status: 403, message: 'agents.kagent.dev is forbidden: User "alice" cannot list' },
    ]);
  });

  it('an in-stream error other than 410 ends the relay with it', async () => {
    up = await startUpstream((req, res) => {
      if (!req.url!.includes('watch=1')) return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
      res.writeHead(200);
      line(res, { type: 'ERROR', object: { kind: 'Status', code: 500, message: 'etcd is sad' } });
      res.end();
    });
    expect(await relay(up, 99)).toEqual([
      { type: 'SYNC', items: [] },
      { type: 'ERROR', status: 500, message: 'etcd is sad' },
    ]);
  });

  it("slim drops managedFields and kubectl's last-applied copy, nothing else", () => {
    const o = obj('a', '1', {
      managedFields: [{}],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
    });
    expect(slim(o)).toEqual(obj('a', '1', { annotations: { keep: 'me' } }));
  });
});

describe('the /api/watch route', () => {
  it('delivers each event while the upstream watch is still open (no buffering to the end)', async () => {
    const seen = [signal(), signal(), signal()];
    up = await startUpstream(async (req, res) => {
      if (!req.url!.includes('watch=1')) return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < seen.length; i++) {
        line(res, { type: 'ADDED', object: obj(`agent-${i}`, String(i + 2)) });
        await seen[i].promise; // the next event only after the client has read this one
      }
    });
    dash = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(up.kubeConfig()),
      identity: { mode: 'local' },
      webRoot: mkdtempSync(join(tmpdir(), 'dash-web-')),
    });
    const ac = new AbortController();
    const res = await fetch(`${dash.url}/api/watch/agents?namespace=ns`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const names: string[] = [];
    while (names.length < seen.length) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const ev = JSON.parse(buf.slice(0, nl)) as WatchEvent;
        buf = buf.slice(nl + 1);
        if (ev.type === 'ADDED') {
          names.push((ev.object as { metadata: { name: string } }).metadata.name);
          seen[names.length - 1].resolve();
        }
      }
    }
    ac.abort();
    expect(names).toEqual(['agent-0', 'agent-1', 'agent-2']);
  }, 20_000);

  it('refuses an unknown kind and a bad namespace before calling the API server', async () => {
    up = await startUpstream((_req, res) => sendJson(res, 500, {}));
    dash = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(up.kubeConfig()),
      identity: { mode: 'local' },
      webRoot: mkdtempSync(join(tmpdir(), 'dash-web-')),
    });
    const secrets = await fetch(`${dash.url}/api/watch/secrets`);
    expect(secrets.status).toBe(404);
    expect(((await secrets.json()) as { message: string }).message).toContain('unknown kind "secrets"');
    const bad = await fetch(`${dash.url}/api/watch/agents?namespace=Bad_NS`);
    expect(bad.status).toBe(400);
    expect(up.requests).toEqual([]);
  });
});
