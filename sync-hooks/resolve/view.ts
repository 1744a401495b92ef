// The published view: what an Agent needs from the Secrets and ConfigMaps that a ModelConfig or RemoteMCPServer
// names, written by that object's own status controller as a Secret child `<name>.<kind>-view`.
//
// Why: Metacontroller asks an Agent's customize hook only the Agent, and keeps the answer per (Agent uid,
// generation) for 20 minutes. The Agent cannot know which Secrets its ModelConfig names, so before this it asked for
// every Secret of the namespace — Helm releases, TLS keys, other teams' data, on every sync. Now each ModelConfig and
// RemoteMCPServer controller (whose own customize names its Secrets exactly, and is re-asked when its spec changes)
// publishes the view, and the Agent asks for the view by a name it can compute from its own spec. A key rotation
// changes the view, which Metacontroller sees as a change of a related object of the Agent: the Agent resyncs and
// its pods roll.
//
// The view holds only what the Agent's translation reads: which of the referenced keys exist (never their values,
// e.g. an API key mounted through secretKeyRef), the values that kagent resolves into config.json (a
// RemoteMCPServer's headersFrom — so the view is a Secret, in the namespace of its sources), a digest of every
// referenced value (the pod-template hash input), and the references it was computed for (from the owner's spec,
// which the Agent sees too: a view for other references — the owner changed, its controller has not caught up — is
// not read; a view a deleted namesake with the same references left describes the same Secrets).
// Pure: the same objects give the same bytes. A request that carries the sources (render, tests) computes the same
// view locally, so render and the cluster agree byte for byte.
import type { V1Secret } from '@kubernetes/client-node';
import type { KubeManifest } from '../../crds/kube-object.js';
import { lookup, type KubeObject, type ObjectMap } from '../protocol.js';
import { sha256Hex } from '../sha256.js';

export type ViewKind = 'ModelConfig' | 'RemoteMCPServer';

/** A key (or, without `key`, every key of a Secret) that the owner reads; `value`: the Agent needs the value itself. */
export interface ViewRef {
  type: 'Secret' | 'ConfigMap';
  name: string;
  key?: string;
  value?: boolean;
  /** Field of the owner that names it, for messages. */
  field: string;
}

export interface View {
  /** The references it was computed for (`refsKey`), e.g. `Secret/openai/api-key`, `Secret/aws/*`. */
  refs: string[];
  /** `Secret/<name>` or `ConfigMap/<name>` -> the referenced keys that exist, sorted. */
  keys: Record<string, string[]>;
  /** `Secret/<name>/<key>` -> value, for the refs with `value: true`. */
  values: Record<string, string>;
  /** SHA-256 over every referenced key's value, in a fixed order. */
  digest: string;
}

export type ViewResult =
  { ok: true; view: View } | { ok: false; reason: 'SecretNotFound' | 'ConfigMapNotFound'; message: string };

export const VIEW_DATA_KEY = 'view.json';
const SUFFIX: Record<ViewKind, string> = { ModelConfig: '.modelconfig-view', RemoteMCPServer: '.remotemcpserver-view' };

/** The view Secret's name: `<name>.<kind>-view`, shortened with a hash when that would exceed 253 characters. */
export function viewSecretName(kind: ViewKind, name: string): string {
  const full = `${name}${SUFFIX[kind]}`;
  if (full.length <= 253) return full;
  return `${name.slice(0, 253 - SUFFIX[kind].length - 9)}-${sha256Hex(name).slice(0, 8)}${SUFFIX[kind]}`;
}

function keysOf(obj: KubeObject, type: ViewRef['type']): string[] {
  const maps = type === 'Secret' ? [obj.data, obj.stringData] : [obj.data, obj.binaryData];
  return [...new Set(maps.flatMap((m) => Object.keys((m as Record<string, string> | undefined) ?? {})))];
}

function valueOf(obj: KubeObject, type: ViewRef['type'], key: string): string | undefined {
  const data = obj.data as Record<string, string> | undefined;
  if (type === 'Secret') {
    const sd = obj.stringData as Record<string, string> | undefined;
    if (sd && typeof sd[key] === 'string') return sd[key];
    return data && typeof data[key] === 'string' ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;
  }
  if (data && typeof data[key] === 'string') return data[key];
  const bin = obj.binaryData as Record<string, string> | undefined;
  return bin && typeof bin[key] === 'string' ? Buffer.from(bin[key], 'base64').toString('utf8') : undefined;
}

