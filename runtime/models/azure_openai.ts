// Azure OpenAI: kagent passes the endpoint and API version as env vars (AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION)
// and the key as AZURE_OPENAI_API_KEY; the model name is the deployment.
import { AzureOpenAI } from 'openai';
import type { ProviderFactory } from './types.js';
import { OpenAiCompatibleModel, clientOptions } from './openai-compatible.js';

export const createAzureOpenAi: ProviderFactory = (cfg, env, fetchImpl) => {
  const make = (apiKey: string) =>
    new AzureOpenAI({
      ...clientOptions(cfg, fetchImpl),
      apiKey,
      endpoint: cfg.azure_endpoint || env.AZURE_OPENAI_ENDPOINT || undefined,
      baseURL: cfg.base_url || undefined,
      apiVersion: cfg.api_version || env.OPENAI_API_VERSION || '2024-10-21',
      deployment: cfg.azure_deployment || env.AZURE_OPENAI_DEPLOYMENT_NAME || cfg.model,
    });
  if (!cfg.base_url && !cfg.azure_endpoint && !env.AZURE_OPENAI_ENDPOINT) {
    throw new Error('azure_openai needs an endpoint: set AZURE_OPENAI_ENDPOINT (kagent sets it from the ModelConfig) or model.base_url');
  }
  return new OpenAiCompatibleModel('azure_openai', cfg.model, make(env.AZURE_OPENAI_API_KEY || 'unset'), cfg, make);
};
