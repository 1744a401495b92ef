// Ollama through its OpenAI-compatible /v1 endpoint. kagent passes the host as OLLAMA_API_BASE.
import OpenAI from 'openai';
import type { ProviderFactory } from './types.js';
import { OpenAiCompatibleModel, clientOptions } from './openai-compatible.js';

export const createOllama: ProviderFactory = (cfg, env, fetchImpl) => {
  const host = (cfg.base_url || env.OLLAMA_API_BASE || 'http://localhost:11434').replace(/\/+$/, '');
  const baseURL = host.endsWith('/v1') ? host : `${host}/v1`;
  const client = new OpenAI({ ...clientOptions(cfg, fetchImpl), apiKey: 'ollama', baseURL });
  return new OpenAiCompatibleModel('ollama', cfg.model, client, cfg);
};
