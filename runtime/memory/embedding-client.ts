// Embeddings in the OpenAI `/embeddings` wire format (OpenAI, Azure OpenAI, Ollama's /v1, Google's OpenAI-compatible
// Gemini endpoint) through the openai SDK over the model HTTP stack (models/openai-client.ts: TLS options, errors
// with the HTTP `status` and Retry-After, a key echoed back masked), and the runtime's one retry policy (retry.ts).
import type OpenAI from 'openai';
import type { ModelHttp } from '../models/http.js';
import { keyHeaders, openAiClient, openAiFailure, type OpenAiClientOptions } from '../models/openai-client.js';
import { withRetry, type RetryPolicy } from '../models/retry.js';
import type { EmbeddingConfig, Embedder, EmbeddingPurpose } from './types.js';
import { MEMORY_DIMENSIONS } from './vectors.js';

interface EmbeddingsResponse {
  data?: Array<{ embedding?: unknown; index?: number }>;
  usage?: { prompt_tokens?: number } | null;
}

export interface OpenAiEmbedderOptions {
  provider: string;
  /** The API base the SDK appends /embeddings to (for Azure, the resource base). */
  baseURL: string;
  apiKey: string;
  azure?: OpenAiClientOptions['azure'];
  /** Whether a caller's key (api_key_passthrough) replaces the configured one; Ollama has no key. */
  passthrough?: boolean;
}

/** One OpenAI-compatible `/embeddings` endpoint. Asks for 768 dimensions, as kagent does. */
export class OpenAiEmbedder implements Embedder {
  private readonly client: OpenAI;

  constructor(
    readonly model: string,
    http: ModelHttp,
    private readonly o: OpenAiEmbedderOptions,
  ) {
    this.client = openAiClient(http, { apiKey: o.apiKey, baseURL: o.baseURL, azure: o.azure });
  }

  get provider(): string {
    return this.o.provider;
  }

  async embed(
    texts: string[],
    signal: AbortSignal,
    apiKey?: string,
  ): Promise<{ vectors: number[][]; inputTokens: number }> {
    const key = this.o.passthrough !== false && apiKey ? apiKey : undefined;
    let res: EmbeddingsResponse;
    try {
      res = (await this.client.embeddings.create(
        { model: this.model, input: texts, dimensions: MEMORY_DIMENSIONS, encoding_format: 'float' },
        { signal, headers: keyHeaders(!!this.o.azure, key) },
      )) as unknown as EmbeddingsResponse;
    } catch (err) {
      throw openAiFailure(err, signal, [key, this.o.apiKey], this.o.baseURL);
    }
    const data = res && Array.isArray(res.data) ? res.data : undefined;
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
