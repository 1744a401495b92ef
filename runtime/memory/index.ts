// Long-term memory (kagent's `memory` in config.json) without kagent's controller: the model gets save_memory and
// load_memory; texts are embedded with the configured embedding model (fitted to 768 dimensions, L2-normalised) and
// kept in the runtime's own store (METAGENT_STORE: memory, SQLite or PostgreSQL), per agent scope and user, with
// memory.ttl_days as their expiry. Nothing here logs a memory's text, a query or a key.
import { SpanKind, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Telemetry } from '../telemetry/index.js';
import { llmRequestAttributes, llmUsageAttributes, GEN_AI_OPERATION, withSpan } from '../telemetry/index.js';
import type { RuntimeSettings } from '../settings.js';
import type { Tool } from '../tools/types.js';
import { ConfigError } from '../../contract/validate.js';
import { memoryConfigOf } from './config.js';
import { embedWithRetry } from './embedding-client.js';
import { createEmbedder } from './registry.js';
import { pastConversationsInstruction } from './prefetch.js';
import { memoryTools } from './tools.js';
import type { Embedder, EmbeddingPurpose, MemoryConfig, MemoryHit, MemoryStore } from './types.js';
import { fitVector } from './vectors.js';

export { memoryConfigOf } from './config.js';
export { embeddingProviders, createEmbedder } from './registry.js';
export type { MemoryConfig, MemoryStore } from './types.js';

/** kagent's search: the 5 best memories scoring at least 0.3. */
export const SEARCH_LIMIT = 5;
export const MIN_SCORE = 0.3;
const DAY_MS = 86_400_000;
/** kagent's default memory lifetime (ttlDays unset or 0). */
export const DEFAULT_TTL_DAYS = 15;
/** Expired memories are never returned; the sweep only reclaims their rows, so hourly is plenty. */
const SWEEP_INTERVAL_MS = 3_600_000;
const FIRST_SWEEP_DELAY_MS = 5_000;

/** Who is calling, for one task: the memories are theirs. */
export interface MemoryCaller {
  userId: string;
  /** The caller's bearer token (used as the embedding key only with memory.embedding.api_key_passthrough). */
  bearer?: string;
  /** The task's span: embedding calls are traced under it. */
  span?: Span;
}

export interface Memory {
  readonly config: MemoryConfig;
  readonly embedder: Embedder;
  /** save_memory and load_memory, bound to one caller. */
  tools(caller: MemoryCaller): Tool[];
  /**
   * kagent's prefetch: the instruction holding the caller's memories closest to a conversation's first message, or
   * undefined when none come close. A failure is logged (without the text) and yields undefined: the turn goes on.
   */
  prefetch(firstMessage: string, caller: MemoryCaller, signal: AbortSignal): Promise<string | undefined>;
  /** Saves each fact as one of the caller's memories (kagent's automatic save); resolves to how many were saved. */
  saveFacts(facts: readonly string[], caller: MemoryCaller, signal: AbortSignal): Promise<number>;
  /** Stops the sweep timer (waits for a sweep in progress). */
  close(): Promise<void>;
}

export interface MemoryDeps {
  file: string;
  env: NodeJS.ProcessEnv;
  store: MemoryStore | undefined;
  telemetry: Telemetry;
  settings: RuntimeSettings;
  log: Logger;
  now?: () => number;
}

