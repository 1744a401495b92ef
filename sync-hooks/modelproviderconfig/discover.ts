// The impure part of the ModelProviderConfig hook: GET the provider's models URL (providers.ts builds it) with a
// bounded timeout and a bounded body, parse it, and hold the answer briefly in the shared probe cache
// (../refresh/probe-cache.ts), so the resync Metacontroller makes after its own status write does not ask the
// provider again while every periodic resync (resyncAfterSeconds = the refresh period) lists the models afresh.
import { createHash } from 'node:crypto';
import { createRefreshingProbe } from '../refresh/probe-cache.js';
import { MalformedResponse, type ProviderDiscovery } from './providers.js';

/** Within Metacontroller's 10 s hook timeout, as for MCP servers. */
export const DISCOVERY_TIMEOUT_MS = 5_000;
/** A models list is a few kB (OpenAI's ~10 kB); a larger answer is not a models list. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** At most this many IDs reach the status (the object must stay far below etcd's 1.5 MiB). */
export const MAX_MODELS = 1000;

export interface DiscoveryTarget {
  /** The ModelProviderConfig's uid and generation: part of the cache key. */
  uid: string;
  generation: number;
  type: string;
  endpoint: string;
  apiKey: string | undefined;
  provider: ProviderDiscovery;
  timeoutMs?: number;
}

export type DiscoveryOutcome =
  { ok: true; models: string[]; listed: number } | { ok: false; reason: string; message: string };

export interface ModelDiscoverer {
  discover(target: DiscoveryTarget): Promise<DiscoveryOutcome>;
  /** The refresh period the status asks Metacontroller to resync after (seconds). */
  readonly refreshSeconds: number;
  size(): number;
}

export interface DiscovererOptions {
  refreshSeconds?: number;
  /** Called once per discovery: answered from the cache, or asked and succeeded/failed (with duration). */
  onDiscover?: (result: 'cached' | 'ok' | 'error', seconds?: number) => void;
  maxEntries?: number;
  failureTtlMs?: number;
  clock?: () => number;
}

export function createModelDiscoverer(opts: DiscovererOptions = {}): ModelDiscoverer {
  const { onDiscover, ...cacheOptions } = opts;
  const probe = createRefreshingProbe<DiscoveryOutcome>({ ...cacheOptions, onResult: onDiscover });
  return {
    refreshSeconds: probe.refreshSeconds,
    size: () => probe.size(),
    discover: (target) => probe.run(cacheKey(target), () => listModels(target)),
  };
}

function cacheKey(t: DiscoveryTarget): string {
  return createHash('sha256')
    .update(JSON.stringify([t.uid, t.generation, t.type, t.endpoint, t.apiKey ?? null]))
    .digest('hex');
}

/** One GET of the models list; never throws. Sorted, de-duplicated, at most MAX_MODELS IDs. */
export async function listModels(t: DiscoveryTarget): Promise<DiscoveryOutcome> {
  const { url, headers } = t.provider.request(t.endpoint, t.apiKey);
  const timeoutMs = t.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  const fail = (msg: string): DiscoveryOutcome => ({
    ok: false,
    reason: 'DiscoveryFailed',
    message: redact(`listing models of ${t.type} at ${safeUrl(url)} failed: ${msg}`, t.apiKey),
  });
  const signal = AbortSignal.timeout(timeoutMs);
  let body: string;
  try {
    // No redirects: a redirect could carry the key to another host, and the hook server's network position must not
    // be usable to reach what an arbitrary URL points at.
    const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, redirect: 'manual', signal });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return fail(httpProblem(res.status));
    }
    body = await readBounded(res, MAX_RESPONSE_BYTES);
  } catch (err) {
    if (signal.aborted) return fail(`timed out after ${timeoutMs} ms`);
    if (err instanceof TooLarge) return fail(err.message);
    return fail(networkProblem(err));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fail('the response is not JSON');
  }
  let ids: string[];
  try {
    ids = t.provider.parse(parsed);
  } catch (err) {
    if (err instanceof MalformedResponse) return fail(`malformed response: ${err.message}`);
    throw err;
  }
  const unique = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ok: true, models: unique.slice(0, MAX_MODELS), listed: unique.length };
}

/** The status code only, never the body: the hook connects from the control plane, and echoing what an arbitrary URL
 * answered would let a namespace user read internal endpoints. */
function httpProblem(status: number): string {
  if (status === 401) return 'the API key was refused (HTTP 401)';
  if (status === 403) return 'the API key may not list models (HTTP 403)';
  if (status === 404) return 'no models endpoint there (HTTP 404)';
  if (status >= 300 && status < 400) return `the server answered a redirect (HTTP ${status}), which is not followed`;
  return `the server answered HTTP ${status}`;
}

function networkProblem(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  const msg =
    cause && typeof cause.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  const line = (msg.split('\n')[0] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

class TooLarge extends Error {}

async function readBounded(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new TooLarge(`the response is larger than ${max} bytes`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge(`the response is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The URL for a message: without userinfo and query (which may carry credentials). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function redact(msg: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? msg.split(apiKey).join('[redacted]') : msg;
}
