// What a RemoteMCPServer (kagent.dev/v1alpha2) reads besides its spec: header values from Secrets and ConfigMaps
// (`spec.headersFrom[].valueFrom`), all in its own namespace.
import type { KubeObject, ObjectMap } from '../protocol.js';
import { configMapKey, parentNamespace, secretKey } from '../secrets.js';
import type { ViewRef } from '../resolve/view.js';
import type { TlsSettings } from '../../lib/tls-fetch.js';

export interface ValueRef {
  name?: string;
  value?: string;
  valueFrom?: { type?: string; name?: string; key?: string };
}

export interface RemoteMCPServerSpec {
  description?: string;
  protocol?: string;
  url?: string;
  headersFrom?: ValueRef[];
  timeout?: string;
  sseReadTimeout?: string;
  terminateOnClose?: boolean;
  tls?: { caCertSecretRef?: string; caCertSecretKey?: string; disableVerify?: boolean; disableSystemCAs?: boolean };
}

export function specOf(obj: KubeObject): RemoteMCPServerSpec {
  return (obj.spec ?? {}) as RemoteMCPServerSpec;
}

/** Names of the Secrets and ConfigMaps the headers and the TLS CA come from, sorted and de-duplicated. */
export function referencedObjects(obj: KubeObject): { secrets: string[]; configMaps: string[] } {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  for (const r of remoteMCPServerViewRefs(obj)) (r.type === 'Secret' ? secrets : configMaps).add(r.name);
  return { secrets: [...secrets].sort(), configMaps: [...configMaps].sort() };
}

/**
 * What an Agent using this server reads from its Secrets/ConfigMaps (resolve/view.ts): the headersFrom values (kagent
 * resolves them into the Agent's config.json) and that the TLS CA key exists (the Agent's pod mounts it).
 */
export function remoteMCPServerViewRefs(obj: KubeObject): ViewRef[] {
  const spec = specOf(obj);
  const refs: ViewRef[] = [];
  (spec.headersFrom ?? []).forEach((h, i) => {
    const from = h?.valueFrom;
    if (!from?.name || !from.key || (from.type !== 'Secret' && from.type !== 'ConfigMap')) return;
    refs.push({ type: from.type, name: from.name, key: from.key, value: true, field: `spec.headersFrom[${i}]` });
  });
  const tls = spec.tls;
  if (tls?.caCertSecretRef && tls.caCertSecretKey)
    refs.push({
      type: 'Secret',
      name: tls.caCertSecretRef,
      key: tls.caCertSecretKey,
      field: 'spec.tls.caCertSecretRef',
    });
  return refs;
}

export type HeaderResolution =
  { ok: true; headers: Record<string, string> } | { ok: false; reason: string; message: string };

/** The request headers, with values resolved from the related objects. */
export function resolveHeaders(obj: KubeObject, related: ObjectMap | undefined): HeaderResolution {
  const ns = parentNamespace(obj);
  const headers: Record<string, string> = {};
  const list = specOf(obj).headersFrom ?? [];
  for (let i = 0; i < list.length; i++) {
    const h = list[i];
    const field = `spec.headersFrom[${i}]`;
    if (!h || typeof h.name !== 'string' || h.name === '') {
      return { ok: false, reason: 'InvalidSpec', message: `${field}.name is required` };
    }
    if (h.valueFrom) {
      const { type, name, key } = h.valueFrom;
      if (!name || !key || (type !== 'Secret' && type !== 'ConfigMap')) {
        return {
          ok: false,
          reason: 'InvalidSpec',
          message: `${field}.valueFrom needs type Secret or ConfigMap, name and key`,
        };
      }
      const v = type === 'Secret' ? secretKey(related, ns, name, key) : configMapKey(related, ns, name, key);
      if (!v.found) return { ok: false, reason: v.reason, message: `${field}: ${v.message}` };
      headers[h.name] = v.value;
    } else {
      headers[h.name] = h.value ?? '';
    }
  }
  return { ok: true, headers };
}

export type TlsResolution = { ok: true; tls: TlsSettings } | { ok: false; reason: string; message: string };

/** spec.tls as the probe's TLS settings, the CA read from its Secret among the related objects (as the pod mounts it). */
export function resolveTls(obj: KubeObject, related: ObjectMap | undefined): TlsResolution {
  const tls = specOf(obj).tls;
  if (!tls) return { ok: true, tls: {} };
  let ca: string[] | undefined;
  if (tls.caCertSecretRef && tls.caCertSecretKey) {
    const v = secretKey(related, parentNamespace(obj), tls.caCertSecretRef, tls.caCertSecretKey);
    if (!v.found) return { ok: false, reason: v.reason, message: `spec.tls.caCertSecretRef: ${v.message}` };
    ca = [v.value];
  }
  return { ok: true, tls: { skipVerify: tls.disableVerify === true, ca, systemCas: tls.disableSystemCAs !== true } };
}
