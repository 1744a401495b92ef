// OpenAI's /embeddings, or any OpenAI-compatible server by base_url (LiteLLM, vLLM): the chat model's variables.
import { checkedBase } from '../../models/openai-compatible.js';
import { OPENAI_BASE } from '../../models/openai.js';
import { OpenAiEmbedder, type EmbedderFactory } from '../embedding-client.js';

export const createOpenAiEmbedder: EmbedderFactory = (cfg, env, http) =>
  new OpenAiEmbedder(cfg.model, http, {
    provider: 'openai',
    baseURL: checkedBase(cfg.base_url || env.OPENAI_API_BASE || env.OPENAI_BASE_URL || OPENAI_BASE),
    apiKey: env.OPENAI_API_KEY || 'unset',
  });
