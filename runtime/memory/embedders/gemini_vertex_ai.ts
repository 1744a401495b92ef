// Vertex AI text embeddings (kagent's `gemini_vertex_ai` embedding provider, e.g. text-embedding-005) through Vertex's
// own predict API — {base}/publishers/google/models/{model}:predict with `outputDimensionality: 768` — with a Google
// access token (models/google-credentials.ts: the key file GOOGLE_APPLICATION_CREDENTIALS names, else the metadata
// server) as the bearer key. Project and location: GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION, as for the chat model.
import { googleTokenSource } from '../../models/google-credentials.js';
import { vertexBase } from '../../models/vertex.js';
import { postJson } from '../../models/json-post.js';
import type { ModelHttp } from '../../models/http.js';
import type { EmbedderFactory } from '../embedding-client.js';
import type { Embedder } from '../types.js';
import { MEMORY_DIMENSIONS } from '../vectors.js';

interface PredictResponse {
  predictions?: Array<{ embeddings?: { values?: unknown; statistics?: { token_count?: number } } }>;
}

class VertexEmbedder implements Embedder {
  readonly provider = 'gemini_vertex_ai';
  constructor(
    readonly model: string,
    private readonly url: string,
    private readonly http: ModelHttp,
    private readonly token: () => Promise<string>,
  ) {}

  async embed(
    texts: string[],
    signal: AbortSignal,
    apiKey?: string,
  ): Promise<{ vectors: number[][]; inputTokens: number }> {
    const body = {
      instances: texts.map((content) => ({ content })),
      parameters: { outputDimensionality: MEMORY_DIMENSIONS },
    };
    const res = (await postJson(
      this.http.fetch,
      this.url,
      body,
      apiKey || (await this.token()),
      signal,
    )) as PredictResponse;
    const predictions = Array.isArray(res.predictions) ? res.predictions : [];
    if (predictions.length !== texts.length)
      throw new Error(
        `the Vertex predict response holds ${predictions.length} embeddings for ${texts.length} input(s)`,
      );
    return {
      vectors: predictions.map((p) => p.embeddings?.values as number[]),
      inputTokens: predictions.reduce((n, p) => n + (p.embeddings?.statistics?.token_count ?? 0), 0),
    };
  }
}

export const createVertexEmbedder: EmbedderFactory = (cfg, env, http) => {
  const base = vertexBase(
    { type: 'gemini_vertex_ai', model: cfg.model, base_url: cfg.base_url },
    env,
    'gemini_vertex_ai embeddings',
  );
  const model = cfg.model.replace(/^google\//, '');
  const url = `${base}/publishers/google/models/${encodeURIComponent(model)}:predict`;
  const tokens = googleTokenSource(env, http.fetch);
  return new VertexEmbedder(model, url, http, () => tokens.get());
};
