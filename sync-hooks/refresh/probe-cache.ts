// A shared cache for hooks whose status comes from contacting something outside the cluster's objects (an MCP
// server's tool list, a model provider's model list): status controllers that refresh on a period.
//
// Why a cache at all, and why a short one: Metacontroller calls the sync hook again right after it writes the status
// the hook returned (its watch sees its own write), and two hook replicas share the load. Those immediate resyncs must
// not reconnect, but the periodic one (`resyncAfterSeconds`, refreshSeconds below) must see the server as it is now.
// So an answer lives at most half a period: every periodic resync probes afresh, whichever replica gets it, and two
// replicas can disagree only inside that window — both then probe the same server and the status is built from the
// outcome and the observed object alone (sorted, no process memory), so they converge on the same bytes.
// Concurrent requests for the same key share one probe; a failure is kept briefly (failureTtlMs) so a retry storm
// does not hammer a dead server; at most maxEntries keys are held (least recently used evicted first).

/** kagent re-lists an MCP server's tools every 60 s; the hook server's --tools-resync-seconds. */
export const DEFAULT_REFRESH_SECONDS = 60;

/** After a failure, ask again this soon (or sooner, when the period is shorter). */
export const RETRY_AFTER_FAILURE_SECONDS = 30;

export interface ProbeCacheOptions {
  /** The refresh period in seconds: successes are kept for half of it (at most 10 s), so each period probes. */
  refreshSeconds?: number;
  /** How long a failure is answered from the cache (ms). */
  failureTtlMs?: number;
  maxEntries?: number;
  clock?: () => number;
}

export interface ProbeCache<T> {
  /** `probe` runs only when no fresh answer for `key` is held and none is in flight; `ok` tells success from failure. */
  get(key: string, probe: () => Promise<T>, ok: (v: T) => boolean): Promise<{ value: T; cached: boolean }>;
  size(): number;
}

export function createProbeCache<T>(opts: ProbeCacheOptions = {}): ProbeCache<T> {
  const refreshMs = (opts.refreshSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000;
  const successTtlMs = Math.min(10_000, refreshMs / 2);
  const failureTtlMs = Math.min(opts.failureTtlMs ?? 10_000, successTtlMs);
  const maxEntries = opts.maxEntries ?? 1024;
  const clock = opts.clock ?? Date.now;
  const cache = new Map<string, { value: T; expires: number }>();
  const pending = new Map<string, Promise<T>>();
  return {
    size: () => cache.size,
    async get(key, probe, ok) {
      const hit = cache.get(key);
      if (hit && hit.expires > clock()) {
        cache.delete(key);
        cache.set(key, hit);
        return { value: hit.value, cached: true };
      }
      if (hit) cache.delete(key);
      const inFlight = pending.get(key);
      if (inFlight) return { value: await inFlight, cached: true };
      const p = probe().then((value) => {
        cache.delete(key);
        cache.set(key, { value, expires: clock() + (ok(value) ? successTtlMs : failureTtlMs) });
        while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
        return value;
      });
      pending.set(key, p);
      try {
        return { value: await p, cached: false };
      } finally {
        pending.delete(key);
      }
    },
  };
}

/** A probe whose outcome says whether it succeeded: the MCP tool prober's and the model discoverer's. */
export interface Outcome {
  ok: boolean;
}

export interface RefreshingProbeOptions extends ProbeCacheOptions {
  /** Called once per request: answered from the cache, or probed and succeeded/failed (with its duration). */
  onResult?: (result: 'cached' | 'ok' | 'error', seconds?: number) => void;
}

export interface RefreshingProbe<T extends Outcome> {
  /** The refresh period the status asks Metacontroller to resync after (seconds). */
  readonly refreshSeconds: number;
  size(): number;
  /** `probe` must not throw: a failure is an outcome with `ok: false`. */
  run(key: string, probe: () => Promise<T>): Promise<T>;
}

/** The probe cache with its refresh period and a per-request report (for the hook server's metrics). */
export function createRefreshingProbe<T extends Outcome>(opts: RefreshingProbeOptions = {}): RefreshingProbe<T> {
  const refreshSeconds = opts.refreshSeconds ?? DEFAULT_REFRESH_SECONDS;
  const cache = createProbeCache<T>({ ...opts, refreshSeconds });
  return {
    refreshSeconds,
    size: () => cache.size(),
    async run(key, probe) {
      const { value, cached } = await cache.get(
        key,
        async () => {
          const started = performance.now();
          const outcome = await probe();
          opts.onResult?.(outcome.ok ? 'ok' : 'error', (performance.now() - started) / 1000);
          return outcome;
        },
        (o) => o.ok,
      );
      if (cached) opts.onResult?.('cached');
      return value;
    },
  };
}

/** resyncAfterSeconds for a status hook that refreshes on a period: the period after success, sooner after failure. */
export function refreshAfterSeconds(ok: boolean, refreshSeconds: number = DEFAULT_REFRESH_SECONDS): number {
  return ok ? refreshSeconds : Math.min(RETRY_AFTER_FAILURE_SECONDS, refreshSeconds);
}

/** A refresh period given on the command line or in options: a whole number of seconds, 1 to 86400. */
export function checkRefreshSeconds(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 86_400) {
    throw new Error(`${what}: must be a whole number of seconds from 1 to 86400, got ${JSON.stringify(v)}`);
  }
  return n;
}
