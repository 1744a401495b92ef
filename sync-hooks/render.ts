// `metagent render`: what the Agent sync hook would create for every Agent among the given objects, without a
// cluster. The other objects play the part of Metacontroller's related objects; kagent kinds get the CRD defaults
// the API server would apply. Pure: no I/O here, the CLI reads the files.
import { applyDefaults, KIND_NAMES, type KindName } from '../crds/index.js';
import { syncAgent, type AgentSyncOptions } from './agent/sync.js';
import { toObjectMap, type KubeObject, type SyncRequest } from './protocol.js';

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PersistentVolume',
]);

/** The config Secret with readable stringData instead of base64 data (render may print either). */
function readableSecret(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret' || !o.data) return o;
  const { data, ...rest } = o;
  const stringData = Object.fromEntries(
    Object.entries(data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
  return { ...rest, stringData };
}

const RENDER_CONTROLLER: KubeObject = {
  apiVersion: 'metacontroller.k8s.io/v1alpha1',
  kind: 'CompositeController',
  metadata: { name: 'agents.kagent.dev' },
};

export function renderObjects(
  objects: KubeObject[],
  opts: AgentSyncOptions & { namespace?: string },
): { items: KubeObject[]; problems: string[] } {
  const defaultNs = opts.namespace ?? 'default';
  const normalized = objects.map((o) => {
    const copy = structuredClone(o);
    if (!CLUSTER_SCOPED.has(copy.kind) && !copy.metadata.namespace) copy.metadata.namespace = defaultNs;
    const isKagent = copy.apiVersion === 'kagent.dev/v1alpha2' && (KIND_NAMES as readonly string[]).includes(copy.kind);
    return isKagent ? (applyDefaults(copy.kind as KindName, copy) as KubeObject) : copy;
  });
  const items: KubeObject[] = [];
  const problems: string[] = [];
  for (const agent of normalized.filter((o) => o.kind === 'Agent' && o.apiVersion === 'kagent.dev/v1alpha2')) {
    const req: SyncRequest = {
      controller: RENDER_CONTROLLER,
      parent: agent,
      children: {},
      related: toObjectMap(normalized.filter((o) => o !== agent)),
    };
    const res = syncAgent(req, opts);
    const accepted = (
      res.status.conditions as { type: string; status: string; reason: string; message: string }[]
    ).find((c) => c.type === 'Accepted');
    if (accepted?.status !== 'True') {
      problems.push(
        `Agent ${agent.metadata.namespace}/${agent.metadata.name} is not accepted: ${accepted?.reason}: ${accepted?.message}`,
      );
      continue;
    }
    items.push(...res.children.map(readableSecret));
  }
  return { items, problems };
}
