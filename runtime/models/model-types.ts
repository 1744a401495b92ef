// The model types (config.json `model.type`) the runtime has a client for. Kept apart from the provider table so the
// sync hooks can tell, without loading any SDK, when an Agent's model would not start in this runtime; the table in
// registry.ts is typed against this list, so the two cannot drift.
export const RUNTIME_MODEL_TYPES = ['openai', 'azure_openai', 'anthropic', 'ollama', 'gemini', 'bedrock', 'gemini_vertex_ai', 'gemini_anthropic'] as const;
export type RuntimeModelType = (typeof RUNTIME_MODEL_TYPES)[number];

/** config.json `memory.embedding.provider` values the runtime can embed with (runtime/memory/registry.ts is typed on it). */
export const RUNTIME_EMBEDDING_TYPES = ['openai', 'azure_openai', 'ollama', 'gemini', 'gemini_vertex_ai', 'bedrock'] as const;
export type RuntimeEmbeddingType = (typeof RUNTIME_EMBEDDING_TYPES)[number];
