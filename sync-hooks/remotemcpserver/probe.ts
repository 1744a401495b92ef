// The one impure part of the hooks: connect to a RemoteMCPServer with the MCP SDK client and list its tools.
// Answers are held briefly per server (UID + generation + URL + protocol + headers) in the shared probe cache
// (../refresh/probe-cache.ts): the resync Metacontroller makes after its own status write does not reconnect, while
// every periodic resync (resyncAfterSeconds = the refresh period) lists the tools afresh.
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { fetchErrorText, hasTls, tlsHttp, type TlsSettings } from '../../lib/tls-fetch.js';
import { createRefreshingProbe } from '../refresh/probe-cache.js';
import type { DiscoveredTool, ProbeOutcome } from './status.js';

export const MAX_PROBE_TIMEOUT_MS = 5_000;

export interface ProbeTarget {
  /** Identity of the RemoteMCPServer object (uid) and its generation: part of the cache key. */
  uid: string;
  generation: number;
  url: string;
  protocol: 'STREAMABLE_HTTP' | 'SSE';
  headers: Record<string, string>;
  /** spec.tls, the CA read from its Secret; absent or empty = system CAs, verification on. */
  tls?: TlsSettings;
  timeoutMs: number;
}

export interface McpProber {
  probe(target: ProbeTarget): Promise<ProbeOutcome>;
  /** The refresh period the status asks Metacontroller to resync after (seconds). */
  readonly refreshSeconds: number;
  /** Number of live cache entries (for tests and metrics). */
  size(): number;
}

/** Lists the tools of one server; replaceable in tests. Throws on failure. */
export type ListTools = (target: ProbeTarget) => Promise<{ name: string; description?: string }[]>;

export interface ProberOptions {
  listTools?: ListTools;
  /** Called once per probe request: answered from the cache, or connected and succeeded/failed (with duration). */
  onProbe?: (result: 'cached' | 'ok' | 'error', seconds?: number) => void;
  /** Tool lists are refreshed every this many seconds (the hook server's --tools-resync-seconds; default 60). */
  refreshSeconds?: number;
  maxEntries?: number;
  failureTtlMs?: number;
  clock?: () => number;
}

export function createMcpProber(opts: ProberOptions = {}): McpProber {
  const { listTools = listToolsWithSdk, onProbe, ...cacheOptions } = opts;
  const probe = createRefreshingProbe<ProbeOutcome>({ ...cacheOptions, onResult: onProbe });
  return {
    refreshSeconds: probe.refreshSeconds,
    size: () => probe.size(),
    probe: (target) =>
      probe.run(cacheKey(target), async (): Promise<ProbeOutcome> => {
        try {
          const tools = await withTimeout(listTools(target), target.timeoutMs);
          return { ok: true, tools: tools as DiscoveredTool[] };
        } catch (err) {
          return { ok: false, reason: 'ToolDiscoveryFailed', message: describeError(err, target) };
        }
      }),
  };
}

function cacheKey(t: ProbeTarget): string {
  const h = createHash('sha256');
  // The CA is part of the key: a rotated CA Secret (same generation) is used at once.
  const tls = t.tls && hasTls(t.tls) ? [t.tls.skipVerify === true, t.tls.systemCas !== false, t.tls.ca ?? []] : [];
  h.update(JSON.stringify([t.uid, t.generation, t.url, t.protocol, Object.entries(t.headers).sort(), tls]));
  return h.digest('hex');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The error for the status, which the RemoteMCPServer's owner reads: names the URL, never a header value (those may
 * be credentials), and never the body of an HTTP error response — the hook server connects from the control-plane
 * namespace, so echoing what an arbitrary URL answered would let a namespace user read internal endpoints (SSRF).
 */
function describeError(err: unknown, t: ProbeTarget): string {
  let msg = fetchErrorText(err);
  const code = (err as { code?: unknown } | null)?.code;
  const httpStatus =
    typeof code === 'number' && code >= 100 && code < 600 ? code : Number(/\(HTTP (\d{3})\)/.exec(msg)?.[1] ?? NaN);
  if (Number.isFinite(httpStatus)) {
    msg = `the server answered HTTP ${httpStatus}`;
  } else {
    msg = (msg.split('\n')[0] ?? '').trim();
    if (msg.length > 200) msg = `${msg.slice(0, 200)}...`;
  }
  for (const v of Object.values(t.headers)) {
    if (v.length >= 4) msg = msg.split(v).join('[redacted]');
  }
  return `listing tools of ${t.protocol} server ${t.url} failed: ${msg}`;
}

/** The real probe: connect with the SDK client over the server's transport, list every page of tools, close. */
export const listToolsWithSdk: ListTools = async (target) => {
  const url = new URL(target.url);
  const requestInit: RequestInit = { headers: target.headers };
  // One Agent per probe, closed after it: the CA may differ from one probe of this server to the next.
  const tls = target.tls && hasTls(target.tls) ? tlsHttp(() => target.tls!) : undefined;
  const fetch = tls?.fetch;
  const transport =
    target.protocol === 'SSE'
      ? new SSEClientTransport(url, { requestInit, fetch })
      : new StreamableHTTPClientTransport(url, { requestInit, fetch });
  const client = new Client({ name: 'metagent-sync-hooks', version: '0.1.0' });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), target.timeoutMs);
  try {
    const reqOpts = { signal: abort.signal, timeout: target.timeoutMs };
    await client.connect(transport, reqOpts);
    const tools: { name: string; description?: string }[] = [];
    let cursor: string | undefined;
    // Bounded: a server that pages forever cannot hold the hook.
    for (let page = 0; page < 100; page++) {
      const res = await client.listTools(cursor ? { cursor } : undefined, reqOpts);
      tools.push(...res.tools.map((t) => ({ name: t.name, description: t.description })));
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    return tools;
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
    if (tls) await (await tls.connect()).dispatcher.close().catch(() => undefined);
  }
};

/** Go duration strings as kagent writes them (`30s`, `5m0s`, `1h`, `500ms`, `1.5s`) in milliseconds. */
export function parseGoDuration(s: unknown): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]) * unit[m[2]];
    consumed = re.lastIndex;
  }
  return consumed === s.length && consumed > 0 ? total : undefined;
}
