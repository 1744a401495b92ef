// The one table of embedding providers (kagent's EmbeddingConfig.provider is a ModelConfig type). Adding one = one
// module + one row. Anthropic has no embeddings API (nor Anthropic on Vertex): a startup error naming the field and
// the provider rather than an agent whose memory fails at every call.
import { ConfigError } from '../../contract/validate.js';
import { modelHttp } from '../models/http.js';
import type { RuntimeEmbeddingType } from '../../contract/model-types.js';
import type { EmbedderFactory } from './embedding-client.js';
import type { Embedder, EmbeddingConfig } from './types.js';

export const embeddingProviders: Readonly<Record<RuntimeEmbeddingType, () => Promise<EmbedderFactory>>> = Object.freeze(
  {
    openai: async () => (await import('./embedders/openai.js')).createOpenAiEmbedder,
    azure_openai: async () => (await import('./embedders/azure_openai.js')).createAzureOpenAiEmbedder,
    ollama: async () => (await import('./embedders/ollama.js')).createOllamaEmbedder,
    gemini: async () => (await import('./embedders/gemini.js')).createGeminiEmbedder,
    gemini_vertex_ai: async () => (await import('./embedders/gemini_vertex_ai.js')).createVertexEmbedder,
    bedrock: async () => (await import('./embedders/bedrock.js')).createBedrockEmbedder,
  },
);

/** Builds the configured embedder; an unsupported provider or unusable setting is a ConfigError naming the field. */
export async function createEmbedder(
  cfg: EmbeddingConfig,
  env: NodeJS.ProcessEnv,
  file = 'config.json',
): Promise<Embedder> {
  const load = Object.hasOwn(embeddingProviders, cfg.provider)
    ? embeddingProviders[cfg.provider as RuntimeEmbeddingType]
    : undefined;
  if (!load) {
    const why =
      cfg.provider === 'anthropic' || cfg.provider === 'gemini_anthropic' ? ' (Anthropic has no embeddings API)' : '';
    throw new ConfigError(
      file,
      'memory.embedding.provider',
      `unsupported embedding provider "${cfg.provider}"${why} (supported: ${Object.keys(embeddingProviders).join(', ')})`,
    );
  }
  const factory = await load();
  try {
    // The embedding model's own HTTP stack; memory.embedding carries no TLS options, so system CAs apply.
    return factory(cfg, env, modelHttp({ type: cfg.provider, model: cfg.model }));
  } catch (err) {
    // A factory may name the exact field (`field` on the error); else the block as a whole.
    const field = (err as { field?: unknown }).field;
    throw new ConfigError(file, typeof field === 'string' ? field : 'memory.embedding', (err as Error).message);
  }
}
