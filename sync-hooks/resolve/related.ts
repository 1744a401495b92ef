// Lookup of the objects Metacontroller sent as `related` (the ones the customize hook asked for). Every Secret the
// translation reads is remembered, so their contents can be hashed into the pod template (a key rotation rolls the
// pods) without the hash ever containing or revealing a value.
import type { Condition } from '../../crds/types.js';
import { lookup, type KubeObject, type ObjectMap } from '../protocol.js';
import { ResolutionError } from './errors.js';
import { sha256Hex } from '../sha256.js';
import {
  buildView,
  hasSources,
  readView,
  refsKey,
  viewSecretName,
  type View,
  type ViewKind,
  type ViewRef,
} from './view.js';

/** What the translation reads from Secrets and ConfigMaps: the request's own (Related) or an owner's view. */
export interface SecretReader {
  /** A Secret that must exist, used as a whole; `why` names the user, for messages. */
  secret(namespace: string, name: string, why: string): KubeObject;
  /** A Secret's key that must exist. The value is returned to the caller only; errors never contain it. */
  secretValue(namespace: string, name: string, key: string, why: string): string;
  /** Check a Secret has a key without reading its value (API keys mounted through secretKeyRef). */
  requireSecretKey(namespace: string, name: string, key: string, why: string): KubeObject;
  hasSecretKey(secret: KubeObject, key: string): boolean;
  configMapValue(namespace: string, name: string, key: string, why: string): string;
}

const NOT_READY: Record<ViewKind, 'ModelConfigNotReady' | 'ToolServerNotReady'> = {
  ModelConfig: 'ModelConfigNotReady',
  RemoteMCPServer: 'ToolServerNotReady',
};

/** Answers from a published (or locally computed) view: only the refs of its owner, in the owner's namespace. */
class ViewReader implements SecretReader {
  constructor(
    private readonly ns: string,
    private readonly what: string,
    private readonly view: View,
  ) {}

  private keys(type: 'Secret' | 'ConfigMap', namespace: string, name: string, why: string): string[] {
    const keys = namespace === this.ns ? this.view.keys[`${type}/${name}`] : undefined;
    if (!keys)
      throw new ResolutionError(
        type === 'Secret' ? 'SecretNotFound' : 'ConfigMapNotFound',
        `${type} ${namespace}/${name} (${why}) is not one ${this.what} names`,
      );
    return keys;
  }

  secret(namespace: string, name: string, why: string): KubeObject {
    const keys = this.keys('Secret', namespace, name, why);
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      data: Object.fromEntries(keys.map((k) => [k, ''])),
    };
  }

  requireSecretKey(namespace: string, name: string, key: string, why: string): KubeObject {
    const s = this.secret(namespace, name, why);
    if (!this.hasSecretKey(s, key))
      throw new ResolutionError('SecretNotFound', `Secret ${namespace}/${name} (${why}) has no key "${key}"`);
    return s;
  }

  hasSecretKey(secret: KubeObject, key: string): boolean {
    return Object.hasOwn((secret.data as Record<string, string> | undefined) ?? {}, key);
  }

  private value(type: 'Secret' | 'ConfigMap', namespace: string, name: string, key: string, why: string): string {
    this.keys(type, namespace, name, why);
    const v = this.view.values[`${type}/${name}/${key}`];
    if (typeof v !== 'string')
      throw new ResolutionError(
        type === 'Secret' ? 'SecretNotFound' : 'ConfigMapNotFound',
        `${type} ${namespace}/${name} (${why}) has no key "${key}"`,
      );
    return v;
  }

  secretValue(namespace: string, name: string, key: string, why: string): string {
    return this.value('Secret', namespace, name, key, why);
  }

  configMapValue(namespace: string, name: string, key: string, why: string): string {
    return this.value('ConfigMap', namespace, name, key, why);
  }
}

const EMPTY_VIEW: View = { refs: [], keys: {}, values: {}, digest: '' };

export const KAGENT_API_VERSION = 'kagent.dev/v1alpha2';

/** Read a Secret's key as text, whether the object carries base64 `data` or (in files given to render) `stringData`. */
export function secretText(secret: KubeObject, key: string): string | undefined {
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData[key] === 'string') return stringData[key];
  const data = secret.data as Record<string, string> | undefined;
  if (data && typeof data[key] === 'string') return Buffer.from(data[key], 'base64').toString('utf8');
  return undefined;
}

function secretKeys(secret: KubeObject): string[] {
  return [
    ...Object.keys((secret.data as Record<string, string> | undefined) ?? {}),
    ...Object.keys((secret.stringData as Record<string, string> | undefined) ?? {}),
  ];
}

export class Related implements SecretReader {
  /** Digests of the views read (`<Kind>/<ns>/<name>`), part of secretsDigest. */
  private readonly usedViews = new Map<string, string>();

  /** Secrets read so far, with the keys read ('all' when the translation looked at the whole Secret). */
  private readonly usedSecrets = new Map<string, { secret: KubeObject; keys: Set<string> | 'all' }>();

  private use(id: string, secret: KubeObject, key?: string): void {
    const prev = this.usedSecrets.get(id);
    if (key === undefined || prev?.keys === 'all') {
      this.usedSecrets.set(id, { secret, keys: 'all' });
      return;
    }
    const keys = prev ? prev.keys : new Set<string>();
    keys.add(key);
    this.usedSecrets.set(id, { secret, keys });
  }

  private find(namespace: string, name: string, why: string): KubeObject {
    const s = this.get('Secret', 'v1', namespace, name);
    if (!s) throw new ResolutionError('SecretNotFound', `Secret ${namespace}/${name} (${why}) not found`);
    return s;
  }

