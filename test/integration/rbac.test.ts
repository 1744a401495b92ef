// Multi-tenancy through Kubernetes' own roles: manifests/rbac aggregates Agent, ModelConfig and RemoteMCPServer
// access into the built-in view / edit / admin ClusterRoles, so a namespace's existing users need nothing new.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubectl, kubectlOk, waitUntil } from '../cluster/kube.js';
import { repoRoot } from '../cluster/cluster.js';
import { installCrds } from '../../crds/index.js';

async function can(verb: string, resource: string, user: string, ns: string, extra: string[] = []): Promise<boolean> {
  const r = await kubectl(['auth', 'can-i', verb, resource, '--as', user, '-n', ns, ...extra]);
  // can-i prints yes/no and exits 1 on "no"; anything else is an error worth seeing.
  if (!/^(yes|no)\b/.test(r.stdout.trim())) throw new Error(`kubectl auth can-i failed: ${r.stderr}`);
  return r.stdout.trim().startsWith('yes');
}

const KINDS = [
  'agents.kagent.dev',
  'modelconfigs.kagent.dev',
  'remotemcpservers.kagent.dev',
  'modelproviderconfigs.kagent.dev',
];

describeWithCluster('aggregated ClusterRoles (manifests/rbac)', () => {
  let ns = '';
  beforeAll(async () => {
    await installCrds(kubectl);
    await kubectlOk(['apply', '-k', join(repoRoot, 'manifests', 'rbac')]);
    ns = await createNamespace('rbac');
    await kubectlOk(['create', 'rolebinding', 'viewer', '--clusterrole=view', '--user=alice', '-n', ns]);
    await kubectlOk(['create', 'rolebinding', 'editor', '--clusterrole=edit', '--user=bob', '-n', ns]);
    // The controller manager's clusterrole-aggregation controller merges our rules into view/edit/admin.
    await waitUntil(
      'aggregation into the view and edit ClusterRoles',
      30_000,
      async () =>
        (await can('list', 'agents.kagent.dev', 'alice', ns)) && (await can('create', 'agents.kagent.dev', 'bob', ns)),
    );
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it('lets a namespace viewer read but not change agents, model configs and MCP servers', async () => {
    for (const r of KINDS) {
      expect(await can('get', r, 'alice', ns), `view: get ${r}`).toBe(true);
      expect(await can('watch', r, 'alice', ns), `view: watch ${r}`).toBe(true);
      expect(await can('create', r, 'alice', ns), `view: create ${r}`).toBe(false);
      expect(await can('delete', r, 'alice', ns), `view: delete ${r}`).toBe(false);
    }
  });

  it("lets a namespace editor manage them, but not write their status (that is the controller's)", async () => {
    for (const r of KINDS) {
      expect(await can('create', r, 'bob', ns), `edit: create ${r}`).toBe(true);
      expect(await can('delete', r, 'bob', ns), `edit: delete ${r}`).toBe(true);
    }
    for (const r of KINDS)
      expect(await can('update', r, 'bob', ns, ['--subresource=status']), `edit: update ${r}/status`).toBe(false);
    expect(await can('update', 'agents.kagent.dev', 'bob', ns)).toBe(true);
  });

  it('grants nothing outside the bound namespace', async () => {
    expect(await can('list', 'agents.kagent.dev', 'alice', 'default')).toBe(false);
    expect(await can('create', 'agents.kagent.dev', 'bob', 'default')).toBe(false);
  });
});
