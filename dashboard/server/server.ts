// `metagent dashboard`'s server: the built web app plus a thin JSON API in front of the Kubernetes API. It holds no
// state and no credentials of its own beyond the kubeconfig it was given: locally every call is the user's; in
// cluster (identity mode 'proxy') every call impersonates the person the trusted proxy vouched for.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { relayA2A } from './a2a-relay.js';
import { allowedHosts, guardRequest, CSRF_HEADER } from './guard.js';
import { identify, trustedAddressList, type IdentityMode } from './identity.js';
import type { KubeCall } from './kube-client.js';
import { checkName, dashboardMeta, RELAYED } from './kinds.js';
import {
  agentChildren,
  applyKeySecret,
  applyObject,
  checkApplyBody,
  deleteObject,
  getObject,
  listNamespaces,
  type Reply,
} from './objects.js';
import { selfName } from './self.js';
import { serveStatic, shareLinkRedirect } from './static.js';
import { relayListWatch, type WatchEvent } from './watch.js';

export interface DashboardOptions {
  port: number;
  host: string;
  call: KubeCall;
  identity: IdentityMode;
  /** The built web app (index.html and assets/). */
  webRoot: string;
  /** The agents' Service port (the runtime's A2A port). */
  agentPort?: number;
  /** Names shown in the page's header: the kubeconfig context or "in-cluster". */
  contextName?: string;
  /** Host header values accepted besides the bound address (in cluster: the proxy's public host). */
  publicHosts?: string[];
  /** mTLS from the proxy: this server's certificate and the CA that signs the proxy's client certificate. */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string };
  log?: (entry: Record<string, unknown>) => void;
  /** Bytes accepted in one request body. */
  maxBodyBytes?: number;
}

export interface DashboardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, r: Reply): void {
  res.writeHead(r.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(r.body));
}

const problem = (status: number, message: string): Reply => ({ status, body: { status, message } });

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw Object.assign(new Error(`request body exceeds ${limit} bytes`), { status: 413 });
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('the request body is not JSON'), { status: 400 });
  }
}

