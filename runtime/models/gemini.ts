// Gemini through Google's OpenAI-compatible endpoint; the key is GOOGLE_API_KEY (kagent's name) or GEMINI_API_KEY.
import type { ProviderFactory } from './types.js';
import { joinUrl, openAiCompatible } from './openai-compatible.js';

export const GEMINI_OPENAI_BASE = 'https://generativelanguage.googleapis.com/v1beta/openai/';

export const createGemini: ProviderFactory = (cfg, env, http) =>
  openAiCompatible(cfg, http, {
    provider: 'gemini',
    url: joinUrl(cfg.base_url || GEMINI_OPENAI_BASE, '/chat/completions'),
    apiKey: env.GOOGLE_API_KEY || env.GEMINI_API_KEY || 'unset',
  });
