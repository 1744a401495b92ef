// Fields metagent accepts (so kagent YAML applies unchanged) but does not act on yet. The webhook turns each hit into
// an admission warning and the sync hooks into an UnsupportedFeatures condition — never a silent drop (DESIGN.md,
// decision 8). Keep this table small; remove a row in the same change that implements the feature.
import type { KindName } from './kinds.js';
import { joinPath } from './paths.js';

export interface UnsupportedRow {
  kind: KindName;
  /** A field path; `[*]` matches every element of an array. */
  path: string;
  /** Only a hit when this holds for the value (e.g. a flag that is true); default: the field is present. */
  when?: (value: unknown) => boolean;
  /** `when` in words, for the README's table (`true` for a flag). */
  whenText?: string;
  reason: string;
}

export const UNSUPPORTED: readonly UnsupportedRow[] = [
  {
    kind: 'Agent',
    path: 'spec.skills',
    // Fetched by kagent's skills-init container and their SKILL.md instructions loaded by the runtime; what is not
    // honoured is running a skill's scripts, which kagent does in a sandboxed bash tool.
    reason:
      'skills are fetched and their SKILL.md instructions loaded; their scripts are not run (no sandboxed bash tool)',
  },
  {
    kind: 'Agent',
    path: 'spec.declarative.executeCodeBlocks',
    when: (v) => v === true,
    whenText: 'true',
    reason: 'sandboxed code execution is not implemented (kagent ignores it too)',
  },
  {
    kind: 'Agent',
    path: 'spec.declarative.description',
    reason: 'not used; the agent description is spec.description',
  },
  {
    kind: 'Agent',
    path: 'spec.sandbox',
    reason: 'sandboxed execution is not implemented, so sandbox.network.allowedDomains restricts nothing',
  },
  ...(['declarative', 'byo'] as const).map((d): UnsupportedRow => ({
    kind: 'Agent',
    path: `spec.${d}.deployment.volumes[*].projected.sources[*].podCertificate.userAnnotations`,
    reason: 'a Kubernetes v1.35 field, written into the Deployment; an API server older than v1.35 drops it',
  })),
  {
    kind: 'Agent',
    path: 'spec.declarative.tools[*].agent.apiGroup',
    when: (v) => v !== 'kagent.dev' && v !== '',
    whenText: 'other than kagent.dev',
    reason: 'not checked: an Agent tool always names a kagent.dev Agent',
  },
  {
    kind: 'Agent',
    path: 'spec.declarative.promptTemplate.dataSources[*].apiGroup',
    when: (v) => v !== '',
    whenText: 'other than "" (core)',
    reason: 'not checked: a data source is always a core ConfigMap',
  },
  // ---- ModelConfig: fields no model client can send ----
  {
    kind: 'ModelConfig',
    path: 'spec.sapAICore',
    reason: 'the SAPAICore provider is not supported: Agents using this ModelConfig are not reconciled',
  },
  {
    kind: 'ModelConfig',
    path: 'spec.foundry',
    reason: 'the Foundry provider is not supported: Agents using this ModelConfig are not reconciled',
  },
  {
    kind: 'ModelConfig',
    path: 'spec.openAI.tokenExchange',
    reason: 'token exchange is not supported: Agents using this ModelConfig are not reconciled',
  },
];

interface Segment {
  key: string;
  each: boolean;
}
/** The table's paths split once, at load (the webhook checks every admitted object). */
const COMPILED = new Map<KindName, { row: UnsupportedRow; segments: Segment[] }[]>();
for (const row of UNSUPPORTED) {
  const segments = row.path
    .split('.')
    .map((part) => ({ key: part.replace(/\[\*\]$/, ''), each: part.endsWith('[*]') }));
  COMPILED.set(row.kind, [...(COMPILED.get(row.kind) ?? []), { row, segments }]);
}

/**
 * Reports every concrete path matching `segments` (from `i` on) below `node` for which the row's `when` holds, in
 * document order. The path string is built only for a hit: the webhook checks every admitted object, and most rows
 * either find nothing or (tools[*].mcpServer) find values that are not hits.
 */
function collect(
  row: UnsupportedRow,
  segments: Segment[],
  i: number,
  node: unknown,
  at: (string | number)[],
  out: { path: string; reason: string }[],
): void {
  if (i === segments.length) {
    if (!row.when || row.when(node)) out.push({ path: at.reduce<string>(joinPath, ''), reason: row.reason });
    return;
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const { key, each } = segments[i];
  const value = (node as Record<string, unknown>)[key];
  if (value === undefined || value === null) return;
  at.push(key);
  if (!each) collect(row, segments, i + 1, value, at, out);
  else if (Array.isArray(value)) {
    for (let j = 0; j < value.length; j++) {
      if (!(j in value)) continue; // holes are skipped, as forEach would
      at.push(j);
      collect(row, segments, i + 1, value[j], at, out);
      at.pop();
    }
  }
  at.pop();
}

/** The accepted-but-not-honoured fields present in obj, with the reason for each. */
export function describeUnsupported(kind: KindName, obj: unknown): { path: string; reason: string }[] {
  const out: { path: string; reason: string }[] = [];
  for (const { row, segments } of COMPILED.get(kind) ?? []) collect(row, segments, 0, obj, [], out);
  return out;
}

/** Field paths present in obj that metagent accepts but does not honour. */
export function unsupportedFields(kind: KindName, obj: unknown): string[] {
  return describeUnsupported(kind, obj).map((u) => u.path);
}