/** Memory for config.json's `memory` block, or undefined when there is none; a bad block is a ConfigError. */
export async function createMemory(raw: unknown, deps: MemoryDeps): Promise<Memory | undefined> {
  const config = memoryConfigOf(raw, deps.file);
  if (!config) return undefined;
  const embedder = await createEmbedder(config.embedding, deps.env, deps.file);
  const store = deps.store;
  if (!store) throw new ConfigError(deps.file, 'memory', 'the configured METAGENT_STORE backend has no memory table');
  const { telemetry, settings, log } = deps;
  const now = deps.now ?? Date.now;
  // kagent's memory API keeps memories 15 days unless the Agent sets ttlDays.
  const ttlMs = (config.ttl_days ?? DEFAULT_TTL_DAYS) * DAY_MS;
  const policy = {
    maxRetries: settings.llmMaxRetries,
    baseDelayMs: settings.llmRetryBaseMs,
    timeoutMs: settings.llmTimeoutMs,
  };

  const embed = (
    text: string,
    caller: MemoryCaller,
    signal: AbortSignal,
    purpose: EmbeddingPurpose,
  ): Promise<Float32Array> =>
    withSpan(
      telemetry.tracer,
      `${GEN_AI_OPERATION.embeddings} ${embedder.model}`,
      {
        attributes: llmRequestAttributes({
          provider: embedder.provider,
          model: embedder.model,
          operation: GEN_AI_OPERATION.embeddings,
        }),
        parent: caller.span,
        kind: SpanKind.CLIENT,
      },
      async (span) => {
        const started = performance.now();
        const apiKey = config.embedding.api_key_passthrough ? caller.bearer : undefined;
        try {
          const { vectors, inputTokens } = await embedWithRetry(
            embedder,
            [text],
            signal,
            policy,
            apiKey,
            (attempt, err) => {
              telemetry.metrics.error('embedding_retry');
              log.warn({ attempt, err: (err as Error)?.message?.slice(0, 300) }, 'embedding call failed; retrying');
            },
            purpose,
          );
          const vector = fitVector(vectors[0]);
          span.setAttributes(llmUsageAttributes({ inputTokens }));
          telemetry.metrics.llmTokens(embedder.model, inputTokens, 0);
          telemetry.metrics.embedding(embedder.model, 'ok', (performance.now() - started) / 1000);
          return vector;
        } catch (err) {
          if (!signal.aborted) {
            telemetry.metrics.embedding(embedder.model, 'error', (performance.now() - started) / 1000);
            telemetry.metrics.error('embedding');
          }
          throw err;
        }
      },
    );

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  const tick = () => {
    sweeping = store
      .sweep(now())
      .then((n) => n > 0 && log.info({ deletedMemories: n }, 'memory sweep deleted expired memories'))
      .catch((err) => log.warn({ err: (err as Error).message }, 'memory sweep failed; retrying at the next tick'))
      .finally(() => {
        if (!stopped) (timer = setTimeout(tick, SWEEP_INTERVAL_MS)).unref();
      });
  };
  (timer = setTimeout(tick, FIRST_SWEEP_DELAY_MS)).unref();

  const save = async (content: string, caller: MemoryCaller, signal: AbortSignal): Promise<void> => {
    const vector = await embed(content, caller, signal, 'document');
    const createdAt = now();
    await store.add(caller.userId, { content, vector, createdAt, expiresAt: createdAt + ttlMs });
  };
  const search = async (query: string, caller: MemoryCaller, signal: AbortSignal): Promise<MemoryHit[]> => {
    const vector = await embed(query, caller, signal, 'query');
    return store.search(caller.userId, vector, { limit: SEARCH_LIMIT, minScore: MIN_SCORE, now: now() });
  };

  return {
    config,
    embedder,
    async prefetch(firstMessage, caller, signal) {
      if (!firstMessage.trim()) return undefined;
      try {
        return pastConversationsInstruction(await search(firstMessage, caller, signal));
      } catch (err) {
        if (!signal.aborted)
          log.warn(
            { err: (err as Error)?.message?.slice(0, 300) },
            'memory prefetch failed; the turn goes on without it',
          );
        return undefined;
      }
    },
    async saveFacts(facts, caller, signal) {
      for (const fact of facts) await save(fact, caller, signal);
      return facts.length;
    },
    tools: (caller) =>
      memoryTools(
        {
          save: (content, signal) => save(content, caller, signal),
          search: (query, signal) => search(query, caller, signal),
        },
        settings.toolTimeoutMs,
      ),
    async close() {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
    },
  };
}
