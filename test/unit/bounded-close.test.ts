// boundedClose: a server's close() must not wait on clients that never finish (a connection without a request, a TLS
// handshake never completed, a half-sent request), and must still let requests in flight finish within the grace.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { boundedClose } from '../../lib/bounded-close.js';
import { generateCerts } from '../../certs/generate.js';

const opened: Socket[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.destroy();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}
async function rawConnect(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  opened.push(s);
  s.on('error', () => {});
  await new Promise((r) => s.once('connect', r));
  return s;
}
const closeServer = (server: Server) => () =>
  new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
const timed = async (p: Promise<unknown>) => {
  const t = performance.now();
  await p;
  return performance.now() - t;
};

describe('boundedClose', () => {
  it('does not wait for a connection that never sent a request', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const close = boundedClose(server, 5_000);
    const port = await listen(server);
    const idle = await rawConnect(port);
    await new Promise((r) => setTimeout(r, 50));
    expect(await timed(close(closeServer(server)))).toBeLessThan(1_000);
    await new Promise((r) => idle.once('close', r));
    expect(idle.destroyed).toBe(true);
  });

  it('does not wait for a TLS client that never finishes its handshake', async () => {
    const certs = await generateCerts({ ip: ['127.0.0.1'], dns: ['localhost'] });
    const server = createHttpsServer({ cert: certs.cert, key: certs.key }, (_req, res) =>
      res.end('ok'),
    ) as unknown as Server;
    const close = boundedClose(server, 5_000);
    const port = await listen(server);
    await rawConnect(port); // TCP only: no ClientHello
    await new Promise((r) => setTimeout(r, 50));
    expect(await timed(close(closeServer(server)))).toBeLessThan(1_000);
  });

  it('lets a request in flight finish, then closes', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const server = createServer((_req, res) => void held.then(() => res.end('finished')));
    const close = boundedClose(server, 5_000);
    const port = await listen(server);
    const answer = fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    const closing = close(closeServer(server));
    setTimeout(release, 200);
    expect(await answer).toBe('finished');
    expect(await timed(closing)).toBeLessThan(1_000);
  });

  it('cuts a stalled, half-sent request after the grace period', async () => {
    const server = createServer((req, res) => req.on('end', () => res.end('ok')).resume());
    const close = boundedClose(server, 300);
    const port = await listen(server);
    const slow = await rawConnect(port);
    slow.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"half":');
    await new Promise((r) => setTimeout(r, 50));
    const took = await timed(close(closeServer(server)));
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2_000);
    // The server cut the connection: the client sees it end (rather than an answer).
    await new Promise((r) => (slow.closed ? r(undefined) : slow.once('close', r)));
    expect(slow.closed).toBe(true);
  });
});
