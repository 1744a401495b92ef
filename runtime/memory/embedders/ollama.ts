// Ollama's OpenAI-compatible /v1/embeddings; no key (a caller's token is not forwarded).
import { checkedBase } from '../../models/openai-compatible.js';
import { OpenAiEmbedder, type EmbedderFactory } from '../embedding-client.js';

export const createOllamaEmbedder: EmbedderFactory = (cfg, env, http) => {
  const host = (cfg.base_url || env.OLLAMA_API_BASE || 'http://localhost:11434').replace(/\/+$/, '');
  return new OpenAiEmbedder(cfg.model, http, {
    provider: 'ollama',
    baseURL: checkedBase(host.endsWith('/v1') ? host : `${host}/v1`),
    apiKey: 'ollama',
    passthrough: false,
  });
};
