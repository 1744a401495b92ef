// Gemini through Google's OpenAI-compatible endpoint; the key is GOOGLE_API_KEY (kagent's name) or GEMINI_API_KEY.
import type { ProviderFactory } from './types.js';
import { checkedBase, openAiCompatible, withOutputLimit } from './openai-compatible.js';

export const GEMINI_OPENAI_BASE = 'https://generativelanguage.googleapis.com/v1beta/openai/';

export const createGemini: ProviderFactory = (cfg, env, http) =>
  openAiCompatible(withOutputLimit(cfg), http, {
    provider: 'gemini',
    baseURL: checkedBase(cfg.base_url || GEMINI_OPENAI_BASE),
    apiKey: env.GOOGLE_API_KEY || env.GEMINI_API_KEY || 'unset',
  });
