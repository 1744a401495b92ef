// A2A protocol version negotiation (A2A 1.0 §3.6): the client names a version in the `A2A-Version` header (or the
// `A2A-Version` query parameter); only Major.Minor counts — "1.0.0" is 1.0 — and an empty value means 0.3. The
// SDK compares the header's text with the card's versions, so the header is rewritten to Major.Minor before it runs.
import type { Request } from 'express';

export const VERSION_HEADER = 'a2a-version';
export const LEGACY_VERSION = '0.3';
export const CURRENT_VERSION = '1.0';
/** The versions the runtime serves, each over JSON-RPC and HTTP+JSON. */
export const SERVED_VERSIONS: readonly string[] = [LEGACY_VERSION, CURRENT_VERSION];

export type Negotiated = { version: string } | { error: string };

/** Major.Minor of the requested version, or why it cannot be served. */
export function negotiateVersion(requested: string | undefined): Negotiated {
  const raw = (requested ?? '').trim();
  if (raw === '') return { version: LEGACY_VERSION };
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(raw);
  if (!m) return { error: `A2A-Version "${raw.slice(0, 32)}" is not a Major.Minor version` };
  const version = `${Number(m[1])}.${Number(m[2])}`;
  if (!SERVED_VERSIONS.includes(version)) {
    return { error: `A2A-Version ${version} is not supported (supported: ${SERVED_VERSIONS.join(', ')})` };
  }
  return { version };
}

/** What the client asked for: the header, else the query parameter (§3.6.1 allows either). */
export function requestedVersion(req: Request): string | undefined {
  const header = req.headers[VERSION_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = req.query?.['A2A-Version'];
  return typeof query === 'string' ? query : undefined;
}
