// Gemini on Vertex AI (kagent's `gemini_vertex_ai`, from a GeminiVertexAI ModelConfig) through Vertex's
// OpenAI-compatible endpoint, with a Google access token (google-credentials.ts) as the bearer key of each call.
// Project and location come from GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION, which the sync hook sets.
import type { ChatModel, ChatRequest, ChatResult, ProviderFactory } from './types.js';
import { joinUrl, openAiCompatible } from './openai-compatible.js';
import { googleTokenSource, type TokenSource } from './google-credentials.js';

/** Vertex's OpenAI-compatible base URL for a project and location ("global" has no regional host). */
export function vertexOpenAiBase(project: string, location: string): string {
  const host = location === 'global' ? 'aiplatform.googleapis.com' : `${location}-aiplatform.googleapis.com`;
  return `https://${host}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/endpoints/openapi`;
}

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
  const project = env.GOOGLE_CLOUD_PROJECT;
  const location = env.GOOGLE_CLOUD_LOCATION;
  if (!cfg.base_url && (!project || !location)) {
    throw new Error('gemini_vertex_ai needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION in the environment (the sync hook sets them from the ModelConfig)');
  }
  // The OpenAI-compatible endpoint names Gemini models "google/<model>".
  const model = cfg.model.includes('/') ? cfg.model : `google/${cfg.model}`;
  const inner = openAiCompatible({ ...cfg, model }, http, {
    provider: 'gemini_vertex_ai',
    url: joinUrl(cfg.base_url || vertexOpenAiBase(project!, location!), '/chat/completions'),
    apiKey: 'unset',
  });
  return new VertexModel(inner, googleTokenSource(env, http.fetch));
};
