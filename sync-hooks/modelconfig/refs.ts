// Which Secret keys a ModelConfig (kagent.dev/v1alpha2) reads: the API key and the TLS CA certificate.
import type { KubeObject } from '../protocol.js';
import type { ViewRef } from '../resolve/view.js';

export interface SecretKeyRef {
  /** Field path in the ModelConfig, for messages. */
  field: string;
  secret: string;
  key: string | undefined;
  /** Every key of the Secret is read (Bedrock's credentials: a bearer token or access keys, as present). */
  whole?: boolean;
}

interface ModelConfigSpec {
  provider?: string;
  apiKeySecret?: string;
  apiKeySecretKey?: string;
  tls?: { disableVerify?: boolean; caCertSecretRef?: string; caCertSecretKey?: string };
}

export function referencedSecretKeys(modelConfig: KubeObject): SecretKeyRef[] {
  const spec = (modelConfig.spec ?? {}) as ModelConfigSpec;
  const refs: SecretKeyRef[] = [];
  if (typeof spec.apiKeySecret === 'string' && spec.apiKeySecret !== '') {
    if (spec.provider === 'Bedrock')
      refs.push({ field: 'spec.apiKeySecret', secret: spec.apiKeySecret, key: undefined, whole: true });
    else
      refs.push({ field: 'spec.apiKeySecretKey', secret: spec.apiKeySecret, key: spec.apiKeySecretKey || undefined });
  }
  const tls = spec.tls;
  if (tls && typeof tls.caCertSecretRef === 'string' && tls.caCertSecretRef !== '') {
    refs.push({
      field: 'spec.tls.caCertSecretKey',
      secret: tls.caCertSecretRef,
      key: tls.caCertSecretKey || undefined,
    });
  }
  return refs;
}

/** What an Agent using this ModelConfig reads from its Secrets (resolve/view.ts): which keys exist, no values. */
export function modelConfigViewRefs(modelConfig: KubeObject): ViewRef[] {
  return referencedSecretKeys(modelConfig).map((r) => ({
    type: 'Secret' as const,
    name: r.secret,
    key: r.whole ? undefined : r.key,
    field: r.field,
  }));
}
