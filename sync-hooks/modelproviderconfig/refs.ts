// The one Secret a ModelProviderConfig reads: spec.secretRef.name, in its own namespace, holding exactly one data
// key — the API key (kagent's SecretReference contract). Pure; the key's value is returned, never put in a message.
import type { KubeObject, ObjectMap } from '../protocol.js';
import { lookup } from '../protocol.js';
import { parentNamespace } from '../secrets.js';

export interface ModelProviderConfigSpec {
  type?: string;
  endpoint?: string;
  secretRef?: { name?: string };
}

export function specOf(obj: KubeObject): ModelProviderConfigSpec {
  return (obj.spec ?? {}) as ModelProviderConfigSpec;
}

/** The referenced Secret's name, or undefined when none is set. */
export function secretName(obj: KubeObject): string | undefined {
  const name = specOf(obj).secretRef?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export type ApiKeyResolution =
  | { ok: true; apiKey: string | undefined; hashInput?: Record<string, string> }
  | { ok: false; reason: 'SecretNotFound' | 'SecretInvalid'; message: string };

/**
 * The API key. `required`: the provider type authenticates (kagent: all but Ollama); an optional Secret that is named
 * must still exist and be valid (a typo must not silently mean "no key").
 */
export function resolveApiKey(obj: KubeObject, related: ObjectMap | undefined, required: boolean): ApiKeyResolution {
  const name = secretName(obj);
  const ns = parentNamespace(obj);
  if (!name) {
    if (!required) return { ok: true, apiKey: undefined };
    return {
      ok: false,
      reason: 'SecretNotFound',
      message: `spec.secretRef.name is required for type ${specOf(obj).type}`,
    };
  }
  const secret = lookup(related, 'Secret', 'v1', ns, name);
  if (!secret) return { ok: false, reason: 'SecretNotFound', message: `Secret ${ns}/${name} not found` };
  const data = (secret.data ?? {}) as Record<string, unknown>;
  const keys = Object.keys(data).sort();
  if (keys.length !== 1) {
    return {
      ok: false,
      reason: 'SecretInvalid',
      message: `Secret ${ns}/${name} must contain exactly one data key (the API key), found ${keys.length}${keys.length ? `: ${keys.join(', ')}` : ''}`,
    };
  }
  const raw = data[keys[0]];
  const apiKey = typeof raw === 'string' ? Buffer.from(raw, 'base64').toString('utf8') : '';
  if (apiKey === '') {
    return {
      ok: false,
      reason: 'SecretInvalid',
      message: `Secret ${ns}/${name} has an empty value for key ${JSON.stringify(keys[0])}`,
    };
  }
  return { ok: true, apiKey, hashInput: { [`${name}/${keys[0]}`]: apiKey } };
}
