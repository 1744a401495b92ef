// The runtime's Prometheus metrics, in a registry of its own (lib/metrics.ts), so two runtimes in one process — as
// in the tests — never share or double-register series.
import { Counter, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../../lib/metrics.js';

export interface RuntimeMetrics {
  /** One A2A JSON-RPC / REST call, by method (`message/send`, `SendMessage`, ...) and outcome (`ok`, `error`, ...). */
  a2aRequest(method: string, outcome: string): void;
  /** A task that reached a final or interrupted state, by that state (`completed`, `failed`, `input-required`, ...). */
  taskDuration(seconds: number, state: string): void;
  /** Tokens one LLM call consumed and produced. */
  llmTokens(model: string, input: number, output: number): void;
  /** One tool call (MCP tool or remote agent), by outcome (`ok`, `error`, `timeout`, `rejected`, ...). */
  toolCall(tool: string, outcome: string, seconds: number): void;
  /** One embedding call (long-term memory's save_memory / load_memory), by model and outcome (`ok`, `error`). */
  embedding(model: string, outcome: string, seconds: number): void;
  /** An error worth alerting on, by kind (`llm`, `tool`, `store`, `internal`, ...). */
  error(kind: string): void;
}

export const METRIC_PREFIX = 'metagent_runtime_';

/** Task durations span seconds to many minutes (tool loops, human approval). */
const TASK_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
/** Tool calls are usually sub-second to tens of seconds. */
const TOOL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createRuntimeMetrics(registry: Registry): RuntimeMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: `${METRIC_PREFIX}a2a_requests_total`,
    help: 'A2A requests served, by protocol method and outcome.',
    labelNames: ['method', 'outcome'] as const,
    registers,
  });
  const tasks = new Histogram({
    name: `${METRIC_PREFIX}task_duration_seconds`,
    help: 'Time from a task being accepted to it reaching a final or interrupted state, by that state.',
    labelNames: ['state'] as const,
    buckets: TASK_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: `${METRIC_PREFIX}llm_tokens_total`,
    help: 'LLM tokens, by model and type (input or output), as reported by the provider.',
    labelNames: ['model', 'type'] as const,
    registers,
  });
  const toolCalls = new Counter({
    name: `${METRIC_PREFIX}tool_calls_total`,
    help: 'Tool calls (MCP tools and remote agents), by tool and outcome.',
    labelNames: ['tool', 'outcome'] as const,
    registers,
  });
  const toolSeconds = new Histogram({
    name: `${METRIC_PREFIX}tool_call_duration_seconds`,
    help: 'Tool call latency, by tool.',
    labelNames: ['tool'] as const,
    buckets: TOOL_BUCKETS,
    registers,
  });
  const embeddings = new Counter({
    name: `${METRIC_PREFIX}embedding_requests_total`,
    help: 'Embedding calls of long-term memory, by model and outcome.',
    labelNames: ['model', 'outcome'] as const,
    registers,
  });
  const embeddingSeconds = new Histogram({
    name: `${METRIC_PREFIX}embedding_duration_seconds`,
    help: 'Embedding call latency (retries included), by model.',
    labelNames: ['model'] as const,
    buckets: TOOL_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: `${METRIC_PREFIX}errors_total`,
    help: 'Errors, by kind.',
    labelNames: ['kind'] as const,
    registers,
  });

  // Negative or non-finite values would corrupt a counter or histogram; a provider that omits usage reports nothing.
  const count = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
  const seconds = (s: number) => (Number.isFinite(s) && s >= 0 ? s : 0);

  return {
    a2aRequest: (method, outcome) => requests.inc({ method, outcome }),
    taskDuration: (s, state) => tasks.observe({ state }, seconds(s)),
    llmTokens(model, input, output) {
      tokens.inc({ model, type: 'input' }, count(input));
      tokens.inc({ model, type: 'output' }, count(output));
    },
    toolCall(tool, outcome, s) {
      toolCalls.inc({ tool, outcome });
      toolSeconds.observe({ tool }, seconds(s));
    },
    embedding(model, outcome, s) {
      embeddings.inc({ model, outcome });
      embeddingSeconds.observe({ model }, seconds(s));
    },
    error: (kind) => errors.inc({ kind }),
  };
}

/** A fresh registry with the runtime's metrics and prom-client's default process metrics (CPU, RSS, heap, GC, ...). */
export function createRegistry(serviceName: string): { registry: Registry; metrics: RuntimeMetrics } {
  const registry = createMetricsRegistry({ labels: { service: serviceName }, processMetricsPrefix: '' });
  return { registry, metrics: createRuntimeMetrics(registry) };
}