  constructor(private readonly map: ObjectMap | undefined) {}

  get(kind: string, apiVersion: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return lookup(this.map, kind, apiVersion, namespace, name);
  }

  /** All related objects of one kind (e.g. every Namespace sent). */
  all(kind: string, apiVersion: string): KubeObject[] {
    return Object.values(this.map?.[`${kind}.${apiVersion}`] ?? {});
  }

  /** A Secret that must exist, used as a whole (all its keys feed the hash); `why` names the user, for messages. */
  secret(namespace: string, name: string, why: string): KubeObject {
    const s = this.find(namespace, name, why);
    this.use(`${namespace}/${name}`, s);
    return s;
  }

  /** A Secret's key that must exist. The value is returned to the caller only; errors never contain it. */
  secretValue(namespace: string, name: string, key: string, why: string): string {
    const s = this.requireSecretKey(namespace, name, key, why);
    return secretText(s, key)!;
  }

  /** Check a Secret has a key without reading its value (API keys mounted through secretKeyRef). */
  requireSecretKey(namespace: string, name: string, key: string, why: string): KubeObject {
    const s = this.find(namespace, name, why);
    if (!secretKeys(s).includes(key)) {
      throw new ResolutionError('SecretNotFound', `Secret ${namespace}/${name} (${why}) has no key "${key}"`);
    }
    this.use(`${namespace}/${name}`, s, key);
    return s;
  }

  hasSecretKey(secret: KubeObject, key: string): boolean {
    return secretKeys(secret).includes(key);
  }

  /**
   * What `owner` (a ModelConfig or RemoteMCPServer) reads from its Secrets/ConfigMaps (`refs`), as the translation
   * may use it: computed from the sources when the request carries them all (render, tests), else the view its
   * controller published (view.ts). Never a guess: a view for other references, or none, is a ResolutionError, so
   * the Agent keeps its running children (decision 3) until the owner's controller catches up.
   */
  viewOf(kind: ViewKind, owner: KubeObject, refs: ViewRef[]): SecretReader {
    const ns = owner.metadata.namespace ?? '';
    const name = owner.metadata.name ?? '';
    const what = `${kind} ${ns}/${name}`;
    if (refs.length === 0) return new ViewReader(ns, what, EMPTY_VIEW);
    const generation = owner.metadata.generation ?? 0;
    let view: View;
    if (hasSources(this.map, ns, refs)) {
      const built = buildView(this.map, ns, refs);
      if (!built.ok) throw new ResolutionError(built.reason, `${what}: ${built.message}`);
      view = built.view;
    } else {
      // The owner's own Accepted=False (e.g. its Secret is missing) explains a missing or outdated view.
      const accepted = ((owner.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
        (c) => c.type === 'Accepted',
      );
      const because =
        accepted?.status === 'False' && accepted.observedGeneration === generation
          ? ` (it is not accepted: ${accepted.message})`
          : '';
      // The owner's controller says one of its own Secrets/ConfigMaps is missing: the Agent reports that (keeping
      // its children, decision 3), whether the view is missing, outdated or the last good one (which outlives it).
      if (
        accepted?.status === 'False' &&
        accepted.observedGeneration === generation &&
        (accepted.reason === 'SecretNotFound' || accepted.reason === 'ConfigMapNotFound')
      ) {
        throw new ResolutionError(accepted.reason, `${what}: ${accepted.message}`);
      }
      const published = readView(this.map, kind, owner);
      const viewName = `${ns}/${viewSecretName(kind, name)}`;
      if (!published) {
        throw new ResolutionError(
          NOT_READY[kind],
          `${what}: its controller has not published the view Secret ${viewName} yet${because}`,
        );
      }
      if (JSON.stringify(published.refs) !== JSON.stringify(refsKey(refs))) {
        throw new ResolutionError(
          NOT_READY[kind],
          `${what}: the view Secret ${viewName} is for other references than the ${kind}'s; waiting for its controller${because}`,
        );
      }
      view = published;
    }
    this.usedViews.set(`${kind}/${ns}/${name}`, view.digest);
    return new ViewReader(ns, what, view);
  }

  configMapValue(namespace: string, name: string, key: string, why: string): string {
    const cm = this.configMap(namespace, name, why);
    const data = (cm.data as Record<string, string> | undefined) ?? {};
    if (typeof data[key] !== 'string') {
      throw new ResolutionError('ConfigMapNotFound', `ConfigMap ${namespace}/${name} (${why}) has no key "${key}"`);
    }
    return data[key];
  }

  configMap(namespace: string, name: string, why: string): KubeObject {
    const cm = this.get('ConfigMap', 'v1', namespace, name);
    if (!cm) throw new ResolutionError('ConfigMapNotFound', `ConfigMap ${namespace}/${name} (${why}) not found`);
    return cm;
  }

  /**
   * A digest of the referenced Secret keys read so far: names, keys and values in a fixed order. It changes when a
   * referenced value changes (not when an unrelated key of the same Secret does) and reveals nothing about values.
   */
  secretsDigest(): string {
    // The hashed text is built first and hashed in one update: the same bytes as one update per part, fewer native calls.
    let text = '';
    for (const id of [...this.usedSecrets.keys()].sort()) {
      const { secret, keys } = this.usedSecrets.get(id)!;
      text += `${id}\0`;
      const list = keys === 'all' ? [...new Set(secretKeys(secret))] : [...keys];
      for (const key of list.sort()) text += `${key}\0${secretText(secret, key) ?? ''}\0`;
    }
    for (const id of [...this.usedViews.keys()].sort()) text += `view:${id}\0${this.usedViews.get(id)!}\0`;
    return sha256Hex(text);
  }
}
