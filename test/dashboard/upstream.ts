// A scripted HTTP endpoint standing where the API server stands, for the backend's unit tests: each request is
// recorded with its raw header lines (so repeated Impersonate-Group lines stay visible) and answered by the test's
// handler. The relays' protocol edges (410 Gone, a watch that ends, a stream held open chunk by chunk) are set up
// here; the real API server's answers are covered by impersonation.test.ts and scenario.test.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface Recorded {
  method: string;
  url: string;
  /** [name, value] pairs exactly as they came on the wire, names lower-cased. */
  lines: [string, string][];
}

export interface Upstream {
  url: string;
  requests: Recorded[];
  /** The SelfSubjectReviews asked (answered by the upstream itself, not the handler, and not in `requests`). */
  reviews: Recorded[];
  kubeConfig(token?: string): KubeConfig;
  close(): Promise<void>;
}

/**
 * `selfUser`: the user name a SelfSubjectReview reports (the local dashboard asks who its kubeconfig is before it
 * talks to an agent); null answers it 404, as an API server without the API would.
 */
export async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  { selfUser = 'kube-admin' }: { selfUser?: string | null } = {},
): Promise<Upstream> {
  const requests: Recorded[] = [];
  const reviews: Recorded[] = [];
  const server = createServer((req, res) => {
    const lines: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      lines.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    const recorded = { method: req.method ?? '', url: req.url ?? '', lines };
    if (req.url === '/apis/authentication.k8s.io/v1/selfsubjectreviews') {
      reviews.push(recorded);
      req.resume();
      if (selfUser === null) return sendJson(res, 404, { kind: 'Status', code: 404, message: 'not found' });
      return sendJson(res, 201, { kind: 'SelfSubjectReview', status: { userInfo: { username: selfUser } } });
    }
    requests.push(recorded);
    Promise.resolve(handler(req, res)).catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    reviews,
    kubeConfig(token = 'dashboard-sa-token') {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        // Plain HTTP on loopback: client-node accepts an http:// server only with skipTLSVerify.
        clusters: [{ name: 'up', server: url, skipTLSVerify: true }],
        users: [{ name: 'sa', token }],
        contexts: [{ name: 'up', cluster: 'up', user: 'sa' }],
        currentContext: 'up',
      });
      return kc;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A resolvable promise: the tests use it to hold a stream until the client has seen the previous chunk. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A handler playing the API server's service proxy for one Service: a request under `prefix` goes to `target` with
 * the prefix stripped — method, body and the headers the dashboard sent (not the dashboard's own credentials) — and
 * the answer comes back as is; anything else answers an empty list.
 */
export function serviceProxyTo(prefix: string, target: () => string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!(req.url ?? '').startsWith(prefix)) {
      req.resume();
      return sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'content-length', 'connection', 'authorization'].includes(k))
        headers[k] = v;
    const r = await fetch(`${target()}${(req.url ?? '').slice(prefix.length)}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' });
    res.end(Buffer.from(await r.arrayBuffer()));
  };
}
