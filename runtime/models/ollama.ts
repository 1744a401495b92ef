// Ollama through its OpenAI-compatible /v1 endpoint. kagent passes the host as OLLAMA_API_BASE. Ollama takes no key,
// so a caller's key (api_key_passthrough) is not forwarded.
import type { ProviderFactory } from './types.js';
import { joinUrl, openAiCompatible } from './openai-compatible.js';

export const createOllama: ProviderFactory = (cfg, env, http) => {
  const host = (cfg.base_url || env.OLLAMA_API_BASE || 'http://localhost:11434').replace(/\/+$/, '');
  const base = host.endsWith('/v1') ? host : `${host}/v1`;
  return openAiCompatible(cfg, http, {
    provider: 'ollama',
    url: joinUrl(base, '/chat/completions'),
    apiKey: 'ollama',
    passthrough: false,
  });
};
