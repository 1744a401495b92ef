// OpenAI and any OpenAI-compatible server by base_url (LiteLLM, vLLM, Ollama's /v1, a mock).
import type { ProviderFactory } from './types.js';
import { checkedBase, openAiCompatible } from './openai-compatible.js';

export const OPENAI_BASE = 'https://api.openai.com/v1';

export const createOpenAi: ProviderFactory = (cfg, env, http) =>
  openAiCompatible(cfg, http, {
    provider: 'openai',
    baseURL: checkedBase(cfg.base_url || env.OPENAI_API_BASE || env.OPENAI_BASE_URL || OPENAI_BASE),
    // A missing key is not a startup error: with api_key_passthrough the caller supplies it, and a local
    // OpenAI-compatible server may need none.
    apiKey: env.OPENAI_API_KEY || 'unset',
    organization: env.OPENAI_ORG_ID || undefined,
    project: env.OPENAI_PROJECT_ID || undefined,
  });
