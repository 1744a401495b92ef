// The in-cluster dashboard's trust model against the real API server: the ServiceAccount, ClusterRole and binding of
// manifests/dashboard/ (renamed into this file's own namespace), a token of that account as the dashboard's only
// credential, two people with different Roles (alice through a RoleBinding to her user in one namespace, bob through
// his forwarded group in another), requests from the "proxy" address with forwarded headers, and direct requests
// that did not come through the proxy. The account itself may do nothing but impersonate.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeWithCluster } from '../cluster/vitest.js';
import { startDashboard, kubeCall, type DashboardServer } from '../../dashboard/server/index.js';
import { repo } from './harness.js';
import { setupTwoPeople, type TwoPeople } from './rbac.js';

/** The proxy's address in this test: loopback, but not the 127.0.0.1 a direct request comes from. */
const PROXY = '127.0.0.2';

interface Answer {
  status: number;
  text: string;
}

/** One GET to the dashboard from `from`; for a watch, the body up to its first event (then the stream is dropped). */
function get(base: string, path: string, from: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { localAddress: from, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
        if (path.startsWith('/api/watch/') && text.includes('\n')) {
          resolve({ status: res.statusCode ?? 0, text: text.slice(0, text.indexOf('\n')) });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end();
  });
}

describeWithCluster('in-cluster dashboard: impersonation of the user the trusted proxy forwards', () => {
  const suffix = `-${randomBytes(3).toString('hex')}`;
  let people: TwoPeople | undefined;
  let home: string;
  let nsA: string;
  let nsB: string;
  let saKc: KubeConfig;
  let dash: DashboardServer;
  let web: string;
  const asProxy = (path: string, user?: string, groups?: string) =>
    get(dash.url, path, PROXY, {
      ...(user ? { 'X-Forwarded-User': user } : {}),
      ...(groups ? { 'X-Forwarded-Groups': groups } : {}),
    });

  beforeAll(async () => {
    people = await setupTwoPeople('dash-home', suffix);
    ({ home, nsA, nsB, saKc } = people);
    web = mkdtempSync(join(tmpdir(), 'metagent-dash-web-'));
    dash = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(saKc),
      identity: {
        mode: 'proxy',
        userHeader: 'X-Forwarded-User',
        groupsHeader: 'X-Forwarded-Groups',
        trustedAddresses: [`${PROXY}/32`],
        trustedClientNames: [],
      },
      webRoot: web,
    });
  }, 120_000);

  afterAll(async () => {
    await dash?.close();
    if (web) rmSync(web, { recursive: true, force: true });
    await people?.cleanup();
  });

  it('the account itself may read nothing: without impersonation the API server refuses it', async () => {
    const call = kubeCall(saKc);
    for (const path of [
      `/apis/kagent.dev/v1alpha2/namespaces/${nsA}/agents`,
      `/apis/kagent.dev/v1alpha2/agents`,
      `/api/v1/namespaces/${nsA}/secrets`,
    ]) {
      const res = await call({ method: 'GET', path });
      res.body.resume(); // drained, so the connection is reused
      expect(res.status, path).toBe(403);
    }
  });

  it("alice sees ns-a's agents and is refused ns-b and the cluster-wide list", async () => {
    const a = await asProxy(`/api/watch/agents?namespace=${nsA}`, 'alice');
    expect(a.status).toBe(200);
    const sync = JSON.parse(a.text) as { type: string; items: { metadata: { name: string } }[] };
    expect(sync.type).toBe('SYNC');
    expect(sync.items.map((i) => i.metadata.name)).toEqual(['agent-a']);

    const b = JSON.parse((await asProxy(`/api/watch/agents?namespace=${nsB}`, 'alice')).text);
    expect(b).toMatchObject({ type: 'ERROR', status: 403 });
    expect(b.message).toContain('User "alice" cannot list resource "agents"');

    const all = JSON.parse((await asProxy('/api/watch/agents', 'alice')).text);
    expect(all).toMatchObject({ type: 'ERROR', status: 403 });

    expect((await asProxy(`/api/objects/agents/${nsA}/agent-a`, 'alice')).status).toBe(200);
    expect((await asProxy(`/api/objects/agents/${nsB}/agent-b`, 'alice')).status).toBe(403);
  });

  it('bob, through his forwarded group team-b, sees ns-b and not ns-a', async () => {
    const b = JSON.parse((await asProxy(`/api/watch/agents?namespace=${nsB}`, 'bob', 'team-b')).text);
    expect(b.type).toBe('SYNC');
    expect(b.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['agent-b']);
    const a = JSON.parse((await asProxy(`/api/watch/agents?namespace=${nsA}`, 'bob', 'team-b')).text);
    expect(a).toMatchObject({ type: 'ERROR', status: 403 });
    // Without the group header bob is only himself: nothing.
    expect((await asProxy(`/api/objects/agents/${nsB}/agent-b`, 'bob')).status).toBe(403);
    // /api/meta reports who the dashboard acts as.
    const meta = JSON.parse((await asProxy('/api/meta', 'bob', 'team-b, readers')).text);
    expect(meta).toMatchObject({ mode: 'proxy', user: 'bob', groups: ['team-b', 'readers'] });
  });

  it('refuses a request that did not come through the proxy, whatever headers it carries', async () => {
    const direct = await get(dash.url, `/api/objects/agents/${nsA}/agent-a`, '127.0.0.1', {
      'X-Forwarded-User': 'alice',
    });
    expect(direct.status).toBe(403);
    expect(JSON.parse(direct.text).message).toContain('only accepts requests through its authenticating proxy');
    const watch = await get(dash.url, `/api/watch/agents?namespace=${nsA}`, '127.0.0.1', {
      'X-Forwarded-User': 'alice',
    });
    expect(watch.status).toBe(403);
  });

  it('from the proxy: no user is 401, a reserved system: identity is 403, never the account itself', async () => {
    const none = await asProxy(`/api/objects/agents/${nsA}/agent-a`);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).message).toContain('X-Forwarded-User');
    const masters = await asProxy(`/api/objects/agents/${nsA}/agent-a`, 'mallory', 'system:masters');
    expect(masters.status).toBe(403);
    expect(JSON.parse(masters.text).message).toContain('system:masters');
    const sa = await asProxy(`/api/objects/agents/${nsA}/agent-a`, `system:serviceaccount:${home}:metagent-dashboard`);
    expect(sa.status).toBe(403);
  });
});

describe('dashboardRbac (the file this test applies)', () => {
  it('the manifests grant the dashboard impersonation of users and groups and nothing else', () => {
    const role = parse(readFileSync(join(repo, 'manifests/dashboard/clusterrole.yaml'), 'utf8')) as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]);
  });
});
