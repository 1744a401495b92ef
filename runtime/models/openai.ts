// OpenAI and any OpenAI-compatible server by base_url (LiteLLM, vLLM, Ollama's /v1, a mock).
import type { ProviderFactory } from './types.js';
import { joinUrl, openAiCompatible } from './openai-compatible.js';

export const OPENAI_BASE = 'https://api.openai.com/v1';

export const createOpenAi: ProviderFactory = (cfg, env, http) => {
  const base = cfg.base_url || env.OPENAI_API_BASE || env.OPENAI_BASE_URL || OPENAI_BASE;
  return openAiCompatible(cfg, http, {
    provider: 'openai',
    url: joinUrl(base, '/chat/completions'),
    // A missing key is not a startup error: with api_key_passthrough the caller supplies it, and a local
    // OpenAI-compatible server may need none.
    apiKey: env.OPENAI_API_KEY || 'unset',
    providerHeaders: {
      ...(env.OPENAI_ORG_ID ? { 'openai-organization': env.OPENAI_ORG_ID } : {}),
      ...(env.OPENAI_PROJECT_ID ? { 'openai-project': env.OPENAI_PROJECT_ID } : {}),
    },
  });
};