export async function startDashboard(o: DashboardOptions): Promise<DashboardServer> {
  const trusted = o.identity.mode === 'proxy' ? trustedAddressList(o.identity.trustedAddresses) : undefined;
  const log = o.log ?? (() => {});
  const agentPort = o.agentPort ?? 8080;
  const limit = o.maxBodyBytes ?? 1 << 20;
  let hosts = new Set<string>();
  // Locally the person is the kubeconfig's user; behind the proxy, whoever it forwarded.
  const localUser = o.identity.mode === 'local' ? selfName(o.call) : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const method = req.method ?? 'GET';
    const denied = guardRequest(
      {
        method,
        host: req.headers.host,
        origin: req.headers.origin,
        csrf: req.headers[CSRF_HEADER] as string | undefined,
      },
      hosts,
    );
    if (denied) return send(res, problem(403, denied));
    // The readiness probe's: says only that the process serves (no identity, nothing from the API server).
    if (url.pathname === '/healthz' && method === 'GET') return send(res, { status: 200, body: { status: 'ok' } });
    if (!url.pathname.startsWith('/api/')) {
      if (method !== 'GET' && method !== 'HEAD')
        return send(res, problem(405, `${method} ${url.pathname}: not an API path`));
      const shared = shareLinkRedirect(url.pathname, url.searchParams);
      if (shared) {
        res.writeHead(302, { location: shared, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
        return res.end();
      }
      return serveStatic(o.webRoot, url.pathname, res);
    }
    const socket = req.socket as TLSSocket;
    const cert =
      typeof socket.getPeerCertificate === 'function' && socket.authorized ? socket.getPeerCertificate() : undefined;
    const who = identify(o.identity, trusted, {
      remoteAddress: req.socket.remoteAddress,
      clientCertName: cert?.subject?.CN as string | undefined,
      headers: req.headers,
    });
    if (!who.ok) {
      log({
        level: 'warn',
        msg: 'request refused',
        reason: who.message,
        remote: req.socket.remoteAddress,
        path: url.pathname,
      });
      return send(res, problem(who.status, who.message));
    }
    const ctx = { call: o.call, headers: who.impersonate };
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ['api', route, ...]
    const [, route, a, b, c] = parts;
    const names = (ns: string | undefined, name?: string) =>
      checkName('namespace', ns ?? '') ?? (name !== undefined ? checkName('name', name) : undefined);
    const kind = (plural: string | undefined) => (plural ? RELAYED[plural] : undefined);
    const abort = new AbortController();
    res.once('close', () => abort.abort());

    if (route === 'meta' && method === 'GET') {
      return send(res, {
        status: 200,
        body: {
          ...dashboardMeta(),
          mode: o.identity.mode,
          user: who.user ?? null,
          groups: who.groups,
          context: o.contextName ?? null,
        },
      });
    }
    if (route === 'namespaces' && method === 'GET') return send(res, await listNamespaces(ctx));
    if (route === 'watch' && method === 'GET') {
      const k = kind(a);
      if (!k) return send(res, problem(404, `unknown kind "${a ?? ''}"`));
      const ns = url.searchParams.get('namespace') ?? '';
      const bad = ns ? checkName('namespace', ns) : undefined;
      if (bad) return send(res, problem(400, bad));
      res.writeHead(200, {
        'content-type': 'application/x-ndjson',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      const emit = (ev: WatchEvent) => res.write(`${JSON.stringify(ev)}\n`);
      await relayListWatch({
        call: o.call,
        kind: k,
        namespace: ns,
        headers: who.impersonate,
        emit,
        signal: abort.signal,
      }).catch((err: unknown) => {
        if (!abort.signal.aborted)
          emit({
            type: 'ERROR',
            status: 502,
            message: `the watch to the API server failed: ${err instanceof Error ? err.message : String(err)}`,
          });
      });
      return res.end();
    }
    if (route === 'objects') {
      const k = kind(a);
      if (!k) return send(res, problem(404, `unknown kind "${a ?? ''}"`));
      const bad = names(b, c ?? '');
      if (bad) return send(res, problem(400, bad));
      if (method === 'GET') return send(res, await getObject(ctx, k, b, c));
      if (method === 'DELETE') return send(res, await deleteObject(ctx, k, b, c));
      if (method === 'PUT') {
        const body = await readBody(req, limit);
        const wrong = checkApplyBody(k, b, c, body, dashboardMeta().apiVersion);
        if (wrong) return send(res, problem(400, wrong));
        return send(res, await applyObject(ctx, k, b, c, body, url.searchParams.get('dryRun') === '1'));
      }
    }
    if (route === 'secrets' && method === 'PUT') {
      const bad = names(a, b ?? '');
      if (bad) return send(res, problem(400, bad));
      return send(res, await applyKeySecret(ctx, a, b, await readBody(req, limit)));
    }
    if (route === 'children' && method === 'GET') {
      const bad = names(a, b ?? '');
      if (bad) return send(res, problem(400, bad));
      return send(res, await agentChildren(ctx, a, b));
    }
    if (route === 'a2a') {
      const bad = names(a, b ?? '');
      if (bad) return send(res, problem(400, bad));
      const prefix = `/api/a2a/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
      const rest = url.pathname.slice(prefix.length) || '/';
      return relayA2A(
        o.call,
        { namespace: a, service: b, port: agentPort, rest: `${rest}${url.search}` },
        { impersonate: who.impersonate, userId: who.user ?? (await localUser?.()) },
        req,
        res,
        abort.signal,
      );
    }
    return send(res, problem(404, `${method} ${url.pathname}: no such API route`));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      const status = (err as { status?: number }).status ?? 502;
      const message = err instanceof Error ? err.message : String(err);
      log({ level: status >= 500 ? 'error' : 'warn', msg: 'request failed', path: req.url, status, err: message });
      if (!res.headersSent)
        send(
          res,
          problem(status, status === 502 ? `the Kubernetes API server could not be reached: ${message}` : message),
        );
      else res.end();
    });
  };
  const server: Server = o.tls
    ? createHttpsServer(
        {
          cert: readFileSync(o.tls.certFile),
          key: readFileSync(o.tls.keyFile),
          ...(o.tls.clientCaFile
            ? { ca: readFileSync(o.tls.clientCaFile), requestCert: true, rejectUnauthorized: false }
            : {}),
        },
        listener,
      )
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Behind the proxy the Host is the proxy's public name (whatever the pod binds), so only --public-host limits it;
  // the Origin and CSRF-header checks still hold.
  hosts =
    o.identity.mode === 'proxy'
      ? new Set((o.publicHosts ?? []).map((h) => h.toLowerCase()))
      : allowedHosts(o.host, port, o.publicHosts);
  const shownHost =
    o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${o.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
