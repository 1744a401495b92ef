// Reading referenced Secret/ConfigMap keys out of a hook request's `related` map, and hashing them. Values are
// only ever hashed or handed to the caller; they are never put into an error message.
import { createHash } from 'node:crypto';
import { lookup, type KubeObject, type ObjectMap } from './protocol.js';

export type KeyLookup =
  { found: true; value: string } | { found: false; reason: 'SecretNotFound' | 'ConfigMapNotFound'; message: string };

/** Value of `key` in Secret `ns/name` among the related objects (decoded from base64 `data`, or `stringData`). */
export function secretKey(related: ObjectMap | undefined, ns: string, name: string, key: string): KeyLookup {
  const secret = lookup(related, 'Secret', 'v1', ns, name);
  if (!secret) return { found: false, reason: 'SecretNotFound', message: `Secret ${ns}/${name} not found` };
  const data = secret.data as Record<string, string> | undefined;
  if (data && typeof data[key] === 'string')
    return { found: true, value: Buffer.from(data[key], 'base64').toString('utf8') };
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData[key] === 'string') return { found: true, value: stringData[key] };
  return {
    found: false,
    reason: 'SecretNotFound',
    message: `key ${JSON.stringify(key)} not found in Secret ${ns}/${name}`,
  };
}

/** Value of `key` in ConfigMap `ns/name` among the related objects (`data`, or base64 `binaryData`). */
export function configMapKey(related: ObjectMap | undefined, ns: string, name: string, key: string): KeyLookup {
  const cm = lookup(related, 'ConfigMap', 'v1', ns, name);
  if (!cm) return { found: false, reason: 'ConfigMapNotFound', message: `ConfigMap ${ns}/${name} not found` };
  const data = cm.data as Record<string, string> | undefined;
  if (data && typeof data[key] === 'string') return { found: true, value: data[key] };
  const bin = cm.binaryData as Record<string, string> | undefined;
  if (bin && typeof bin[key] === 'string')
    return { found: true, value: Buffer.from(bin[key], 'base64').toString('utf8') };
  return {
    found: false,
    reason: 'ConfigMapNotFound',
    message: `key ${JSON.stringify(key)} not found in ConfigMap ${ns}/${name}`,
  };
}

/** A stable hash of named values: sorted by name, length-prefixed so ("ab","c") and ("a","bc") differ. */
export function hashValues(values: Record<string, string>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(values).sort()) {
    const v = values[name];
    h.update(`${Buffer.byteLength(name)}:${name}${Buffer.byteLength(v)}:${v}`);
  }
  return h.digest('hex');
}

export function parentNamespace(parent: KubeObject): string {
  return parent.metadata.namespace ?? 'default';
}
