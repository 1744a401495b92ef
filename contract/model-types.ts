// The config.json `model.type` and `memory.embedding.provider` values the runtime has a client for: part of the
// contract, so the sync hooks can tell, without loading any SDK, when an Agent's model would not start in this
// runtime. runtime/models/registry.ts and runtime/memory/registry.ts are typed against these lists, so they cannot drift.
export const RUNTIME_MODEL_TYPES = [
  'openai',
  'azure_openai',
  'anthropic',
  'ollama',
  'gemini',
  'bedrock',
  'gemini_vertex_ai',
  'gemini_anthropic',
] as const;
export type RuntimeModelType = (typeof RUNTIME_MODEL_TYPES)[number];

/** config.json `memory.embedding.provider` values the runtime can embed with. */
export const RUNTIME_EMBEDDING_TYPES = [
  'openai',
  'azure_openai',
  'ollama',
  'gemini',
  'gemini_vertex_ai',
  'bedrock',
] as const;
export type RuntimeEmbeddingType = (typeof RUNTIME_EMBEDDING_TYPES)[number];
