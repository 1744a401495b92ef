// Who is calling. An agent pod presents a projected ServiceAccount token bound to this server's audience; the API
// server says whose it is (TokenReview with that audience, so a token minted for anything else — the API server, a
// vault — is refused), and the tool server then reads the cluster as that ServiceAccount (Impersonate-User), so the
// agent's own RBAC decides every read. The token itself never reaches a log line or an error message.
import { createHash } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { apiServerUrl, kubeErrorText, kubeFetch, type FetchLike } from '../lib/kube.js';
import { TOKEN_AUDIENCE_ANNOTATION } from '../lib/service-account-token.js';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export type Caller =
  { ok: true; username: string; serviceAccount?: ServiceAccountRef } | { ok: false; reason: string; cache: boolean };

export interface Authenticator {
  /** The caller behind a bearer token (undefined: none was presented). */
  authenticate(token: string | undefined): Promise<Caller>;
  /** A kubeconfig that reads the cluster as the caller. */
  kubeConfigFor(caller: Caller & { ok: true }): KubeConfig;
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** `system:serviceaccount:NS:NAME` → its ServiceAccount; any other user name → undefined. */
export function serviceAccountOf(username: string): ServiceAccountRef | undefined {
  const m = SERVICE_ACCOUNT_USER.exec(username);
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

/** The bearer token of an Authorization header; undefined when there is none, '' when the header is not Bearer. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
  return m ? m[1] : '';
}

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string };
  audiences?: string[];
  error?: string;
}

/** What the API server's TokenReview answer means for a tool call (pure; `audience` is the one we asked for). */
export function callerFromReview(status: TokenReviewStatus, audience: string): Caller {
  if (!status.authenticated) {
    const why = status.error ? `: ${status.error.slice(0, 300)}` : '';
    return {
      ok: false,
      cache: true,
      reason: `the token is not a valid ServiceAccount token for audience "${audience}"${why}`,
    };
  }
  // The API server only authenticates a token for the audiences asked for; an answer without ours is not one.
  if (!(status.audiences ?? []).includes(audience)) {
    return { ok: false, cache: true, reason: `the token is not bound to audience "${audience}"` };
  }
  const username = status.user?.username ?? '';
  const serviceAccount = serviceAccountOf(username);
  if (!serviceAccount) {
    return { ok: false, cache: true, reason: `only ServiceAccount tokens are accepted, not user "${username}"` };
  }
  return { ok: true, username, serviceAccount };
}

function redact(text: string, token: string): string {
  return token.length >= 8 ? text.split(token).join('<token>') : text;
}

export interface TokenReviewOptions {
  /** The tool server's own identity (in a pod: its ServiceAccount, allowed only tokenreviews and impersonation). */
  kubeConfig: KubeConfig;
  audience: string;
  /** How long an answer is reused for the same token (the API server caches its own token checks for 10 s too). */
  cacheMs?: number;
  maxCached?: number;
  now?: () => number;
  fetch?: FetchLike;
}

/** Callers checked with TokenReview and impersonated. */
export function tokenReviewAuthenticator(opts: TokenReviewOptions): Authenticator {
  const { kubeConfig: kc, audience } = opts;
  const fetchImpl = opts.fetch ?? kubeFetch(kc);
  const url = `${apiServerUrl(kc)}/apis/authentication.k8s.io/v1/tokenreviews`;
  const cacheMs = opts.cacheMs ?? 10_000;
  const maxCached = opts.maxCached ?? 1000;
  const now = opts.now ?? Date.now;
  // Keyed by the token's hash, so the tokens themselves are not kept in memory longer than a request.
  const cache = new Map<string, { caller: Caller; until: number }>();
  const configs = new Map<string, KubeConfig>();

  async function review(token: string): Promise<Caller> {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token, audiences: [audience] },
        }),
      });
    } catch (err) {
      return { ok: false, cache: false, reason: `cannot check the token: ${redact(kubeErrorText(err), token)}` };
    }
    const text = await res.text();
    if (!res.ok) {
      const why = kubeErrorText({ code: res.status, body: text });
      return { ok: false, cache: false, reason: `cannot check the token (TokenReview ${redact(why, token)})` };
    }
    let status: TokenReviewStatus;
    try {
      status = ((JSON.parse(text) as { status?: TokenReviewStatus }).status ?? {}) as TokenReviewStatus;
    } catch {
      return { ok: false, cache: false, reason: 'cannot check the token: the TokenReview answer is not JSON' };
    }
    const caller = callerFromReview(status, audience);
    return caller.ok ? caller : { ...caller, reason: redact(caller.reason, token) };
  }

  return {
    async authenticate(token) {
      if (token === undefined) {
        return {
          ok: false,
          cache: false,
          reason:
            `no ServiceAccount token was presented; this tool server reads the cluster as the calling agent's ` +
            `ServiceAccount, so the RemoteMCPServer needs the annotation ${TOKEN_AUDIENCE_ANNOTATION}: ${audience}`,
        };
      }
      if (token === '') return { ok: false, cache: false, reason: 'the Authorization header is not a Bearer token' };
      const key = createHash('sha256').update(token).digest('hex');
      const hit = cache.get(key);
      const t = now();
      if (hit && hit.until > t) return hit.caller;
      const caller = await review(token);
      if (caller.ok || caller.cache) {
        cache.delete(key);
        cache.set(key, { caller, until: t + cacheMs });
        while (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
      }
      return caller;
    },
    kubeConfigFor(caller) {
      let kcAs = configs.get(caller.username);
      if (!kcAs) {
        kcAs = impersonating(kc, caller.username);
        configs.set(caller.username, kcAs);
        while (configs.size > maxCached) configs.delete(configs.keys().next().value as string);
      }
      return kcAs;
    },
  };
}

/**
 * The kubeconfig's own identity for every caller, without authentication: for one person running the tool server
 * on their own machine with their own kubeconfig (only on a loopback address; the server refuses otherwise).
 */
export function kubeconfigUserAuthenticator(kc: KubeConfig): Authenticator {
  return {
    authenticate: async () => ({ ok: true, username: kc.getCurrentUser()?.name ?? 'kubeconfig user' }),
    kubeConfigFor: () => kc,
  };
}

/**
 * The same cluster and credentials, sending Impersonate-User. Only the user name: the API server then gives a
 * ServiceAccount its fixed groups (system:serviceaccounts, system:serviceaccounts:NS, system:authenticated), so the
 * tool server needs `impersonate` on serviceaccounts and nothing on users, groups or extras.
 */
export function impersonating(kc: KubeConfig, username: string): KubeConfig {
  const current = kc.getCurrentUser();
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
    users: kc.users.map((u) => (u === current ? { ...u, impersonateUser: username } : u)),
  });
  return out;
}
