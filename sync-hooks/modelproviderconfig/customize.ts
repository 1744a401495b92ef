// ModelProviderConfig customize hook: ask Metacontroller for exactly the one Secret spec.secretRef names, by name, in
// the ModelProviderConfig's namespace (nothing when none is named), so the sync sees it and re-runs when it changes.
import type { CustomizeRequest, CustomizeResponse } from '../protocol.js';
import { parentNamespace } from '../secrets.js';
import { secretName } from './refs.js';

export function customizeModelProviderConfig(req: CustomizeRequest): CustomizeResponse {
  const name = secretName(req.parent);
  if (!name) return { relatedResources: [] };
  return {
    relatedResources: [
      { apiVersion: 'v1', resource: 'secrets', namespace: parentNamespace(req.parent), names: [name] },
    ],
  };
}
