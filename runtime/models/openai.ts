// OpenAI and any OpenAI-compatible server by base_url (LiteLLM, vLLM, Ollama's /v1, a mock).
import OpenAI from 'openai';
import type { ProviderFactory } from './types.js';
import { OpenAiCompatibleModel, clientOptions } from './openai-compatible.js';

export const createOpenAi: ProviderFactory = (cfg, env, fetchImpl) => {
  const make = (apiKey: string) =>
    new OpenAI({
      ...clientOptions(cfg, fetchImpl),
      apiKey,
      baseURL: cfg.base_url || env.OPENAI_API_BASE || env.OPENAI_BASE_URL || undefined,
      organization: env.OPENAI_ORG_ID ?? null,
    });
  // A missing key is not a startup error: with api_key_passthrough the caller supplies it, and a local
  // OpenAI-compatible server may need none.
  return new OpenAiCompatibleModel('openai', cfg.model, make(env.OPENAI_API_KEY || 'unset'), cfg, make);
};
