// What the in-cluster dashboard tests set up on the real API server: manifests/dashboard/'s ServiceAccount, ClusterRole
// and binding (moved into the test's namespace, cluster-scoped names suffixed: the cluster is shared), a token of that
// account as the dashboard's only credential, Agents, and Roles for the people signing in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { createNamespace, deleteNamespace, kubeConfig, kubectl, kubectlOk } from '../cluster/kube.js';
import { installCrds } from '../../crds/index.js';
import { repo } from './build-web.js';

export const agent = (name: string) => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name },
  spec: {
    type: 'Declarative',
    description: `the agent ${name}`,
    declarative: { modelConfig: 'default-model-config', systemMessage: 'You help.' },
  },
});

/** manifests/dashboard/'s RBAC objects, moved into `ns` with suffixed cluster-scoped names. */
export function dashboardRbac(ns: string, suffix: string): unknown[] {
  const read = (f: string) => parse(readFileSync(join(repo, 'manifests/dashboard', f), 'utf8')) as any;
  const sa = read('serviceaccount.yaml');
  const role = read('clusterrole.yaml');
  const binding = read('clusterrolebinding.yaml');
  sa.metadata.namespace = ns;
  role.metadata.name += suffix;
  binding.metadata.name += suffix;
  binding.roleRef.name = role.metadata.name;
  binding.subjects = binding.subjects.map((s: any) => ({ ...s, namespace: ns }));
  return [sa, role, binding];
}

/** Removes what dashboardRbac made cluster-wide (the namespaced part goes with the namespace). */
export const deleteDashboardRbac = (suffix: string) =>
  kubectl([
    'delete',
    'clusterrole,clusterrolebinding',
    `metagent-dashboard-impersonator${suffix}`,
    '--ignore-not-found',
  ]);

/** A Role reading Agents in `ns` (plus `extra` rules), bound to one user or group. */
export function readerRole(
  ns: string,
  subject: { kind: 'User' | 'Group'; name: string },
  extra: { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [],
): unknown[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'agent-reader', namespace: ns },
      rules: [{ apiGroups: ['kagent.dev'], resources: ['agents'], verbs: ['get', 'list', 'watch'] }, ...extra],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'agent-reader', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agent-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
    },
  ];
}

export const apply = (objects: unknown[], ns?: string) =>
  kubectlOk(['apply', ...(ns ? ['-n', ns] : []), '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });

/** The dashboard's only credential: a token of the impersonate-only account, as the pod's projected token is. */
export async function dashboardAccountConfig(ns: string): Promise<KubeConfig> {
  const token = (await kubectlOk(['create', 'token', 'metagent-dashboard', '-n', ns])).trim();
  const cluster = kubeConfig().getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: cluster.server, caData: cluster.caData }],
    users: [{ name: 'dashboard', token }],
    contexts: [{ name: 'test', cluster: 'test', user: 'dashboard' }],
    currentContext: 'test',
  });
  return kc;
}

export interface TwoPeople {
  /** The dashboard's namespace (its ServiceAccount), and the two namespaces with one Agent each. */
  home: string;
  nsA: string;
  nsB: string;
  /** The dashboard's only credential. */
  saKc: KubeConfig;
  cleanup(): Promise<void>;
}

/**
 * The in-cluster tests' cluster: manifests/dashboard/'s account in `home`, agent-a in ns-a readable by the user alice,
 * agent-b in ns-b readable by the group team-b.
 */
export async function setupTwoPeople(homePrefix: string, suffix: string): Promise<TwoPeople> {
  await installCrds(kubectl);
  const [home, nsA, nsB] = await Promise.all([
    createNamespace(homePrefix),
    createNamespace('ns-a'),
    createNamespace('ns-b'),
  ]);
  await apply(dashboardRbac(home, suffix));
  await apply([agent('agent-a')], nsA);
  await apply([agent('agent-b')], nsB);
  await apply(readerRole(nsA, { kind: 'User', name: 'alice' }));
  await apply(readerRole(nsB, { kind: 'Group', name: 'team-b' }));
  const saKc = await dashboardAccountConfig(home);
  return {
    home,
    nsA,
    nsB,
    saKc,
    cleanup: async () => {
      await deleteDashboardRbac(suffix);
      for (const ns of [home, nsA, nsB]) await deleteNamespace(ns);
    },
  };
}
