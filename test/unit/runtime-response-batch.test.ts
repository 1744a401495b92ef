// ResponseBatch over real HTTP: answers completed in one event-loop turn go out together at its end, each whole and
// to its own client; headers count as sent at once; a client that left does not stop the others being answered.
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseBatch } from '../../runtime/a2a/response-batch.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A server that holds each response until `n` have arrived, then answers them all in one turn through a batch. */
async function serveInOneTurn(n: number, onHeld?: (held: ServerResponse[]) => void): Promise<string> {
  const batch = new ResponseBatch();
  const held: ServerResponse[] = [];
  server = createServer((req, res) => {
    held.push(res);
    if (held.length < n) return;
    onHeld?.(held);
    held.forEach((r, i) => {
      r.statusCode = i === 0 ? 201 : 200;
      r.setHeader('content-type', 'application/json');
      batch.send(r, JSON.stringify({ i, url: r.req.url }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(url: string): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('ResponseBatch', () => {
  it('sends each answer whole, with its status and headers, to its own client', async () => {
    const url = await serveInOneTurn(3);
    const answers = await Promise.all(['/a', '/b', '/c'].map((p) => get(url + p)));
    const byUrl = new Map(answers.map((a) => [JSON.parse(a.body).url, a]));
    expect([...byUrl.keys()].sort()).toEqual(['/a', '/b', '/c']);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    for (const a of answers) expect(a.type).toBe('application/json');
  });

  it('holds the answers until the end of the turn, with their headers already counted as sent', async () => {
    const seen: Array<{ headersSent: boolean; finished: boolean }> = [];
    const batch = new ResponseBatch();
    server = createServer((_req, res) => {
      batch.send(res, '{"ok":true}');
      seen.push({ headersSent: res.headersSent, finished: res.writableEnded });
      // A second answer to the same request is refused rather than sent after the first.
      expect(() => res.setHeader('x-late', '1')).toThrow(/headers/i);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const res = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.body).toBe('{"ok":true}');
    expect(seen).toEqual([{ headersSent: true, finished: false }]);
  });

  it('a client that went away before the end of the turn does not stop the others being answered', async () => {
    const url = await serveInOneTurn(2, (held) => held.find((r) => r.req.url === '/gone')?.socket?.destroy());
    const results = await Promise.allSettled([get(`${url}/gone`), get(`${url}/stays`)]);
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [JSON.parse(r.value.body).url] : []));
    expect(answered).toContain('/stays');
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('a held stream writes nothing until the end of the turn, then everything written in it, end() included, as valid chunks', async () => {
    const batch = new ResponseBatch();
    const seenBeforeTurnEnd: number[] = [];
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      batch.hold(res);
      res.flushHeaders();
      res.write('data: 1\n\n');
      res.write('data: 2\n\n');
      // Node corks a socket itself until the next tick; this tick callback runs after that uncork.
      process.nextTick(() => seenBeforeTurnEnd.push(res.socket!.writableLength));
      setImmediate(() => {
        // The turn is over: what was held has been written.
        seenBeforeTurnEnd.push(res.socket!.writableLength);
        batch.hold(res);
        res.write('data: 3\n\n');
        res.end('data: 4\n\n'); // held with the rest, and the stream still ends with its terminating chunk
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const first = await get(url);
    expect(first.body).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n');
    expect(seenBeforeTurnEnd[0]).toBeGreaterThan(0); // corked: still buffered in the socket
    expect(seenBeforeTurnEnd[1]).toBe(0);
    // The same keep-alive connection carries the next answer normally.
    const second = await get(url);
    expect(second.body).toBe(first.body);
  });
});
