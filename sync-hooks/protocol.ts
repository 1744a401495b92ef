// Metacontroller's hook protocol (https://metacontroller.github.io/metacontroller/api/compositecontroller.html and
// api/customize.html), hook version v2. Types only, plus the two key helpers both the hooks and the contract driver in
// test/ need, so the driver and the hooks cannot disagree about the map keys.
//
// Key formats (v2):
//   - group key: `<Kind>.<apiVersion>`, e.g. `Secret.v1`, `Deployment.apps/v1`, `Agent.kagent.dev/v1alpha2`;
//   - object key: `<namespace>/<name>` for namespaced objects, `<name>` for cluster-scoped ones (e.g. Namespace).
// (Hook version v1 keyed namespaced objects by bare name; we configure v2 because cross-namespace related objects
// are only distinguishable with the namespace in the key.)

import type { KubeObject, LabelSelector } from '../crds/kube-object.js';

export type { KubeObject, LabelSelector, ObjectMeta, OwnerReference, ManagedFieldsEntry } from '../crds/kube-object.js';

/** `{"<Kind>.<apiVersion>": {"<ns>/<name>": object}}` — Metacontroller's ChildMap, also used for `related`. */
export type ObjectMap = Record<string, Record<string, KubeObject>>;

/** A Metacontroller ResourceRule as returned by the customize hook. */
export interface RelatedResourceRule {
  apiVersion: string;
  /** Lowercase plural resource name, e.g. `secrets`. */
  resource: string;
  /** v2: a namespace to look in; omitted means the parent's namespace for namespaced parents with `names`,
   * or all namespaces with a labelSelector. We always set it explicitly. */
  namespace?: string;
  names?: string[];
  labelSelector?: LabelSelector;
}

/** The CompositeController object (we only read a few fields; it is passed through whole). */
export type ControllerObject = KubeObject;

export interface CustomizeRequest {
  controller: ControllerObject;
  parent: KubeObject;
}

export interface CustomizeResponse {
  relatedResources: RelatedResourceRule[];
}

export interface SyncRequest {
  controller: ControllerObject;
  parent: KubeObject;
  children: ObjectMap;
  /** Present when a customize hook is configured; same shape as children. */
  related?: ObjectMap;
  finalizing?: boolean;
}

export interface SyncResponse {
  status: Record<string, unknown>;
  children: KubeObject[];
  resyncAfterSeconds?: number;
  /** Only meaningful for the finalize hook. */
  finalized?: boolean;
}

// The group keys the hooks look up on every request, made once. A key built per lookup is a new string that V8 must
// flatten, hash and find in its string table before it can index the map; these are hashed once and stay fast.
const KNOWN_GROUP_KEYS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  [
    ['v1', ['Secret', 'ConfigMap', 'Service', 'ServiceAccount', 'Namespace']],
    ['apps/v1', ['Deployment']],
    ['kagent.dev/v1alpha2', ['Agent', 'ModelConfig', 'RemoteMCPServer']],
    ['kagent.dev/v1alpha1', ['MCPServer']],
  ].flatMap(([apiVersion, kinds]) =>
    (kinds as string[]).map(
      (kind) => [kind, new Map([[apiVersion as string, `${kind}.${apiVersion as string}`]])] as const,
    ),
  ),
);

/** `Secret` + `v1` -> `Secret.v1`; `Deployment` + `apps/v1` -> `Deployment.apps/v1`. */
export function groupKey(kind: string, apiVersion: string): string {
  return KNOWN_GROUP_KEYS.get(kind)?.get(apiVersion) ?? `${kind}.${apiVersion}`;
}

/** The v2 object key: `ns/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectKey(obj: { metadata: { name?: string; namespace?: string } }): string {
  const name = obj.metadata.name ?? '';
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${name}` : name;
}

/** Look one object up in a ChildMap/related map. */
export function lookup(
  map: ObjectMap | undefined,
  kind: string,
  apiVersion: string,
  namespace: string | undefined,
  name: string,
): KubeObject | undefined {
  const group = map?.[groupKey(kind, apiVersion)];
  if (!group) return undefined;
  return group[namespace ? `${namespace}/${name}` : name];
}

/** Build an ObjectMap from a flat list of objects (used by render and tests). */
export function toObjectMap(objects: KubeObject[]): ObjectMap {
  const map: ObjectMap = {};
  for (const o of objects) {
    const g = groupKey(o.kind, o.apiVersion);
    (map[g] ??= {})[objectKey(o)] = o;
  }
  return map;
}
