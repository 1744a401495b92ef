// The fetch one MCP server's transport goes through: the server's TLS settings (config.json params.tls_*, written from
// RemoteMCPServer.spec.tls; the CA is the mounted Secret's file), then the headers of the incoming A2A request that
// the tool's `allowed_headers` names (kagent's mcpServer.allowedHeaders), then the projected ServiceAccount token.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { McpConnectionParams } from '../../contract/config.js';
import { hasTls, tlsHttp, type TlsSettings } from '../../lib/tls-fetch.js';
import { bearerFromFile } from './service-account-token.js';

type Fetch = typeof fetch;
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * Never forwarded, whatever allowed_headers says: they describe the incoming HTTP connection or the MCP session,
 * not the caller, and copying them would break the outgoing request.
 */
const NOT_FORWARDED = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'accept',
  'accept-encoding',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]);

/** The allowed headers (names case-insensitive, as HTTP's) of the incoming request; repeated values joined. */
export function forwardedHeaders(allowed: readonly string[], incoming: IncomingHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  const lower: IncomingHeaders = {};
  for (const [k, v] of Object.entries(incoming)) lower[k.toLowerCase()] = v;
  for (const name of allowed) {
    const key = name.trim().toLowerCase();
    if (!key || NOT_FORWARDED.has(key)) continue;
    const v = lower[key];
    if (v === undefined) continue;
    out[key] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** The headers to forward on the requests made inside one tool call (set by the toolset around the call). */
export const callHeaders = new AsyncLocalStorage<Record<string, string>>();

function withCallHeaders(base: Fetch): Fetch {
  return async (input, init) => {
    const extra = callHeaders.getStore();
    if (!extra || !Object.keys(extra).length) return base(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return base(input, { ...init, headers });
  };
}

/** params.tls_* as settings; the CA file is read when the first connection is made. */
export function mcpTlsSettings(params: McpConnectionParams, server: string): (() => TlsSettings) | undefined {
  const skipVerify = params.tls_insecure_skip_verify === true || params.tls_disable_verify === true;
  const caPath = params.tls_ca_cert_path;
  const systemCas = params.tls_disable_system_cas !== true;
  if (!hasTls({ skipVerify, ca: caPath ? [caPath] : [], systemCas })) return undefined;
  return () => {
    let ca: string[] | undefined;
    if (caPath) {
      try {
        ca = [readFileSync(caPath, 'utf8')];
      } catch (err) {
        throw new Error(
          `MCP server ${server}: params.tls_ca_cert_path: cannot read ${caPath} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
          { cause: err },
        );
      }
    }
    return { skipVerify, ca, systemCas };
  };
}

/** The transport's fetch (logs once when verification is off). */
export function mcpFetch(params: McpConnectionParams, server: string, log: Logger): Fetch {
  const tls = mcpTlsSettings(params, server);
  if (params.tls_insecure_skip_verify === true || params.tls_disable_verify === true)
    log.warn(
      { mcpServer: server },
      'TLS certificate verification is disabled for this MCP server (RemoteMCPServer spec.tls.disableVerify)',
    );
  let f: Fetch = tls ? tlsHttp(tls).fetch : fetch;
  if (params.service_account_token_path) f = bearerFromFile(params.service_account_token_path, f);
  // Forwarded headers go under the token: a request header cannot replace the agent's own identity.
  return withCallHeaders(f);
}
