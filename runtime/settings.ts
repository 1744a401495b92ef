// Runtime knobs that are not part of kagent's config.json, read once from the environment at startup.
// Each has a default that suits a pod; tests shorten the timings.

export interface RuntimeSettings {
  /** KAGENT_NAME / KAGENT_NAMESPACE: the Agent this pod serves (for logs and spans). */
  agentName: string;
  agentNamespace: string;
  /** METAGENT_MAX_ITERATIONS: model→tools rounds per task before it stops (default 25). */
  maxIterations: number;
  /** METAGENT_LLM_TIMEOUT_SECONDS: per LLM call, unless model.timeout is set (default 120). */
  llmTimeoutMs: number;
  /**
   * METAGENT_TASK_TIMEOUT_SECONDS: the deadline of a task's model calls, counted from the task's start: no LLM attempt
   * runs and no retry waits (a provider's Retry-After included) past it (default 3600).
   */
  taskTimeoutMs: number;
  /** METAGENT_LLM_MAX_RETRIES: retries of a 429/5xx/network failure (default 3). */
  llmMaxRetries: number;
  /** METAGENT_LLM_RETRY_BASE_MS: first backoff, doubled each retry, with jitter (default 500). */
  llmRetryBaseMs: number;
  /** METAGENT_TOOL_TIMEOUT_SECONDS: per tool call, unless the MCP server's sse_read_timeout is set (default 300). */
  toolTimeoutMs: number;
  /** METAGENT_MCP_RECONNECT_BASE_MS / _MAX_MS: backoff while an MCP server is unreachable (default 1000 / 30000). */
  mcpReconnectBaseMs: number;
  mcpReconnectMaxMs: number;
  /** METAGENT_SHUTDOWN_GRACE_SECONDS: how long SIGTERM waits for in-flight tasks before cancelling them (default 20). */
  shutdownGraceMs: number;
  /** METAGENT_MAX_BODY_BYTES: largest accepted request body (default 1 MiB). */
  maxBodyBytes: number;
  /** METAGENT_MEMORY_MAX_TASKS: finished tasks the in-memory store keeps, least recently written dropped first (10000). */
  memoryMaxTasks: number;
  /** METAGENT_MEMORY_MAX_CONTEXTS: conversations the in-memory store keeps, least recently used dropped first (10000). */
  memoryMaxContexts: number;
  /**
   * METAGENT_STORE_RETENTION_DAYS (fractions allowed): the SQLite and PostgreSQL stores delete finished tasks and idle
   * conversations older than this; unset keeps everything. The memory store ignores it (it is bounded by count).
   */
  storeRetentionMs: number | undefined;
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`environment variable ${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function atLeastOne(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = Math.floor(num(env, name, fallback));
  if (n < 1) throw new Error(`environment variable ${name} must be at least 1, got "${env[name]}"`);
  return n;
}

/** A positive number of days as ms; unset or empty is undefined. */
function days(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Number(raw) * 86_400_000;
  if (!Number.isFinite(ms) || ms <= 0)
    throw new Error(`environment variable ${name} must be a positive number of days (fractions allowed), got "${raw}"`);
  return ms;
}

export function readSettings(env: NodeJS.ProcessEnv): RuntimeSettings {
  return {
    agentName: env.KAGENT_NAME ?? '',
    agentNamespace: env.KAGENT_NAMESPACE ?? '',
    maxIterations: Math.max(1, Math.floor(num(env, 'METAGENT_MAX_ITERATIONS', 25))),
    llmTimeoutMs: num(env, 'METAGENT_LLM_TIMEOUT_SECONDS', 120) * 1000,
    taskTimeoutMs: num(env, 'METAGENT_TASK_TIMEOUT_SECONDS', 3600) * 1000,
    llmMaxRetries: Math.floor(num(env, 'METAGENT_LLM_MAX_RETRIES', 3)),
    llmRetryBaseMs: num(env, 'METAGENT_LLM_RETRY_BASE_MS', 500),
    toolTimeoutMs: num(env, 'METAGENT_TOOL_TIMEOUT_SECONDS', 300) * 1000,
    mcpReconnectBaseMs: num(env, 'METAGENT_MCP_RECONNECT_BASE_MS', 1000),
    mcpReconnectMaxMs: num(env, 'METAGENT_MCP_RECONNECT_MAX_MS', 30_000),
    shutdownGraceMs: num(env, 'METAGENT_SHUTDOWN_GRACE_SECONDS', 20) * 1000,
    maxBodyBytes: Math.floor(num(env, 'METAGENT_MAX_BODY_BYTES', 1024 * 1024)),
    memoryMaxTasks: atLeastOne(env, 'METAGENT_MEMORY_MAX_TASKS', 10_000),
    memoryMaxContexts: atLeastOne(env, 'METAGENT_MEMORY_MAX_CONTEXTS', 10_000),
    storeRetentionMs: days(env, 'METAGENT_STORE_RETENTION_DAYS'),
  };
}
