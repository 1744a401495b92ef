// Defaults that depend on other fields, and normalisation: what a CRD's structural `default` cannot express (it
// applies whenever a field is missing, whatever its siblings say). The mutating webhook applies these after the
// structural defaults; without the webhook the objects are stored as written and the sync hooks read them the same
// way (test/unit/crds-conditional-defaults.test.ts renders every conformance case both ways). What they buy: the
// stored object says what metagent understood, and it is valid under kagent's own CRD too (kagent's enum has no
// `MCPServer` and its CEL rules need a tool type), so it can be moved back to a kagent cluster unchanged.
import type { KindName } from './kinds.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const unset = (v: unknown): boolean => v === undefined || v === '';

export interface ConditionalDefault {
  id: string;
  kind: KindName;
  /** The schema node each `apply` receives, as a field path with `[]` for "each item". */
  at: string;
  /** What is set, and on what condition (webhooks/README.md lists these). */
  description: string;
  /** The node with the default applied, or the same node when nothing applies (never changed in place). */
  apply(node: Obj): Obj;
}

const TOOLS = 'spec.declarative.tools[]';

export const CONDITIONAL_DEFAULTS: readonly ConditionalDefault[] = [
  {
    id: 'tool-type-from-subobject',
    kind: 'Agent',
    at: TOOLS,
    description: 'a tool without a type gets McpServer when it has mcpServer, Agent when it has agent',
    apply: (tool) => {
      if (!unset(tool.type)) return tool;
      const mcp = asObj(tool.mcpServer) !== undefined;
      const agent = asObj(tool.agent) !== undefined;
      if (mcp === agent) return tool; // neither or both: the rules refuse it
      return { ...tool, type: mcp ? 'McpServer' : 'Agent' };
    },
  },
  {
    id: 'tool-type-alias',
    kind: 'Agent',
    at: TOOLS,
    description: "a tool's type MCPServer (an alias in kagent's test data) becomes kagent's McpServer",
    apply: (tool) => (tool.type === 'MCPServer' ? { ...tool, type: 'McpServer' } : tool),
  },
  {
    id: 'mcp-server-kind',
    kind: 'Agent',
    at: `${TOOLS}.mcpServer`,
    description:
      "an mcpServer reference without kind and apiGroup names kmcp's MCPServer: kind MCPServer, apiGroup kagent.dev",
    apply: (ref) =>
      unset(ref.kind) && unset(ref.apiGroup) ? { ...ref, kind: 'MCPServer', apiGroup: 'kagent.dev' } : ref,
  },
  {
    id: 'mcp-server-group',
    kind: 'Agent',
    at: `${TOOLS}.mcpServer`,
    description:
      'an mcpServer reference of kind MCPServer or RemoteMCPServer without apiGroup gets apiGroup kagent.dev',
    apply: (ref) =>
      (ref.kind === 'MCPServer' || ref.kind === 'RemoteMCPServer') && unset(ref.apiGroup)
        ? { ...ref, apiGroup: 'kagent.dev' }
        : ref,
  },
];

const segments = (at: string): string[] => at.replace(/\[\]/g, '.[]').split('.');

/** Applies `fn` to every node at `path` below `node`, copying only what changes (unchanged subtrees are shared). */
function atPath(node: unknown, path: string[], fn: (n: Obj) => Obj): unknown {
  if (path.length === 0) {
    const o = asObj(node);
    return o ? fn(o) : node;
  }
  const [seg, ...rest] = path;
  if (seg === '[]') {
    if (!Array.isArray(node)) return node;
    let out: unknown[] | undefined;
    for (let i = 0; i < node.length; i++) {
      const next = atPath(node[i], rest, fn);
      if (next !== node[i]) (out ??= [...node])[i] = next;
    }
    return out ?? node;
  }
  const o = asObj(node);
  if (!o || !Object.hasOwn(o, seg!)) return node;
  const next = atPath(o[seg!], rest, fn);
  return next === o[seg!] ? node : { ...o, [seg!]: next };
}

const BY_KIND = new Map<KindName, ConditionalDefault[]>();
for (const d of CONDITIONAL_DEFAULTS) BY_KIND.set(d.kind, [...(BY_KIND.get(d.kind) ?? []), d]);

/** The object with the conditional defaults applied (the same object when none applies); pure, idempotent. */
export function applyConditionalDefaults<T>(kind: KindName, obj: T): T {
  let out: unknown = obj;
  for (const d of BY_KIND.get(kind) ?? []) out = atPath(out, segments(d.at), d.apply);
  return out as T;
}
