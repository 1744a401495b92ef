// The local dashboard acts with the user's kubeconfig, so no other web page may drive it: a request must name one of
// the dashboard's own hosts (DNS rebinding cannot borrow it), a cross-origin request is refused, and every call that
// changes something carries X-Metagent-Dashboard, a header a foreign page cannot send without a CORS preflight that
// this server never grants.
export const CSRF_HEADER = 'x-metagent-dashboard';

export interface GuardFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  csrf: string | undefined;
}

/** undefined when allowed, else why not. `hosts` are the Host header values the dashboard answers to. */
export function guardRequest(f: GuardFacts, hosts: ReadonlySet<string>): string | undefined {
  if (hosts.size && (!f.host || !hosts.has(f.host.toLowerCase())))
    return `unexpected Host "${f.host ?? ''}": open the dashboard at its own address`;
  if (f.origin && f.origin !== 'null') {
    let originHost = '';
    try {
      originHost = new URL(f.origin).host.toLowerCase();
    } catch {
      /* unparsable origin: refused below */
    }
    if (!originHost || originHost !== f.host?.toLowerCase()) return `cross-origin request from ${f.origin} refused`;
  }
  const safe = f.method === 'GET' || f.method === 'HEAD';
  if (!safe && f.csrf !== '1') return `a ${f.method} request must carry the ${CSRF_HEADER} header`;
  return undefined;
}

/** The Host values a server bound to `host:port` answers to; a wildcard bind answers to any (the proxy's Host). */
export function allowedHosts(host: string, port: number, extra: string[] = []): Set<string> {
  if (host === '0.0.0.0' || host === '::') return new Set(extra.map((h) => h.toLowerCase()));
  const names =
    host === '127.0.0.1' || host === 'localhost' || host === '::1'
      ? ['127.0.0.1', 'localhost', '[::1]']
      : [host.includes(':') ? `[${host}]` : host];
  return new Set([...names.map((n) => `${n}:${port}`), ...extra].map((h) => h.toLowerCase()));
}
