// Gemini on Vertex AI (kagent's `gemini_vertex_ai`, from a GeminiVertexAI ModelConfig) through Vertex's
// OpenAI-compatible endpoint, with a Google access token (google-credentials.ts) as the bearer key of each call.
// Project and location come from GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION, which the sync hook sets.
import type { ModelConfig } from '../../contract/config.js';
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

/**
 * Gemini's generation fields as the OpenAI-compatible endpoint names them: candidateCount is `n` (the agent reads the
 * first candidate), stopSequences `stop`, and responseMimeType a `response_format` (Vertex maps json_object to
 * application/json and text to text/plain, and passes any other type, such as text/x.enum, to Gemini as given).
 */
export function vertexGeneration(cfg: ModelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (cfg.candidate_count !== undefined) out.n = cfg.candidate_count;
  if (cfg.stop_sequences?.length) out.stop = [...cfg.stop_sequences];
  const mime = cfg.response_mime_type;
  if (mime) out.response_format = { type: RESPONSE_FORMATS[mime] ?? mime };
  return out;
}
const RESPONSE_FORMATS: Record<string, string> = { 'application/json': 'json_object', 'text/plain': 'text' };

export const createGeminiVertexAi: ProviderFactory = (cfg, env, http) => {
  // The OpenAI-compatible endpoint names Gemini models "google/<model>".
  const model = cfg.model.includes('/') ? cfg.model : `google/${cfg.model}`;
  const inner = openAiCompatible(withOutputLimit({ ...cfg, model }), http, {
    provider: 'gemini_vertex_ai',
    baseURL: checkedBase(cfg.base_url || `${vertexBase(cfg, env, 'gemini_vertex_ai')}/endpoints/openapi`),
    apiKey: 'unset',
    body: vertexGeneration(cfg),
  });
  return new VertexModel(inner, googleTokenSource(env, http.fetch));
};
