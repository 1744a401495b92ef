// Who a request acts as. Locally the dashboard is the user: every Kubernetes call carries the kubeconfig's own
// credentials and nothing is added. In-cluster it sits behind an authenticating proxy (oauth2-proxy and the like): it
// believes the proxy's user and group headers only when the request came from the proxy (its source address, or a
// client certificate the configured CA signed with an allowed name), and then makes every call as that person with
// Kubernetes impersonation, so RBAC decides per user. Pure functions of the request's facts; server.ts feeds them.
import { BlockList, isIP } from 'node:net';

export type IdentityMode =
  | { mode: 'local' }
  | {
      mode: 'proxy';
      /** Header carrying the authenticated user name, e.g. X-Forwarded-User. */
      userHeader: string;
      /** Header carrying the groups (comma-separated, or repeated), e.g. X-Forwarded-Groups; optional. */
      groupsHeader?: string;
      /** Source addresses or CIDRs of the proxy. */
      trustedAddresses: string[];
      /** With mTLS: the certificate subject CNs of the proxy (the TLS server verifies the chain). */
      trustedClientNames: string[];
    };

export interface RequestFacts {
  remoteAddress: string | undefined;
  /** The verified client certificate's subject CN, when the TLS layer verified one. */
  clientCertName?: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Identity =
  | { ok: true; user?: string; groups: string[]; impersonate: Record<string, string | string[]> }
  | { ok: false; status: 401 | 403; message: string };

/** Builds the trust list once; a malformed entry is a startup error naming it. */
export function trustedAddressList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr);
    if (!family) throw new Error(`--trusted-proxy "${entry}": not an IP address or CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new Error(`--trusted-proxy "${entry}": bad prefix length`);
      list.addSubnet(addr, prefix, type);
    }
  }
  return list;
}

function addressOf(remote: string | undefined): { addr: string; type: 'ipv4' | 'ipv6' } | undefined {
  if (!remote) return undefined;
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (v4mapped) return { addr: v4mapped[1], type: 'ipv4' };
  const family = isIP(remote);
  return family ? { addr: remote, type: family === 6 ? 'ipv6' : 'ipv4' } : undefined;
}

const headerValues = (h: string | string[] | undefined): string[] =>
  h === undefined ? [] : Array.isArray(h) ? h : [h];

/**
 * The identity of one request. In proxy mode a request that did not come from the proxy is refused (403) whatever its
 * headers say, and one from the proxy without a user header is 401: nobody falls back to the dashboard's own account.
 */
export function identify(mode: IdentityMode, trusted: BlockList | undefined, req: RequestFacts): Identity {
  if (mode.mode === 'local') return { ok: true, groups: [], impersonate: {} };
  const a = addressOf(req.remoteAddress);
  const byAddress = !!a && !!trusted && trusted.check(a.addr, a.type);
  const byCert = !!req.clientCertName && mode.trustedClientNames.includes(req.clientCertName);
  if (!byAddress && !byCert) {
    return { ok: false, status: 403, message: 'this dashboard only accepts requests through its authenticating proxy' };
  }
  const users = headerValues(req.headers[mode.userHeader.toLowerCase()])
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length !== 1) {
    return {
      ok: false,
      status: 401,
      message: users.length
        ? `the proxy sent ${mode.userHeader} more than once`
        : `the proxy sent no ${mode.userHeader}: sign in first`,
    };
  }
  const groups = mode.groupsHeader
    ? headerValues(req.headers[mode.groupsHeader.toLowerCase()])
        .flatMap((g) => g.split(','))
        .map((g) => g.trim())
        .filter(Boolean)
    : [];
  // system: names are Kubernetes' own (system:masters, system:serviceaccount:...); a proxy never asserts them.
  const reserved = [users[0], ...groups].find((n) => n.startsWith('system:'));
  if (reserved) return { ok: false, status: 403, message: `the proxy asserted the reserved identity "${reserved}"` };
  return {
    ok: true,
    user: users[0],
    groups,
    impersonate: { 'Impersonate-User': users[0], ...(groups.length ? { 'Impersonate-Group': groups } : {}) },
  };
}
