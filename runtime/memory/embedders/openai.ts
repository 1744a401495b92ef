// OpenAI's /embeddings, or any OpenAI-compatible server by base_url (LiteLLM, vLLM): the chat model's variables.
import { joinUrl } from '../../models/openai-compatible.js';
import { OPENAI_BASE } from '../../models/openai.js';
import { OpenAiEmbedder, type EmbedderFactory } from '../embedding-client.js';

export const createOpenAiEmbedder: EmbedderFactory = (cfg, env, http) =>
  new OpenAiEmbedder(cfg.model, http, {
    provider: 'openai',
    url: joinUrl(cfg.base_url || env.OPENAI_API_BASE || env.OPENAI_BASE_URL || OPENAI_BASE, '/embeddings'),
    apiKey: env.OPENAI_API_KEY || 'unset',
  });
