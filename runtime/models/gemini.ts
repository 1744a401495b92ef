// Gemini through Google's OpenAI-compatible endpoint; the key is GOOGLE_API_KEY (kagent's name) or GEMINI_API_KEY.
import OpenAI from 'openai';
import type { ProviderFactory } from './types.js';
import { OpenAiCompatibleModel, clientOptions } from './openai-compatible.js';

export const GEMINI_OPENAI_BASE = 'https://generativelanguage.googleapis.com/v1beta/openai/';

export const createGemini: ProviderFactory = (cfg, env, fetchImpl) => {
  const make = (apiKey: string) =>
    new OpenAI({ ...clientOptions(cfg, fetchImpl), apiKey, baseURL: cfg.base_url || GEMINI_OPENAI_BASE });
  return new OpenAiCompatibleModel('gemini', cfg.model, make(env.GOOGLE_API_KEY || env.GEMINI_API_KEY || 'unset'), cfg, make);
};
