// Claude on Vertex AI (kagent's `gemini_anthropic`, from an AnthropicVertexAI ModelConfig): the Anthropic SDK's
// Messages calls, re-addressed by its fetch to Vertex's rawPredict / streamRawPredict for the model, with the model
// moved from the body into the URL, Vertex's `anthropic_version`, and a Google access token instead of an API key
// (google-credentials.ts). Project and location come from GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION.
import Anthropic from '@anthropic-ai/sdk';
import type { ProviderFactory } from './types.js';
import { AnthropicModel } from './anthropic.js';
import { googleTokenSource } from './google-credentials.js';
import { vertexBase } from './vertex.js';

const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export const createAnthropicVertex: ProviderFactory = (cfg, env, http) => {
  const base = vertexBase(cfg, env, 'gemini_anthropic');
  const tokens = googleTokenSource(env, http.fetch);

  const vertexFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname;
    if (!path.endsWith('/v1/messages'))
      throw new Error(`gemini_anthropic: the Anthropic SDK asked for ${path}, which Vertex does not serve`);
    const body = JSON.parse(String(init.body ?? '{}')) as Record<string, unknown>;
    const model = String(body.model ?? cfg.model);
    delete body.model;
    body.anthropic_version = VERTEX_ANTHROPIC_VERSION;
    const headers = new Headers(init.headers);
    headers.delete('x-api-key');
    const override = headers.get('x-metagent-passthrough');
    headers.delete('x-metagent-passthrough');
    headers.set('authorization', `Bearer ${override || (await tokens.get())}`);
    const url = `${base}/publishers/anthropic/models/${encodeURIComponent(model)}:${body.stream ? 'streamRawPredict' : 'rawPredict'}`;
    return http.fetch(url, { ...init, headers, body: JSON.stringify(body) });
  };

  const make = (apiKey?: string) =>
    new Anthropic({
      apiKey: 'vertex',
      // Only the path matters: vertexFetch re-addresses every call.
      baseURL: 'https://vertex.invalid',
      // A caller's own Google token (api_key_passthrough) rides in a header vertexFetch reads and removes.
      defaultHeaders: { ...(cfg.headers ?? {}), ...(apiKey ? { 'x-metagent-passthrough': apiKey } : {}) },
      maxRetries: 0,
      timeout: 24 * 3600 * 1000,
      fetch: vertexFetch as never,
    });
  const shared = make();
  return new AnthropicModel('gemini_anthropic', cfg.model, (key) => (key ? make(key) : shared), cfg);
};
