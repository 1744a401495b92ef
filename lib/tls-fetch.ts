// kagent's TLS settings (ModelConfig.spec.tls and RemoteMCPServer.spec.tls: skip verify, a custom CA, no system CAs)
// as one undici Agent, and the fetch over it. The installed undici's fetch is used with its own Agent: Node's bundled
// fetch may be a different undici version than the dispatcher's, and one Agent per server keeps its connection pool
// across calls. undici is imported on first use, so a process that never connects anywhere does not load it.
import { rootCertificates } from 'node:tls';
import type { Agent } from 'undici';

type Undici = typeof import('undici');

export interface TlsSettings {
  /** Certificate verification off (kagent's disableVerify). */
  skipVerify?: boolean;
  /** PEM bundles trusted besides (or, with `systemCas: false`, instead of) the system CAs. */
  ca?: string[];
  /** false: only `ca` is trusted (kagent's disableSystemCAs). Default true. */
  systemCas?: boolean;
}

/** True when the settings change anything from Node's defaults (system CAs, verification on). */
export function hasTls(s: TlsSettings): boolean {
  return s.skipVerify === true || (s.ca?.length ?? 0) > 0 || s.systemCas === false;
}

/** undici's `connect` options for the settings; undefined when they are Node's defaults. */
export function tlsConnectOptions(s: TlsSettings): { rejectUnauthorized: boolean; ca?: string[] } | undefined {
  if (!hasTls(s)) return undefined;
  const custom = s.ca ?? [];
  const withCa = custom.length > 0 || s.systemCas === false;
  const ca = s.systemCas === false ? custom : [...rootCertificates, ...custom];
  return { rejectUnauthorized: s.skipVerify !== true, ...(withCa ? { ca } : {}) };
}

export interface TlsHttp {
  /** undici and the Agent, built on first use; every call goes through this one Agent. */
  connect(): Promise<{ undici: Undici; dispatcher: Agent }>;
  /** fetch over the same Agent, for SDKs that take a fetch. */
  fetch: typeof fetch;
}

/** The Agent's timeouts (kagent's Bedrock read_timeout / connect_timeout); unset keeps undici's defaults. */
export interface HttpTimeouts {
  /** TCP and TLS connection setup. */
  connectMs?: number;
  /** The wait for the answer's headers and each silence within its body (botocore's read timeout). */
  readMs?: number;
}

/**
 * `settings` is called once, on first use: it may read files (a mounted CA) and throw a clear error, which then
 * fails that call (and the next, which tries again) instead of the process start.
 */
export function tlsHttp(settings: () => TlsSettings, timeouts: HttpTimeouts = {}): TlsHttp {
  let connected: { undici: Undici; dispatcher: Agent } | undefined;
  const connect = async () => {
    if (connected) return connected;
    const undici = await import('undici');
    const tls = tlsConnectOptions(settings());
    const { connectMs, readMs } = timeouts;
    const connectOpts = tls || connectMs ? { ...tls, ...(connectMs ? { timeout: connectMs } : {}) } : undefined;
    connected = {
      undici,
      dispatcher: new undici.Agent({
        ...(connectOpts ? { connect: connectOpts } : {}),
        ...(readMs ? { headersTimeout: readMs, bodyTimeout: readMs } : {}),
      }),
    };
    return connected;
  };
  const tlsFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const { undici, dispatcher } = await connect();
    return undici.fetch(input as never, { ...(init as object), dispatcher } as never);
  }) as unknown as typeof fetch;
  return { connect, fetch: tlsFetch };
}

/**
 * A fetch failure's useful part: undici says only "fetch failed" and puts the reason (a certificate error, a refused
 * connection) in `cause`.
 */
export function fetchErrorText(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } } | null;
  const msg = e?.message ?? String(err);
  const cause = e?.cause;
  if (!cause) return msg;
  const why = [cause.code, cause.message].filter((x, i, a) => x && a.indexOf(x) === i).join(': ');
  return why && !msg.includes(why) ? `${msg} (${why})` : msg;
}
