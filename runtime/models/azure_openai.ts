// Azure OpenAI through the openai SDK's AzureOpenAI client: kagent passes the endpoint and API version as env vars
// (AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION) and the key as AZURE_OPENAI_API_KEY; the model name is the deployment.
// The SDK addresses {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=..., or with base_url,
// {base_url}/deployments/{deployment}/chat/completions (just /chat/completions when base_url already names a
// deployment); the key goes in the `api-key` header.
import type { ProviderFactory } from './types.js';
import { checkedBase, openAiCompatible } from './openai-compatible.js';

export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export const createAzureOpenAi: ProviderFactory = (cfg, env, http) => {
  const endpoint = cfg.azure_endpoint || env.AZURE_OPENAI_ENDPOINT;
  if (!cfg.base_url && !endpoint) {
    throw new Error(
      'azure_openai needs an endpoint: set AZURE_OPENAI_ENDPOINT (kagent sets it from the ModelConfig) or model.base_url',
    );
  }
  if (cfg.base_url && endpoint) {
    throw new Error(
      'azure_openai: model.base_url and the endpoint (model.azure_endpoint / AZURE_OPENAI_ENDPOINT) are mutually exclusive',
    );
  }
  return openAiCompatible(cfg, http, {
    provider: 'azure_openai',
    baseURL: checkedBase(cfg.base_url || `${endpoint!.replace(/\/+$/, '')}/openai`),
    apiKey: env.AZURE_OPENAI_API_KEY || 'unset',
    azure: {
      apiVersion: cfg.api_version || env.OPENAI_API_VERSION || AZURE_DEFAULT_API_VERSION,
      deployment: cfg.azure_deployment || env.AZURE_OPENAI_DEPLOYMENT_NAME || cfg.model,
    },
  });
};
