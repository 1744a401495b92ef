// RemoteMCPServer customize hook: ask for the Secrets and ConfigMaps its headers come from.
import type { CustomizeRequest, CustomizeResponse, RelatedResourceRule } from '../protocol.js';
import { parentNamespace } from '../secrets.js';
import { referencedObjects } from './refs.js';

export function customizeRemoteMCPServer(req: CustomizeRequest): CustomizeResponse {
  const ns = parentNamespace(req.parent);
  const { secrets, configMaps } = referencedObjects(req.parent);
  const rules: RelatedResourceRule[] = [];
  if (secrets.length) rules.push({ apiVersion: 'v1', resource: 'secrets', namespace: ns, names: secrets });
  if (configMaps.length) rules.push({ apiVersion: 'v1', resource: 'configmaps', namespace: ns, names: configMaps });
  return { relatedResources: rules };
}
