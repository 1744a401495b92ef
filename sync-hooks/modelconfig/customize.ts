// ModelConfig customize hook: ask Metacontroller for the Secrets the ModelConfig reads (API key, TLS CA), so the
// status sync sees them and is re-run whenever one of them changes.
import type { CustomizeRequest, CustomizeResponse } from '../protocol.js';
import { parentNamespace } from '../secrets.js';
import { referencedSecretKeys } from './refs.js';

export function customizeModelConfig(req: CustomizeRequest): CustomizeResponse {
  const names = [...new Set(referencedSecretKeys(req.parent).map((r) => r.secret))].sort();
  if (names.length === 0) return { relatedResources: [] };
  return {
    relatedResources: [{ apiVersion: 'v1', resource: 'secrets', namespace: parentNamespace(req.parent), names }],
  };
}
