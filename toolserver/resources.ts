// The kinds `get_resources` offers. A fixed table, not "any kind": the tool server's ClusterRole grants read access to
// exactly these (manifests/toolserver/clusterrole.yaml must list the same groups/resources; a unit test checks it),
// and Secrets are deliberately absent.

export interface ResourceKind {
  /** Plural resource name, as in RBAC and URLs. */
  resource: string;
  group: string; // '' = core
  version: string;
  namespaced: boolean;
  /** Other names a model or user may use: kind, singular, short names. */
  aliases: string[];
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  { resource: 'pods', group: '', version: 'v1', namespaced: true, aliases: ['pod', 'po'] },
  { resource: 'services', group: '', version: 'v1', namespaced: true, aliases: ['service', 'svc'] },
  { resource: 'endpoints', group: '', version: 'v1', namespaced: true, aliases: ['endpoint', 'ep'] },
  { resource: 'serviceaccounts', group: '', version: 'v1', namespaced: true, aliases: ['serviceaccount', 'sa'] },
  {
    resource: 'persistentvolumeclaims',
    group: '',
    version: 'v1',
    namespaced: true,
    aliases: ['persistentvolumeclaim', 'pvc'],
  },
  { resource: 'persistentvolumes', group: '', version: 'v1', namespaced: false, aliases: ['persistentvolume', 'pv'] },
  { resource: 'nodes', group: '', version: 'v1', namespaced: false, aliases: ['node', 'no'] },
  { resource: 'namespaces', group: '', version: 'v1', namespaced: false, aliases: ['namespace', 'ns'] },
  { resource: 'events', group: '', version: 'v1', namespaced: true, aliases: ['event', 'ev'] },
  { resource: 'deployments', group: 'apps', version: 'v1', namespaced: true, aliases: ['deployment', 'deploy'] },
  { resource: 'replicasets', group: 'apps', version: 'v1', namespaced: true, aliases: ['replicaset', 'rs'] },
  { resource: 'statefulsets', group: 'apps', version: 'v1', namespaced: true, aliases: ['statefulset', 'sts'] },
  { resource: 'daemonsets', group: 'apps', version: 'v1', namespaced: true, aliases: ['daemonset', 'ds'] },
  { resource: 'jobs', group: 'batch', version: 'v1', namespaced: true, aliases: ['job'] },
  { resource: 'cronjobs', group: 'batch', version: 'v1', namespaced: true, aliases: ['cronjob', 'cj'] },
  {
    resource: 'horizontalpodautoscalers',
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
    aliases: ['horizontalpodautoscaler', 'hpa'],
  },
  { resource: 'ingresses', group: 'networking.k8s.io', version: 'v1', namespaced: true, aliases: ['ingress', 'ing'] },
  {
    resource: 'networkpolicies',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    aliases: ['networkpolicy', 'netpol'],
  },
  {
    resource: 'poddisruptionbudgets',
    group: 'policy',
    version: 'v1',
    namespaced: true,
    aliases: ['poddisruptionbudget', 'pdb'],
  },
  { resource: 'agents', group: 'kagent.dev', version: 'v1alpha2', namespaced: true, aliases: ['agent'] },
  { resource: 'modelconfigs', group: 'kagent.dev', version: 'v1alpha2', namespaced: true, aliases: ['modelconfig'] },
  {
    resource: 'remotemcpservers',
    group: 'kagent.dev',
    version: 'v1alpha2',
    namespaced: true,
    aliases: ['remotemcpserver'],
  },
];

/** Case-insensitive lookup by plural, alias, or `resource.group` (e.g. `deployments.apps`). */
export function findResourceKind(name: string): ResourceKind | undefined {
  const n = name.trim().toLowerCase();
  return RESOURCE_KINDS.find(
    (k) => k.resource === n || k.aliases.includes(n) || (k.group && `${k.resource}.${k.group}` === n),
  );
}

/** The API path of a collection or one object. */
export function resourcePath(kind: ResourceKind, namespace?: string, name?: string): string {
  const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${kind.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
