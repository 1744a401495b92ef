// A recording HTTP proxy between the real Metacontroller and the hook server, for tests: it logs each hook call
// (path, parent namespace/name, status, time, body size, the related objects it carried), and it can play a hook-server outage — `down()` closes its listener
// and cuts every connection (Metacontroller sees connection refused, as from a stopped server), `fail(500)` answers
// every request with that status without calling the hook server, `forward()` restores normal service.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HookCall {
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  path: string;
  namespace: string;
  name: string;
  status: number;
  ms: number;
  /** Size of the request body in bytes. */
  bytes: number;
  /** The related objects the request carried, as `Kind.apiVersion namespace/name` (what the hook server received). */
  related: string[];
}

export interface HookProxy {
  url: string;
  calls: HookCall[];
  /** Calls for parents in one namespace, optionally since a time. */
  callsIn(namespace: string, since?: number, path?: string): HookCall[];
  forward(): Promise<void>;
  fail(status: number): Promise<void>;
  down(): Promise<void>;
  close(): Promise<void>;
}

export async function startHookProxy(target: string): Promise<HookProxy> {
  const base = new URL(target);
  let failWith = 0;
  const calls: HookCall[] = [];
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const server = http.createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let namespace = '';
      let name = '';
      const related: string[] = [];
      try {
        const parsed = JSON.parse(body.toString('utf8')) as {
          parent?: { metadata?: { namespace?: string; name?: string } };
          related?: Record<string, Record<string, unknown>>;
        };
        namespace = parsed.parent?.metadata?.namespace ?? '';
        name = parsed.parent?.metadata?.name ?? '';
        for (const [group, objs] of Object.entries(parsed.related ?? {}))
          for (const k of Object.keys(objs ?? {})) related.push(`${group} ${k}`);
      } catch {
        /* the hook server answers 400 for it */
      }
      const record = (status: number) =>
        calls.push({
          at,
          path: req.url ?? '',
          namespace,
          name,
          status,
          ms: Date.now() - at,
          bytes: body.length,
          related,
        });
      if (failWith) {
        record(failWith);
        res.writeHead(failWith, { 'content-type': 'text/plain' }).end('hook server failure played by the test proxy');
        return;
      }
      const up = http.request(
        {
          agent,
          hostname: base.hostname,
          port: base.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: base.host },
        },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on('data', (c: Buffer) => out.push(c));
          upRes.on('end', () => {
            record(upRes.statusCode ?? 502);
            res.writeHead(upRes.statusCode ?? 502, upRes.headers).end(Buffer.concat(out));
          });
        },
      );
      up.on('error', (e) => {
        record(502);
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${e.message}`);
      });
      up.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', rej);
        res();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((res) => {
      if (!server.listening) return res();
      server.close(() => res());
      for (const s of sockets) s.destroy();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsIn: (namespace, since = 0, path) =>
      calls.filter((c) => c.namespace === namespace && c.at >= since && (!path || c.path === path)),
    async forward() {
      failWith = 0;
      if (!server.listening) await listen(port);
    },
    async fail(status) {
      failWith = status;
      if (!server.listening) await listen(port);
    },
    down: stop,
    async close() {
      await stop();
      agent.destroy();
    },
  };
}
