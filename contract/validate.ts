// Checks a parsed config.json and agent-card.json. Every problem names the file and the field, so a broken Secret is
// diagnosable from the pod's log line alone. Pure: the runtime reads the files (runtime/config/load.ts), the CLI and
// tests validate what they built.
import type { AgentCardJson, AgentConfig } from './config.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ConfigError';
  }
}

type Check = (value: unknown) => string | undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');
const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean');
const strList: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'must be a list of strings';
const strMap: Check = (v) =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string') ? undefined : 'must be a map of strings';
const nonEmpty: Check = (v) => str(v) ?? ((v as string).trim() ? undefined : 'must not be empty');
const url: Check = (v) => {
  const bad = nonEmpty(v);
  if (bad) return bad;
  try {
    const u = new URL(v as string);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'must be an http(s) URL';
  } catch {
    return 'must be a valid URL';
  }
};

const positive: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'must be a number of seconds above 0';

const positiveInt: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 1 ? undefined : 'must be a whole number of at least 1';

/** Field checks: [field, check, required]. Tables keep the rules readable and the messages uniform. */
type Rules = Array<[string, Check, boolean]>;

const modelRules: Rules = [
  ['type', nonEmpty, true],
  ['model', str, true],
  ['base_url', str, false],
  ['headers', strMap, false],
  ['max_tokens', num, false],
  ['temperature', num, false],
  ['top_p', num, false],
  ['top_k', num, false],
  ['stop_sequences', strList, false],
  ['candidate_count', positiveInt, false],
  ['response_mime_type', nonEmpty, false],
  ['frequency_penalty', num, false],
  ['presence_penalty', num, false],
  ['seed', num, false],
  ['timeout', num, false],
  ['read_timeout', positive, false],
  ['connect_timeout', positive, false],
  ['reasoning_effort', str, false],
  ['tls_insecure_skip_verify', bool, false],
  ['tls_disable_verify', bool, false],
  ['tls_ca_cert_path', str, false],
  ['tls_disable_system_cas', bool, false],
  ['api_key_passthrough', bool, false],
];
const mcpParamRules: Rules = [
  ['url', url, true],
  ['headers', strMap, false],
  ['timeout', num, false],
  ['sse_read_timeout', num, false],
  ['terminate_on_close', bool, false],
  ['service_account_token_path', nonEmpty, false],
  ['tls_insecure_skip_verify', bool, false],
  ['tls_disable_verify', bool, false],
  ['tls_ca_cert_path', nonEmpty, false],
  ['tls_disable_system_cas', bool, false],
];
const countInt: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 0 ? undefined : 'must be a whole number of at least 0';
/** kagent's context_config.compaction (ADK's EventsCompactionConfig); summarizer_model is checked as a model. */
const compactionRules: Rules = [
  ['compaction_interval', positiveInt, false],
  ['overlap_size', countInt, false],
  ['token_threshold', positiveInt, false],
  ['event_retention_size', countInt, false],
  ['prompt_template', str, false],
];
const remoteAgentRules: Rules = [
  ['name', nonEmpty, true],
  ['url', url, true],
  ['headers', strMap, false],
  ['timeout', num, false],
  ['description', str, false],
  ['isolate_sessions', bool, false],
];

function applyRules(file: string, path: string, obj: unknown, rules: Rules): void {
  if (!isObject(obj)) throw new ConfigError(file, path, 'must be an object');
  for (const [field, check, required] of rules) {
    const value = obj[field];
    const at = path ? `${path}.${field}` : field;
    if (value === undefined || value === null) {
      if (required) throw new ConfigError(file, at, 'is required');
      continue;
    }
    const problem = check(value);
    if (problem) throw new ConfigError(file, at, problem);
  }
}

function checkList(file: string, path: string, value: unknown, each: (item: unknown, at: string) => void): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw new ConfigError(file, path, 'must be a list');
  value.forEach((item, i) => each(item, `${path}[${i}]`));
}

/** Validates a parsed config.json; returns it typed. Pure, so the CLI, tests and `metagent run` share it. */
export function validateAgentConfig(raw: unknown, file = 'config.json'): AgentConfig {
  applyRules(file, '', raw, [
    ['description', str, false],
    ['instruction', str, false],
    ['stream', bool, false],
    ['execute_code', bool, false],
    ['share_tools', bool, false],
  ]);
  const obj = raw as Record<string, unknown>;
  if (!('model' in obj)) throw new ConfigError(file, 'model', 'is required (null for a BYO agent)');
  if (obj.model !== null) applyRules(file, 'model', obj.model, modelRules);
  for (const key of ['http_tools', 'sse_tools'] as const) {
    checkList(file, key, obj[key], (item, at) => {
      applyRules(file, at, item, [
        ['tools', strList, false],
        ['require_approval', strList, false],
        ['allowed_headers', strList, false],
      ]);
      applyRules(file, `${at}.params`, (item as Record<string, unknown>).params, mcpParamRules);
    });
  }
  checkList(file, 'remote_agents', obj.remote_agents, (item, at) => applyRules(file, at, item, remoteAgentRules));
  if (obj.context_config !== undefined && obj.context_config !== null) {
    applyRules(file, 'context_config', obj.context_config, []);
    // applyRules refuses a compaction that is not an object, naming context_config.compaction.
    const compaction = (obj.context_config as Record<string, unknown>).compaction;
    if (compaction !== undefined && compaction !== null) {
      applyRules(file, 'context_config.compaction', compaction, compactionRules);
      const summarizer = (compaction as Record<string, unknown>).summarizer_model;
      if (summarizer !== undefined && summarizer !== null)
        applyRules(file, 'context_config.compaction.summarizer_model', summarizer, modelRules);
    }
  }
  return {
    ...(obj as unknown as AgentConfig),
    description: typeof obj.description === 'string' ? obj.description : '',
    instruction: typeof obj.instruction === 'string' ? obj.instruction : '',
  };
}

export function validateAgentCard(raw: unknown, file = 'agent-card.json'): AgentCardJson {
  applyRules(file, '', raw, [
    ['name', nonEmpty, true],
    ['description', str, false],
    ['version', str, false],
  ]);
  const card = raw as Record<string, unknown>;
  checkList(file, 'supportedInterfaces', card.supportedInterfaces, (item, at) =>
    applyRules(file, at, item, [
      ['url', str, true],
      ['protocolBinding', str, false],
      ['protocolVersion', str, false],
    ]),
  );
  return card as AgentCardJson;
}
