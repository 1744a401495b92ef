// Which Secret keys a ModelConfig (kagent.dev/v1alpha2) reads: the API key and the TLS CA certificate.
import type { KubeObject } from '../protocol.js';

export interface SecretKeyRef {
  /** Field path in the ModelConfig, for messages. */
  field: string;
  secret: string;
  key: string | undefined;
}

interface ModelConfigSpec {
  apiKeySecret?: string;
  apiKeySecretKey?: string;
  tls?: { disableVerify?: boolean; caCertSecretRef?: string; caCertSecretKey?: string };
}

export function referencedSecretKeys(modelConfig: KubeObject): SecretKeyRef[] {
  const spec = (modelConfig.spec ?? {}) as ModelConfigSpec;
  const refs: SecretKeyRef[] = [];
  if (typeof spec.apiKeySecret === 'string' && spec.apiKeySecret !== '') {
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
