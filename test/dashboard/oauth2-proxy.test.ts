// The in-cluster sign-in path end to end, with the real oauth2-proxy: people sign in through it (OIDC, against the
// test's stand-in issuer), it forwards X-Forwarded-User / X-Forwarded-Groups to the dashboard server, which accepts
// them only from the proxy's address and impersonates that person against the real API server, where their own
// RBAC decides. The sidecar's and the dashboard's command lines are manifests/dashboard/deployment.yaml's, so a flag
// the real binary does not accept, or a trust setting that does not hold, fails here.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeWithCluster } from '../cluster/vitest.js';
import { startDashboard, kubeCall, type DashboardServer } from '../../dashboard/server/index.js';
import { setupTwoPeople, type TwoPeople } from './rbac.js';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.js';
import {
  argValue,
  dashboardContainers,
  haveOauth2Proxy,
  oauth2ProxyBinary,
  signIn,
  startOauth2Proxy,
  type CookieJar,
  type RunningProxy,
} from './oauth2-proxy.js';

/** The first line of a watch (its SYNC or ERROR event), or a whole JSON answer; the stream is dropped after it. */
async function firstJson(res: Response): Promise<any> {
  const reader = res.body!.getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) text += Buffer.from(value).toString('utf8');
    if (done || text.includes('\n')) break;
  }
  await reader.cancel();
  return JSON.parse(text.split('\n')[0]);
}

