// kagent.dev/v1alpha2 ModelProviderConfig: a model provider endpoint whose available models are discovered and
// listed in status (kagent's model discovery), so users can pick a model for a ModelConfig.
import { arr, int, obj, str, strEnum } from './builders.js';
import { conditions, observedGeneration } from './kube.js';
import { PROVIDERS } from './modelconfig.js';

export const modelProviderConfigSpec = obj(
  'ModelProviderConfigSpec is a model provider whose models are discovered.',
  {
    type: strEnum('The model provider type.', PROVIDERS),
    endpoint: str("The provider's API endpoint (http:// or https://); the provider's default endpoint when unset.", {
      pattern: '^https?://.*',
    }),
    secretRef: obj(
      'The Secret in the same namespace that holds the API key; optional for providers without authentication (Ollama).',
      { name: str('The name of the Secret.') },
      ['name'],
    ),
  },
  ['type'],
);

export const modelProviderConfigStatus = obj('ModelProviderConfigStatus is the observed state of the provider.', {
  observedGeneration,
  conditions,
  discoveredModels: arr('The model IDs the provider listed at the last successful discovery.', str('A model ID.')),
  modelCount: int('The number of discovered models (shown by kubectl get).'),
  lastDiscoveryTime: str('When the models were last discovered successfully (RFC 3339).', { format: 'date-time' }),
  secretHash: str("A hash of the referenced Secret's data, so that a key rotation triggers a new discovery."),
});
