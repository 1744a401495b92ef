// Ollama's OpenAI-compatible /v1/embeddings; no key (a caller's token is not forwarded).
import { joinUrl } from '../../models/openai-compatible.js';
import { OpenAiEmbedder, type EmbedderFactory } from '../embedding-client.js';

export const createOllamaEmbedder: EmbedderFactory = (cfg, env, http) => {
  const host = (cfg.base_url || env.OLLAMA_API_BASE || 'http://localhost:11434').replace(/\/+$/, '');
  const base = host.endsWith('/v1') ? host : `${host}/v1`;
  return new OpenAiEmbedder(cfg.model, http, {
    provider: 'ollama',
    url: joinUrl(base, '/embeddings'),
    apiKey: 'ollama',
    passthrough: false,
  });
};
