// Google OAuth access tokens for Vertex AI, the way Google's auth libraries find them (Application Default
// Credentials, minus gcloud's user config): the JSON key file GOOGLE_APPLICATION_CREDENTIALS names — a service account
// (a JWT signed with its key, exchanged at its token_uri) or an authorized user (its refresh token) — and otherwise the
// metadata server (GKE Workload Identity, GCE). Tokens are cached until five minutes before they expire. Nothing read
// here is logged; errors name the file or the source, never a key or a token.
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expiringCache, type Expiring } from './expiring-cache.js';

export interface TokenSource {
  readonly name: string;
  get(): Promise<string>;
}

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The token endpoint's answer: the token and when it expires, or an error with the endpoint's own reason. */
async function tokenAnswer(res: Response, name: string, now: () => number): Promise<Expiring<string>> {
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!res.ok || !body.access_token) {
    const why = [body.error, body.error_description].filter(Boolean).join(': ');
    throw new Error(
      `vertex: ${name}: the token endpoint answered HTTP ${res.status}${why ? ` (${why.slice(0, 300)})` : ''}`,
    );
  }
  return {
    value: body.access_token,
    expiresAt: now() + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000,
  };
}

interface KeyFile {
  type?: string;
  client_email?: string;
  private_key?: string;
  token_uri?: string;
  client_id?: string;
  client_secret?: string;
  refresh_token?: string;
}

function fromKeyFile(file: string, fetchImpl: typeof fetch, now: () => number): TokenSource {
  const name = `GOOGLE_APPLICATION_CREDENTIALS ${file}`;
  const get = expiringCache(async (signal) => {
    let key: KeyFile;
    try {
      key = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`vertex: ${name}: ${code ? `cannot read it (${code})` : 'not a JSON key file'}`, { cause: err });
    }
    const tokenUri = key.token_uri || DEFAULT_TOKEN_URI;
    if (key.type === 'service_account') {
      if (!key.client_email || !key.private_key)
        throw new Error(`vertex: ${name}: a service account key needs client_email and private_key`);
      const iat = Math.floor(now() / 1000);
      const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ iss: key.client_email, scope: SCOPE, aud: tokenUri, iat, exp: iat + 3600 }))}`;
      let signature: string;
      try {
        signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
      } catch {
        throw new Error(`vertex: ${name}: private_key is not a usable RSA key`);
      }
      const form = new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: `${unsigned}.${signature}`,
      });
      const res = await fetchImpl(tokenUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal,
      });
      return tokenAnswer(res, name, now);
    }
    if (key.type === 'authorized_user') {
      if (!key.client_id || !key.client_secret || !key.refresh_token)
        throw new Error(`vertex: ${name}: an authorized_user file needs client_id, client_secret and refresh_token`);
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: key.client_id,
        client_secret: key.client_secret,
        refresh_token: key.refresh_token,
      });
      const res = await fetchImpl(tokenUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal,
      });
      return tokenAnswer(res, name, now);
    }
    throw new Error(
      `vertex: ${name}: credentials of type "${key.type ?? '(none)'}" are not supported (service_account or authorized_user; on GKE leave it unset for Workload Identity)`,
    );
  }, now);
  return { name, get };
}

function fromMetadataServer(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch, now: () => number): TokenSource {
  // GCE_METADATA_HOST is the override Google's libraries honour (emulators, tests).
  const host = env.GCE_METADATA_HOST || 'metadata.google.internal';
  const name = `the metadata server (${host}; GKE Workload Identity or the node's service account)`;
  const get = expiringCache(async (signal) => {
    let res: Response;
    try {
      res = await fetchImpl(`http://${host}/computeMetadata/v1/instance/service-accounts/default/token`, {
        headers: { 'metadata-flavor': 'Google' },
        signal,
      });
    } catch (err) {
      throw new Error(
        `vertex: no credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and ${name} cannot be reached (${(err as Error).message})`,
        { cause: err },
      );
    }
    return tokenAnswer(res, name, now);
  }, now);
  return { name, get };
}

/** The token source the environment calls for: the key file when GOOGLE_APPLICATION_CREDENTIALS is set, else metadata. */
export function googleTokenSource(
  env: NodeJS.ProcessEnv,
  fetchImpl: typeof fetch,
  now: () => number = Date.now,
): TokenSource {
  return env.GOOGLE_APPLICATION_CREDENTIALS
    ? fromKeyFile(env.GOOGLE_APPLICATION_CREDENTIALS, fetchImpl, now)
    : fromMetadataServer(env, fetchImpl, now);
}
