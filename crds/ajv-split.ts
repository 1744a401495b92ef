// Ajv compiles a schema without `$ref`s into ONE function. For the Agent schema that function is ~200 kB of source,
// past V8's size limit for optimisation, so it ran in baseline code with megamorphic property loads on every
// admission request (~5 us of the webhook's /validate in a tight loop, 2-3x that inside the loaded server). Moving
// the large subschemas into `$defs` and compiling with `inlineRefs: false` makes Ajv emit one function per subschema,
// each small enough to be optimised. Only Ajv sees this form: the CRD YAML keeps the structural schema without
// `$ref`s (crds/generate.ts), and the validation result is the same (tests: test/unit/crds-ajv-split.test.ts).
import type { Schema } from './schema/builders.js';

/** A subschema with more nodes than this (after its own large children were split off) becomes a `$defs` entry. */
export const SPLIT_NODES = 40;

type Node = Record<string, unknown>;

/** Counts schema nodes (objects) below and including `s`, stopping at `$ref`s already split off. */
function nodeCount(s: Node): number {
  let n = 1;
  const props = s.properties as Record<string, Node> | undefined;
  if (props) for (const k of Object.keys(props)) n += nodeCount(props[k]);
  if (s.items) n += nodeCount(s.items as Node);
  if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null)
    n += nodeCount(s.additionalProperties as Node);
  if (Array.isArray(s.anyOf)) for (const b of s.anyOf as Node[]) n += nodeCount(b);
  return n;
}

/**
 * `schema` with every subschema larger than `maxNodes` replaced by a `$ref` into `$defs` (a subschema object used in
 * several places becomes one definition). Pure: `schema` is not modified. Compile the result with `inlineRefs: false`.
 */
export function splitForAjv(schema: Schema, maxNodes = SPLIT_NODES): Schema & { $defs?: Record<string, unknown> } {
  const defs: Record<string, Node> = {};
  const ids = new Map<Schema, string>();
  const walk = (s: Schema, isRoot: boolean): Node => {
    const out: Node = {};
    for (const key of Object.keys(s) as (keyof Schema & string)[]) {
      const v = s[key];
      if (key === 'properties' && v) {
        const props: Record<string, Node> = {};
        for (const [name, child] of Object.entries(v as Record<string, Schema>)) props[name] = walk(child, false);
        out.properties = props;
      } else if (key === 'items' && v) out.items = walk(v as Schema, false);
      else if (key === 'additionalProperties' && typeof v === 'object' && v !== null)
        out.additionalProperties = walk(v as Schema, false);
      else if (key === 'anyOf' && Array.isArray(v)) out.anyOf = (v as Schema[]).map((b) => walk(b, false));
      else out[key] = v;
    }
    if (isRoot || nodeCount(out) <= maxNodes) return out;
    let id = ids.get(s);
    if (id === undefined) {
      id = `s${ids.size}`;
      ids.set(s, id);
      defs[id] = out;
    }
    return { $ref: `#/$defs/${id}` };
  };
  const root = walk(schema, true);
  if (Object.keys(defs).length > 0) root.$defs = defs;
  return root as Schema & { $defs?: Record<string, unknown> };
}
