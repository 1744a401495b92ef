// ModelProviderConfig sync hook (a CompositeController without children): resolve the API key from the one related
// Secret (pure), list the provider's models through the injected discoverer (cached, impure), then compute the status
// (pure). The key goes only into the request to the provider, never into the status, a log line or a message.
import type { SyncRequest, SyncResponse } from '../protocol.js';
import type { ModelDiscoverer } from './discover.js';
import { providerDiscovery } from './providers.js';
import { resolveApiKey, secretName, specOf } from './refs.js';
import { modelProviderConfigStatus, type StatusInput } from './status.js';

export interface ModelProviderConfigHookDeps {
  discoverer: ModelDiscoverer;
  now: string;
}

export async function syncModelProviderConfig(
  req: SyncRequest,
  deps: ModelProviderConfigHookDeps,
): Promise<SyncResponse> {
  const parent = req.parent;
  const spec = specOf(parent);
  const provider = providerDiscovery(spec.type);
  const opts = { now: deps.now, refreshSeconds: deps.discoverer.refreshSeconds };
  if (!provider) {
    const invalid = {
      ok: false as const,
      reason: 'InvalidSpec',
      message: `spec.type ${JSON.stringify(spec.type)} is not a known provider type`,
    };
    return modelProviderConfigStatus(parent, { secret: invalid, discovery: invalid }, opts);
  }
  const resolved = resolveApiKey(parent, req.related, provider.requiresSecret);
  const secret: StatusInput['secret'] =
    resolved.ok && !provider.requiresSecret && !secretName(parent) ? { ok: true, notRequired: true } : resolved;
  const endpoint = typeof spec.endpoint === 'string' && spec.endpoint !== '' ? spec.endpoint : provider.defaultEndpoint;
  let discovery: StatusInput['discovery'];
  if (!endpoint) {
    discovery = {
      ok: false,
      reason: 'InvalidSpec',
      message: `spec.endpoint is required for type ${spec.type} (it has no default endpoint)`,
    };
  } else if (!/^https?:\/\//.test(endpoint)) {
    discovery = { ok: false, reason: 'InvalidSpec', message: 'spec.endpoint must be an http(s) URL' };
  } else if (!resolved.ok) {
    discovery = { ok: false, reason: 'SecretNotResolved', message: 'models are not listed without the API key' };
  } else {
    discovery = await deps.discoverer.discover({
      uid: parent.metadata.uid ?? `${parent.metadata.namespace}/${parent.metadata.name}`,
      generation: parent.metadata.generation ?? 0,
      type: spec.type as string,
      endpoint,
      apiKey: resolved.apiKey,
      provider,
    });
  }
  return modelProviderConfigStatus(parent, { secret, discovery }, opts);
}
