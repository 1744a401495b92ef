// Embeddings over the model HTTP stack: the OpenAI `/embeddings` wire format (OpenAI, Azure OpenAI, Ollama's /v1,
// Google's OpenAI-compatible Gemini endpoint) through the same undici client the chat models use (chat-client.ts:
// TLS options, redirects, content encodings, errors with the HTTP `status`, a key echoed back masked), and the
// runtime's retry policy (429, 408, 5xx and network failures retried with backoff and jitter, a deadline per attempt).
import { ChatCompletionsClient, type ChatClientOptions } from '../models/chat-client.js';
import type { ModelHttp } from '../models/http.js';
import { withRetry, type RetryPolicy } from '../models/retry.js';
import type { EmbeddingConfig, Embedder, EmbeddingPurpose } from './types.js';
import { MEMORY_DIMENSIONS } from './vectors.js';

interface EmbeddingsResponse {
  data?: Array<{ embedding?: unknown; index?: number }>;
  usage?: { prompt_tokens?: number } | null;
}

export interface OpenAiEmbedderOptions {
  provider: string;
  url: URL;
  apiKey: string;
  keyHeader?: ChatClientOptions['keyHeader'];
  /** Whether a caller's key (api_key_passthrough) replaces the configured one; Ollama has no key. */
  passthrough?: boolean;
  /** A fresh key per call (a Google access token), used when the caller gave none. */
  key?: () => Promise<string>;
}

/** One OpenAI-compatible `/embeddings` endpoint. Asks for 768 dimensions, as kagent does. */
export class OpenAiEmbedder implements Embedder {
  private readonly client: ChatCompletionsClient;

  constructor(
    readonly model: string,
    http: ModelHttp,
    private readonly o: OpenAiEmbedderOptions,
  ) {
    // The chat client is a JSON POST client with the provider conventions; only the URL makes it an embeddings call.
    this.client = new ChatCompletionsClient({
      url: o.url.href,
      apiKey: o.apiKey,
      keyHeader: o.keyHeader ?? 'authorization',
      connect: http.connect,
    });
  }

  get provider(): string {
    return this.o.provider;
  }

  async embed(
    texts: string[],
    signal: AbortSignal,
    apiKey?: string,
  ): Promise<{ vectors: number[][]; inputTokens: number }> {
    const key = (this.o.passthrough !== false && apiKey) || (this.o.key ? await this.o.key() : undefined);
    const body = { model: this.model, input: texts, dimensions: MEMORY_DIMENSIONS, encoding_format: 'float' };
    const res = (await this.client.create(body, signal, key)) as unknown as EmbeddingsResponse;
    const data = Array.isArray(res.data) ? res.data : undefined;
    if (!data || data.length !== texts.length) {
      throw Object.assign(
        new Error(`the embeddings response holds ${data ? data.length : 'no'} vectors for ${texts.length} input(s)`),
        { kind: 'response' },
      );
    }
    // `index` says which input a vector belongs to; servers that omit it answer in order.
    const ordered = data.every((d) => typeof d.index === 'number')
      ? [...data].sort((a, b) => a.index! - b.index!)
      : data;
    return { vectors: ordered.map((d) => d.embedding as number[]), inputTokens: res.usage?.prompt_tokens ?? 0 };
  }
}

/** The embedder's call with the runtime's retry policy (retry.ts); the error names the provider and model, never the texts. */
export function embedWithRetry(
  embedder: Embedder,
  texts: string[],
  signal: AbortSignal,
  policy: RetryPolicy,
  apiKey?: string,
  onRetry?: (attempt: number, err: unknown) => void,
  purpose: EmbeddingPurpose = 'document',
): Promise<{ vectors: number[][]; inputTokens: number }> {
  return withRetry(
    `embedding call to ${embedder.provider}/${embedder.model}`,
    (attemptSignal) => embedder.embed(texts, attemptSignal, apiKey, purpose),
    signal,
    policy,
    onRetry,
  );
}

export type EmbedderFactory = (cfg: EmbeddingConfig, env: NodeJS.ProcessEnv, http: ModelHttp) => Embedder;
