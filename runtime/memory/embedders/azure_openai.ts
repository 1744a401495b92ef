// Azure OpenAI embeddings through the SDK's AzureOpenAI, addressed as models/azure_openai.ts addresses chat:
// {endpoint}/openai/deployments/{model}/embeddings?api-version=... (or under base_url), the key in `api-key`. The
// deployment is the embedding model's name: AZURE_OPENAI_DEPLOYMENT_NAME names the chat deployment, not this one.
import { checkedBase } from '../../models/openai-compatible.js';
import { AZURE_DEFAULT_API_VERSION } from '../../models/azure_openai.js';
import { OpenAiEmbedder, type EmbedderFactory } from '../embedding-client.js';

export const createAzureOpenAiEmbedder: EmbedderFactory = (cfg, env, http) => {
  const endpoint = env.AZURE_OPENAI_ENDPOINT;
  if (!cfg.base_url && !endpoint)
    throw new Error('azure_openai embeddings need an endpoint: set AZURE_OPENAI_ENDPOINT or memory.embedding.base_url');
  return new OpenAiEmbedder(cfg.model, http, {
    provider: 'azure_openai',
    baseURL: checkedBase(cfg.base_url || `${endpoint!.replace(/\/+$/, '')}/openai`),
    apiKey: env.AZURE_OPENAI_API_KEY || 'unset',
    azure: { apiVersion: env.OPENAI_API_VERSION || AZURE_DEFAULT_API_VERSION, deployment: cfg.model },
  });
};