describeWithCluster('the real oauth2-proxy in front of the in-cluster dashboard', () => {
  const suffix = `-${randomBytes(3).toString('hex')}`;
  let people: TwoPeople | undefined;
  let nsA: string, nsB: string;
  let saKc: KubeConfig;
  let dash: DashboardServer;
  let idp: OidcIssuer;
  let proxy: RunningProxy;
  let web: string;
  const session: Record<string, CookieJar> = {};
  const viaProxy = (path: string, as: string, headers: Record<string, string> = {}) =>
    fetch(`${proxy.url}${path}`, { headers: { cookie: session[as].header(), ...headers }, redirect: 'manual' });

  beforeAll(async () => {
    if (!haveOauth2Proxy()) {
      if (process.env.CI)
        throw new Error(`no oauth2-proxy at ${oauth2ProxyBinary()}: run .ci/steps/40-oauth2-proxy.sh`);
      return;
    }
    people = await setupTwoPeople('dash-o2p', suffix);
    ({ nsA, nsB, saKc } = people);

    // The dashboard exactly as the Deployment's args configure it (trusted address, header names), on a free port.
    const { dashboard } = dashboardContainers();
    const trusted = argValue(dashboard.args, '--trusted-proxy');
    const userHeader = argValue(dashboard.args, '--user-header');
    const groupsHeader = argValue(dashboard.args, '--groups-header');
    expect({ trusted, userHeader, groupsHeader }).toEqual({
      trusted: '127.0.0.1/32',
      userHeader: 'X-Forwarded-User',
      groupsHeader: 'X-Forwarded-Groups',
    });
    web = mkdtempSync(join(tmpdir(), 'metagent-dash-web-'));
    dash = await startDashboard({
      port: 0,
      host: argValue(dashboard.args, '--host')!,
      call: kubeCall(saKc),
      identity: {
        mode: 'proxy',
        userHeader: userHeader!,
        groupsHeader,
        trustedAddresses: [trusted!],
        trustedClientNames: [],
      },
      webRoot: web,
    });

    idp = await startOidcIssuer({
      alice: { email: 'alice@example.com', groups: ['team-a'] },
      bob: { email: 'bob@example.com', groups: ['team-b', 'readers'] },
    });
    proxy = await startOauth2Proxy(dash.port, (url) => ({
      // What the Secret metagent-dashboard-oauth2-proxy holds (dashboard/README.md), for this issuer.
      OAUTH2_PROXY_PROVIDER: 'oidc',
      OAUTH2_PROXY_OIDC_ISSUER_URL: idp.url,
      OAUTH2_PROXY_CLIENT_ID: idp.clientId,
      OAUTH2_PROXY_CLIENT_SECRET: idp.clientSecret,
      OAUTH2_PROXY_COOKIE_SECRET: randomBytes(32).toString('base64url').slice(0, 32),
      OAUTH2_PROXY_EMAIL_DOMAINS: '*',
      OAUTH2_PROXY_REDIRECT_URL: `${url}/oauth2/callback`,
      // Plain HTTP on loopback here; in the cluster the proxy is served over HTTPS and the cookie stays Secure.
      OAUTH2_PROXY_COOKIE_SECURE: 'false',
    }));
    session.alice = await signIn(proxy.url, 'alice');
    session.bob = await signIn(proxy.url, 'bob');
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop();
    await idp?.close();
    await dash?.close();
    if (web) rmSync(web, { recursive: true, force: true });
    await people?.cleanup();
  });

  it.skipIf(!haveOauth2Proxy() && !process.env.CI)('both people signed in through the issuer', () => {
    expect(idp.redeemed).toEqual(['alice', 'bob']);
    expect(session.alice.names().some((n) => n.startsWith('_oauth2_proxy'))).toBe(true);
  });

  it.skipIf(!haveOauth2Proxy() && !process.env.CI)(
    'the dashboard acts as whom the proxy forwards: the user and the groups from the ID token',
    async () => {
      const a = await viaProxy('/api/meta', 'alice');
      expect(a.status).toBe(200);
      expect(await a.json()).toMatchObject({ mode: 'proxy', user: 'alice', groups: ['team-a'] });
      const b = await viaProxy('/api/meta', 'bob');
      expect(await b.json()).toMatchObject({ mode: 'proxy', user: 'bob', groups: ['team-b', 'readers'] });
    },
  );

  it.skipIf(!haveOauth2Proxy() && !process.env.CI)(
    "alice sees ns-a's agents; ns-b is a readable 403; bob through his group sees ns-b and not ns-a",
    async () => {
      const a = await firstJson(await viaProxy(`/api/watch/agents?namespace=${nsA}`, 'alice'));
      expect(a.type).toBe('SYNC');
      expect(a.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['agent-a']);
      const refused = await firstJson(await viaProxy(`/api/watch/agents?namespace=${nsB}`, 'alice'));
      expect(refused).toMatchObject({ type: 'ERROR', status: 403 });
      expect(refused.message).toContain(`User "alice" cannot list resource "agents"`);
      expect(refused.message).toContain(`in the namespace "${nsB}"`);

      const b = await firstJson(await viaProxy(`/api/watch/agents?namespace=${nsB}`, 'bob'));
      expect(b, JSON.stringify(b)).toMatchObject({ type: 'SYNC' });
      expect(b.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['agent-b']);
      const bobA = await viaProxy(`/api/objects/agents/${nsA}/agent-a`, 'bob');
      expect(bobA.status).toBe(403);
      expect((await bobA.json()).message).toContain(`User "bob" cannot get resource "agents"`);
    },
  );

  it.skipIf(!haveOauth2Proxy() && !process.env.CI)(
    "a signed-in person's own X-Forwarded-* headers are replaced by the proxy's",
    async () => {
      const forged = await viaProxy('/api/meta', 'alice', {
        'X-Forwarded-User': 'bob',
        'X-Forwarded-Groups': 'team-b',
      });
      expect(await forged.json()).toMatchObject({ user: 'alice', groups: ['team-a'] });
      const agentB = await viaProxy(`/api/objects/agents/${nsB}/agent-b`, 'alice', { 'X-Forwarded-User': 'bob' });
      expect(agentB.status).toBe(403);
    },
  );

  it.skipIf(!haveOauth2Proxy() && !process.env.CI)(
    'without a session the proxy answers, not the dashboard; around the proxy the dashboard refuses',
    async () => {
      const anonymous = await fetch(`${proxy.url}/api/objects/agents/${nsA}/agent-a`, { redirect: 'manual' });
      // oauth2-proxy's own sign-in page (403), not anything of the dashboard's.
      expect(anonymous.status).toBe(403);
      expect(anonymous.headers.get('content-type')).toContain('text/html');
      expect(await anonymous.text()).toContain('Sign in with');
      // Straight to the dashboard's port from another address, with the headers the proxy would set.
      const direct = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          `${dash.url}/api/objects/agents/${nsA}/agent-a`,
          { localAddress: '127.0.0.2', headers: { 'X-Forwarded-User': 'alice' } },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += String(d)));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(direct.status).toBe(403);
      expect(JSON.parse(direct.text).message).toContain('only accepts requests through its authenticating proxy');
    },
  );
});
