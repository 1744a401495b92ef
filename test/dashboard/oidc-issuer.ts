// The identity provider of the oauth2-proxy test: the one stand-in there. A minimal OpenID Connect issuer over real
// HTTP (discovery, JWKS, an authorization endpoint that signs in whichever known user the test names, the code
// exchange, userinfo), with RS256 ID tokens signed by a key made at start. oauth2-proxy, which talks to it, is real.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface OidcUser {
  email: string;
  groups: string[];
}

export interface OidcIssuer {
  /** The issuer URL (discovery is under /.well-known/openid-configuration). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The codes redeemed so far, by user: the test can tell a sign-in really went through here. */
  redeemed: string[];
  close(): Promise<void>;
}

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

function jwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const c of req) text += String(c);
  return new URLSearchParams(text);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Starts the issuer for `users` (sub → claims). `/authorize?...&login=NAME` signs NAME in at once (there is no login
 * form: the test is the person choosing who they are); an unknown name, client or redirect is refused.
 */
export async function startOidcIssuer(users: Record<string, OidcUser>): Promise<OidcIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(4).toString('hex');
  const clientId = 'metagent-dashboard';
  const clientSecret = randomBytes(16).toString('hex');
  const codes = new Map<string, { sub: string; nonce?: string; redirectUri: string }>();
  const tokens = new Map<string, string>();
  const redeemed: string[] = [];
  let url = '';

  const idToken = (sub: string, nonce?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const u = users[sub];
    return jwt(privateKey, kid, {
      iss: url,
      sub,
      aud: clientId,
      iat: now,
      exp: now + 3600,
      ...(nonce ? { nonce } : {}),
      email: u.email,
      email_verified: true,
      preferred_username: sub,
      groups: u.groups,
    });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', url);
      if (u.pathname === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer: url,
          authorization_endpoint: `${url}/authorize`,
          token_endpoint: `${url}/token`,
          userinfo_endpoint: `${url}/userinfo`,
          jwks_uri: `${url}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile', 'groups'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          claims_supported: ['sub', 'email', 'email_verified', 'groups', 'preferred_username'],
          code_challenge_methods_supported: ['S256', 'plain'],
        });
      }
      if (u.pathname === '/jwks') {
        return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      }
      if (u.pathname === '/authorize') {
        const q = u.searchParams;
        const sub = q.get('login') ?? '';
        const redirectUri = q.get('redirect_uri') ?? '';
        if (q.get('client_id') !== clientId) return json(res, 400, { error: 'unauthorized_client' });
        if (q.get('response_type') !== 'code') return json(res, 400, { error: 'unsupported_response_type' });
        if (!users[sub]) return json(res, 400, { error: 'access_denied', error_description: `no user "${sub}"` });
        const code = randomBytes(12).toString('hex');
        codes.set(code, { sub, nonce: q.get('nonce') ?? undefined, redirectUri });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (u.pathname === '/token' && req.method === 'POST') {
        const form = await formBody(req);
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
        const [id, secret] = basic
          ? Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent)
          : [form.get('client_id'), form.get('client_secret')];
        if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
        const grant = codes.get(form.get('code') ?? '');
        if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri'))
          return json(res, 400, { error: 'invalid_grant' });
        codes.delete(form.get('code')!);
        redeemed.push(grant.sub);
        const access = randomBytes(16).toString('hex');
        tokens.set(access, grant.sub);
        return json(res, 200, {
          access_token: access,
          token_type: 'Bearer',
          expires_in: 3600,
          id_token: idToken(grant.sub, grant.nonce),
        });
      }
      if (u.pathname === '/userinfo') {
        const sub = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /i, ''));
        if (!sub) return json(res, 401, { error: 'invalid_token' });
        return json(res, 200, { sub, email: users[sub].email, email_verified: true, groups: users[sub].groups });
      }
      json(res, 404, { error: 'not_found' });
    })().catch((err: unknown) => json(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clientId,
    clientSecret,
    redeemed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
