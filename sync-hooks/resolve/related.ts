// Lookup of the objects Metacontroller sent as `related` (the ones the customize hook asked for). Every Secret the
// translation reads is remembered, so their contents can be hashed into the pod template (a key rotation rolls the
// pods) without the hash ever containing or revealing a value.
import { lookup, type KubeObject, type ObjectMap } from '../protocol.js';
import { ResolutionError } from './errors.js';
import { sha256Hex } from '../sha256.js';

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

export class Related {
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
    return sha256Hex(text);
  }
}
