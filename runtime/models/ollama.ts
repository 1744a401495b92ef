// Ollama through its OpenAI-compatible /v1 endpoint. kagent passes the host as OLLAMA_API_BASE. Ollama takes no key,
// so a caller's key (api_key_passthrough) is not forwarded.
import type { ProviderFactory } from './types.js';
import { checkedBase, openAiCompatible } from './openai-compatible.js';

export const createOllama: ProviderFactory = (cfg, env, http) => {
  const host = (cfg.base_url || env.OLLAMA_API_BASE || 'http://localhost:11434').replace(/\/+$/, '');
  return openAiCompatible(cfg, http, {
    provider: 'ollama',
    baseURL: checkedBase(host.endsWith('/v1') ? host : `${host}/v1`),
    apiKey: 'ollama',
    passthrough: false,
  });
};
