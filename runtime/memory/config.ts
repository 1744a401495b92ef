// config.json's `memory` block, checked at startup: every problem is a ConfigError naming `memory.<field>`, so a
// broken Secret is diagnosable from the pod's one log line. Absent, null or false: no memory.
import { ConfigError } from '../../contract/validate.js';
import type { MemoryConfig } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The validated memory config, or undefined when the agent has none. */
export function memoryConfigOf(raw: unknown, file = 'config.json'): MemoryConfig | undefined {
  if (raw === undefined || raw === null || raw === false) return undefined;
  if (!isObject(raw)) throw new ConfigError(file, 'memory', 'must be an object');
  const embedding = raw.embedding;
  if (embedding === undefined || embedding === null) throw new ConfigError(file, 'memory.embedding', 'is required');
  if (!isObject(embedding)) throw new ConfigError(file, 'memory.embedding', 'must be an object');
  for (const field of ['provider', 'model'] as const) {
    const v = embedding[field];
    if (v === undefined || v === null) throw new ConfigError(file, `memory.embedding.${field}`, 'is required');
    if (typeof v !== 'string' || !v.trim())
      throw new ConfigError(file, `memory.embedding.${field}`, 'must be a non-empty string');
  }
  if (embedding.base_url !== undefined && embedding.base_url !== null && typeof embedding.base_url !== 'string') {
    throw new ConfigError(file, 'memory.embedding.base_url', 'must be a string');
  }
  if (
    embedding.api_key_passthrough !== undefined &&
    embedding.api_key_passthrough !== null &&
    typeof embedding.api_key_passthrough !== 'boolean'
  ) {
    throw new ConfigError(file, 'memory.embedding.api_key_passthrough', 'must be a boolean');
  }
  const ttl = raw.ttl_days;
  if (ttl !== undefined && ttl !== null && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)) {
    throw new ConfigError(file, 'memory.ttl_days', 'must be a number of days, 0 or more');
  }
  return {
    embedding: {
      ...embedding,
      provider: embedding.provider as string,
      model: embedding.model as string,
      // kagent writes "" for an unset base_url.
      base_url:
        typeof embedding.base_url === 'string' && embedding.base_url.trim() ? embedding.base_url.trim() : undefined,
      api_key_passthrough: embedding.api_key_passthrough === true,
    },
    ...(typeof ttl === 'number' && ttl > 0 ? { ttl_days: ttl } : {}),
  };
}
