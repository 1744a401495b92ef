// Gemini on Vertex AI (kagent's `gemini_vertex_ai`, from a GeminiVertexAI ModelConfig) through Vertex's
// OpenAI-compatible endpoint, with a Google access token (google-credentials.ts) as the bearer key of each call.
// Project and location come from GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION, which the sync hook sets.
import type { ChatModel, ChatRequest, ChatResult, ProviderFactory } from './types.js';
import { checkedBase, openAiCompatible, withOutputLimit } from './openai-compatible.js';
import { googleTokenSource, type TokenSource } from './google-credentials.js';
import { vertexBase } from './vertex.js';

class VertexModel implements ChatModel {
  readonly provider = 'gemini_vertex_ai';
  constructor(
    private readonly inner: ChatModel,
    private readonly tokens: TokenSource,
  ) {}

  get model(): string {
    return this.inner.model;
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    // A caller's own token (api_key_passthrough) wins, as with every provider.
    return this.inner.complete({ ...req, apiKey: req.apiKey || (await this.tokens.get()) });
  }
}

export const createGeminiVertexAi: ProviderFactory = (cfg, env, http) => {
  // The OpenAI-compatible endpoint names Gemini models "google/<model>".
  const model = cfg.model.includes('/') ? cfg.model : `google/${cfg.model}`;
  const inner = openAiCompatible(withOutputLimit({ ...cfg, model }), http, {
    provider: 'gemini_vertex_ai',
    baseURL: checkedBase(cfg.base_url || `${vertexBase(cfg, env, 'gemini_vertex_ai')}/endpoints/openapi`),
    apiKey: 'unset',
  });
  return new VertexModel(inner, googleTokenSource(env, http.fetch));
};
