// The config.json contract between the sync hook (writer) and the runtime (reader): every key the writer can produce
// is read somewhere in runtime/ (or listed below, with the reason and where it is reported), and every `config` of
// kagent's golden outputs loads in the runtime's loader. The writer's keys come from rendering every conformance case
// and, per model provider, a ModelConfig with every field of its block set (built from the schema in crds/).
import { readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KINDS, validate } from '../../crds/index.js';
import { PROVIDER_FIELDS, PROVIDERS } from '../../crds/schema/modelconfig.js';
import type { Schema } from '../../crds/schema/builders.js';
import { loadConfig } from '../../runtime/config/load.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { cases, loadCase, runCase, type CaseInput } from '../conformance/harness.js';
import { writeConfigDir } from '../runtime/helpers.js';
import { render as renderFull, SCENARIOS as FULL_SCENARIOS } from '../fixtures/full-scenarios.js';

const OUTPUTS = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/outputs/', import.meta.url));
const RUNTIME = fileURLToPath(new URL('../../runtime/', import.meta.url));

/**
 * Keys the writer produces that the runtime does not read, each with the reason. Every one is also reported to the
 * user (an UnsupportedFeatures condition and an admission warning, crds/unsupported.ts), so nothing is silently
 * dropped. Remove a row when the runtime starts reading the key.
 */
const WRITTEN_NOT_READ: Record<string, string> = {};

/** Keys whose values are maps of user data (header names, provider options), not contract keys. */
const USER_MAPS = new Set(['headers', 'options', 'additional_model_request_fields']);

/** Every key path of a JSON document: `.a.b`, `[]` for list items; not inside USER_MAPS. */
function keyPaths(v: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keyPaths(x, `${path}[]`, out);
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) {
      out.add(`${path}.${k}`);
      if (!USER_MAPS.has(k)) keyPaths(x, `${path}.${k}`, out);
    }
  return out;
}

/** A sample value for each field of a schema node (every optional field set). */
function sample(s: Schema, name: string): unknown {
  if (s.enum) return s.enum[0];
  if (s['x-kubernetes-preserve-unknown-fields']) return { sample: 1 };
  switch (s.type) {
    case 'object':
      if (s.properties) return Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, sample(p, k)]));
      return { sample: 'v' };
    case 'array':
      return [sample(s.items!, name)];
    case 'integer':
    case 'number':
      return 2;
    case 'boolean':
      return true;
    default:
      if (s.pattern?.includes('ns|us')) return '30s';
      // A whole top-k: Claude's top_k (AnthropicVertexAI's string topK) is an integer.
      if (name === 'topK') return '5';
      if (/temperature|topP|Penalty/i.test(name)) return '0.5';
      if (/url|endpoint|host/i.test(name)) return 'https://llm.example';
      return 'sample';
  }
}

/** An Agent and a ModelConfig of `provider` with every field of the provider's block set. */
function fullProviderCase(provider: (typeof PROVIDERS)[number]): CaseInput {
  const field = PROVIDER_FIELDS[provider];
  const block = sample(KINDS.ModelConfig.spec.properties![field]!, field) as Record<string, unknown>;
  if (provider === 'Foundry') delete block.endpointFrom; // exactly one of endpoint and endpointFrom
  if (provider === 'OpenAI') {
    delete block.maxTokens; // exclusive with maxCompletionTokens
    delete block.tokenExchange; // not supported: the Agent would not be reconciled, so nothing would be written
  }
  const ns = 'ns';
  const spec: Record<string, unknown> = { provider, model: 'm', [field]: block };
  if (provider !== 'Ollama') Object.assign(spec, { apiKeySecret: 'key', apiKeySecretKey: 'k' });
  const mc = { apiVersion: 'kagent.dev/v1alpha2', kind: 'ModelConfig', metadata: { name: 'mc', namespace: ns }, spec };
  expect(validate('ModelConfig', mc), provider).toEqual([]);
  const objects: KubeObject[] = [
    {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: ns },
      spec: { type: 'Declarative', declarative: { modelConfig: 'mc', systemMessage: 'x' } },
    },
    mc as KubeObject,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'key', namespace: ns }, data: { k: 'c2VjcmV0' } },
  ];
  return { targetObject: 'a', namespace: ns, objects };
}