/** Whether the request carries every object the refs name (render, tests, the owner's own hook). */
export function hasSources(related: ObjectMap | undefined, namespace: string, refs: ViewRef[]): boolean {
  return refs.every((r) => lookup(related, r.type, 'v1', namespace, r.name) !== undefined);
}

/** The view computed from the source objects; the first missing object or key is the error. */
export function buildView(related: ObjectMap | undefined, namespace: string, refs: ViewRef[]): ViewResult {
  const keys: Record<string, Set<string>> = {};
  const values: Record<string, string> = {};
  const digestParts: Record<string, string> = {};
  for (const r of refs) {
    const obj = lookup(related, r.type, 'v1', namespace, r.name);
    const id = `${r.type}/${r.name}`;
    const reason = r.type === 'Secret' ? 'SecretNotFound' : 'ConfigMapNotFound';
    if (!obj) return { ok: false, reason, message: `${r.type} ${namespace}/${r.name} (${r.field}) not found` };
    const present = keysOf(obj, r.type);
    const wanted = r.key === undefined ? present : [r.key];
    if (r.key !== undefined && !present.includes(r.key)) {
      return { ok: false, reason, message: `${r.type} ${namespace}/${r.name} (${r.field}) has no key "${r.key}"` };
    }
    keys[id] ??= new Set();
    for (const k of wanted) {
      keys[id].add(k);
      const v = valueOf(obj, r.type, k) ?? '';
      digestParts[`${id}/${k}`] = v;
      if (r.value) values[`${id}/${k}`] = v;
    }
  }
  let text = '';
  for (const k of Object.keys(digestParts).sort()) text += `${k}\0${digestParts[k]}\0`;
  const sortedKeys: Record<string, string[]> = {};
  for (const id of Object.keys(keys).sort()) sortedKeys[id] = [...keys[id]].sort();
  const sortedValues: Record<string, string> = {};
  for (const k of Object.keys(values).sort()) sortedValues[k] = values[k];
  return {
    ok: true,
    view: { refs: refsKey(refs), keys: sortedKeys, values: sortedValues, digest: sha256Hex(text) },
  };
}

/** The references as the view records them: sorted, de-duplicated, without the fields (messages only). */
export function refsKey(refs: ViewRef[]): string[] {
  return [...new Set(refs.map((r) => `${r.type}/${r.name}/${r.key ?? '*'}${r.value ? '=' : ''}`))].sort();
}

/** The view as the owner's child Secret (canonical form: base64 `data`, type Opaque). */
export function viewChild(kind: ViewKind, owner: KubeObject, view: View): KubeManifest<V1Secret> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: viewSecretName(kind, owner.metadata.name ?? ''),
      namespace: owner.metadata.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'metagent',
        'app.kubernetes.io/component': `${kind.toLowerCase()}-view`,
      },
    },
    type: 'Opaque',
    data: { [VIEW_DATA_KEY]: Buffer.from(JSON.stringify(view)).toString('base64') },
  };
}

/**
 * The published view of `owner` among the related objects, if any and well-formed, with the uid of its controller
 * (Metacontroller's ownerReference): a view a deleted namesake left behind (garbage collection is asynchronous) is
 * told apart by it.
 */
export function readView(
  related: ObjectMap | undefined,
  kind: ViewKind,
  owner: Pick<KubeObject, 'metadata'>,
): View | undefined {
  const ns = owner.metadata.namespace ?? '';
  const s = lookup(related, 'Secret', 'v1', ns, viewSecretName(kind, owner.metadata.name ?? ''));
  const b64 = (s?.data as Record<string, string> | undefined)?.[VIEW_DATA_KEY];
  if (typeof b64 !== 'string') return undefined;
  try {
    const v = JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as View;
    if (
      !Array.isArray(v?.refs) ||
      typeof v.digest !== 'string' ||
      typeof v.keys !== 'object' ||
      typeof v.values !== 'object'
    )
      return undefined;
    return v;
  } catch {
    return undefined;
  }
}
