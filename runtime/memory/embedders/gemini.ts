// Gemini embeddings through Google's OpenAI-compatible endpoint; the key is GOOGLE_API_KEY (or GEMINI_API_KEY).
import { checkedBase } from '../../models/openai-compatible.js';
import { GEMINI_OPENAI_BASE } from '../../models/gemini.js';
import { OpenAiEmbedder, type EmbedderFactory } from '../embedding-client.js';

export const createGeminiEmbedder: EmbedderFactory = (cfg, env, http) =>
  new OpenAiEmbedder(cfg.model, http, {
    provider: 'gemini',
    baseURL: checkedBase(cfg.base_url || GEMINI_OPENAI_BASE),
    apiKey: env.GOOGLE_API_KEY || env.GEMINI_API_KEY || 'unset',
  });
