// Ollama's model options as /api/chat takes them. The ModelConfig holds them as strings (spec.ollama.options); Ollama
// refuses a string where its option is a number, a boolean or a list, so each known option is typed first, as kagent
// does from the ollama Python SDK's Options class. Unknown keys pass as strings (Ollama ignores options it does not
// know, with a warning in its log). A value that cannot be typed is a startup error naming `options.<key>`.
import type { Options } from 'ollama';
import type { ModelConfig } from '../../contract/config.js';

type Kind = 'int' | 'float' | 'bool' | 'strings';

/** The type of each Ollama option: the ollama SDKs' Options (ints and floats told apart as in the Python SDK's). */
const OPTION_KINDS = {
  numa: 'bool',
  num_ctx: 'int',
  num_batch: 'int',
  num_gpu: 'int',
  main_gpu: 'int',
  low_vram: 'bool',
  f16_kv: 'bool',
  logits_all: 'bool',
  vocab_only: 'bool',
  use_mmap: 'bool',
  use_mlock: 'bool',
  embedding_only: 'bool',
  num_thread: 'int',
  num_keep: 'int',
  seed: 'int',
  num_predict: 'int',
  top_k: 'int',
  top_p: 'float',
  min_p: 'float',
  tfs_z: 'float',
  typical_p: 'float',
  repeat_last_n: 'int',
  temperature: 'float',
  repeat_penalty: 'float',
  presence_penalty: 'float',
  frequency_penalty: 'float',
  mirostat: 'int',
  mirostat_tau: 'float',
  mirostat_eta: 'float',
  penalize_newline: 'bool',
  stop: 'strings',
} as const satisfies Record<keyof Options, Kind>;

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const PARSE: Record<Kind, (raw: string) => unknown> = {
  int: (raw) => (INT.test(raw.trim()) && Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined),
  float: (raw) => (FLOAT.test(raw.trim()) && Number.isFinite(Number(raw)) ? Number(raw) : undefined),
  bool: (raw) => ({ true: true, false: false })[raw.trim().toLowerCase()],
  // A JSON array of strings, or one stop string.
  strings: (raw) => {
    if (!raw.trim().startsWith('[')) return [raw];
    try {
      const list: unknown = JSON.parse(raw);
      return Array.isArray(list) && list.every((s) => typeof s === 'string') ? list : undefined;
    } catch {
      return undefined;
    }
  },
};

const EXPECTED: Record<Kind, string> = {
  int: 'an integer',
  float: 'a number',
  bool: 'true or false',
  strings: 'a string or a JSON array of strings',
};

/** The user's options typed for Ollama; throws naming `options.<key>` when a value is not of its option's type. */
export function typedOptions(options: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    const kind = (OPTION_KINDS as Record<string, Kind>)[key];
    if (typeof value !== 'string') throw new Error(`options.${key}: must be a string, got ${typeof value}`);
    if (!kind) {
      out[key] = value;
      continue;
    }
    const typed = PARSE[kind](value);
    if (typed === undefined)
      throw new Error(`options.${key}: must be ${EXPECTED[kind]} (Ollama's ${key}), got ${JSON.stringify(value)}`);
    out[key] = typed;
  }
  return out;
}

/** config.json's generic sampling fields under their Ollama option names (the OpenAI-compatible /v1 maps them so). */
const COMMON: ReadonlyArray<[keyof ModelConfig, keyof Options]> = [
  ['temperature', 'temperature'],
  ['top_p', 'top_p'],
  ['top_k', 'top_k'],
  ['seed', 'seed'],
  ['frequency_penalty', 'frequency_penalty'],
  ['presence_penalty', 'presence_penalty'],
  ['max_completion_tokens', 'num_predict'],
  ['max_tokens', 'num_predict'],
  ['stop_sequences', 'stop'],
];

/** Every option of one /api/chat call: the generic fields, then `options` (Ollama's own spelling wins). */
export function ollamaOptions(cfg: ModelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of COMMON) if (cfg[from] !== undefined && cfg[from] !== null) out[to] = cfg[from];
  return { ...out, ...typedOptions(cfg.options) };
}

/** kagent's reasoning_effort as Ollama's `think` (what its /v1 does with it): none turns thinking off. */
export function thinkOf(cfg: ModelConfig): boolean | 'low' | 'medium' | 'high' | undefined {
  const effort = cfg.reasoning_effort;
  if (effort === undefined || effort === null || effort === '') return undefined;
  if (effort === 'none') return false;
  if (effort === 'low' || effort === 'medium' || effort === 'high') return effort;
  throw new Error(`reasoning_effort: Ollama takes none, low, medium or high, got ${JSON.stringify(effort)}`);
}