function renderedConfig(input: CaseInput): unknown {
  return configOf(runCase(input));
}

function configOf(res: { children?: unknown }): unknown {
  const secret = Object.values((res.children ?? {}) as object)
    .flat()
    .find((o) => (o as KubeObject).kind === 'Secret' && (o as { data?: Record<string, string> }).data?.['config.json']);
  const data = (secret as { data?: Record<string, string> } | undefined)?.data?.['config.json'];
  return data === undefined ? undefined : JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
}

/**
 * The identifiers and string literals of runtime/'s sources (comments stripped): what the reader can look up. A key
 * whose name is nowhere in runtime/ is certainly never read; a name used there for something else passes unnoticed.
 * A USER_MAPS key is read as a whole (`.model.options`: runtime/models/ollama-options.ts types each entry), its
 * entries are the user's.
 */
function runtimeTokens(): Set<string> {
  const tokens = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
        for (const m of src.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) tokens.add(m[0]);
      }
    }
  };
  walk(RUNTIME);
  return tokens;
}

describe('config.json: the writer produces only keys the runtime reads', () => {
  const inputs: [string, CaseInput][] = [
    ...[...cases.required, ...Object.keys(cases.optional)].map((n): [string, CaseInput] => [n, loadCase(n).input]),
    ...PROVIDERS.map((p): [string, CaseInput] => [`every ${p} field`, fullProviderCase(p)]),
  ];
  const written = new Map<string, string>(); // key path -> first input that wrote it
  const unrendered: string[] = [];
  for (const [name, input] of inputs) {
    const config = renderedConfig(input);
    if (config === undefined) unrendered.push(name);
    for (const k of keyPaths(config)) if (!written.has(k)) written.set(k, name);
  }
  // The maximal fixtures (every field of every kind set, test/fixtures/full-objects.ts).
  for (const sc of FULL_SCENARIOS) {
    for (const k of keyPaths(configOf(renderFull(sc.agent, sc.objects))))
      if (!written.has(k)) written.set(k, `fixture "${sc.name}"`);
  }

  it('renders a config for every input', () => {
    // Only the providers metagent refuses (crds/unsupported.ts) write nothing.
    expect(unrendered).toEqual(['every SAPAICore field', 'every Foundry field']);
    expect(written.size).toBeGreaterThan(40);
    expect(written.has('.model.type')).toBe(true);
  });

  it('every key written is read by runtime/ (or listed with its reason)', () => {
    const tokens = runtimeTokens();
    const unread = [...written]
      .filter(([k]) => !tokens.has(k.slice(k.lastIndexOf('.') + 1)) && !(k in WRITTEN_NOT_READ))
      .map(([k, from]) => `${k} (written for ${from})`);
    expect(unread).toEqual([]);
    // A listed key the writer no longer produces, or the runtime now reads, is a stale row.
    const stale = Object.keys(WRITTEN_NOT_READ).filter(
      (k) => !written.has(k) || tokens.has(k.slice(k.lastIndexOf('.') + 1)),
    );
    expect(stale).toEqual([]);
  });
});

describe("kagent's golden configs load in the runtime's loader", () => {
  const files = readdirSync(OUTPUTS).filter((f) => f.endsWith('.json'));
  it.each(files)('%s', async (file) => {
    const out = JSON.parse(readFileSync(join(OUTPUTS, file), 'utf8')) as { config?: unknown; agentCard?: unknown };
    expect(out.config, file).toBeDefined();
    const dir = await writeConfigDir(out.config, out.agentCard);
    try {
      const loaded = await loadConfig(dir);
      expect(loaded.config).toEqual(out.config);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
