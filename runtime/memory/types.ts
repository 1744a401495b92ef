// The contracts of long-term memory (kagent's `memory` in config.json): an embedding client that turns text into
// vectors, and a store of (text, vector) entries per agent scope and user that answers nearest-neighbour searches.

/** kagent's `memory` block as config.json carries it (kagent-adk's MemoryConfig / EmbeddingConfig). */
export interface MemoryConfig {
  embedding: EmbeddingConfig;
  /** Days a saved memory lives; absent or 0: it never expires (kagent: "the server default"). */
  ttl_days?: number;
}

export interface EmbeddingConfig {
  /** A ModelConfig type: openai, azure_openai, ollama, gemini, gemini_vertex_ai, bedrock. */
  provider: string;
  model: string;
  base_url?: string;
  /** The caller's `Authorization: Bearer` token becomes the embedding key (as with chat models). */
  api_key_passthrough?: boolean;
  [key: string]: unknown;
}

/** A text embedded to be stored, or to search with. */
export type EmbeddingPurpose = 'document' | 'query';

/** Turns texts into vectors of the model's native size (fitting them to 768 is the caller's, see vectors.ts). */
export interface Embedder {
  readonly provider: string;
  readonly model: string;
  /**
   * One vector per text, in order. Errors carry the HTTP `status` retries decide on (as ModelApiError does). `purpose`
   * tells a memory being saved from a search query, for the models that embed the two differently (Cohere).
   */
  embed(
    texts: string[],
    signal: AbortSignal,
    apiKey?: string,
    purpose?: EmbeddingPurpose,
  ): Promise<{ vectors: number[][]; inputTokens: number }>;
}

export interface NewMemory {
  content: string;
  /** Already fitted to the store's dimension and L2-normalised. */
  vector: Float32Array;
  /** Epoch ms when it is created (the store's clock when absent). */
  createdAt?: number;
  /** Epoch ms after which it is never returned and the sweep deletes it; undefined: never. */
  expiresAt?: number;
}

export interface MemoryHit {
  id: string;
  content: string;
  /** Cosine similarity to the query, -1..1. */
  score: number;
  createdAt: number;
}

export interface SearchOptions {
  limit: number;
  minScore: number;
  /** Entries with expiresAt <= now are skipped (default: the store's clock). */
  now?: number;
}

/** Saved memories of one agent (the store is opened for its scope), kept apart per user. */
export interface MemoryStore {
  /** Saves one memory for the user; resolves with its id once durable. */
  add(userId: string, memory: NewMemory): Promise<string>;
  /** The user's unexpired memories most similar to `vector` (score >= minScore), best first, at most `limit`. */
  search(userId: string, vector: Float32Array, opts: SearchOptions): Promise<MemoryHit[]>;
  /** Deletes this scope's expired memories (all users); resolves with how many went. */
  sweep(now?: number): Promise<number>;
}
