// Walks two CRD schemas side by side: every field path and enum value of the reference (kagent's CRD) is looked up in
// ours. A path is "described" when our schema declares it field by field, "free-form" when it falls below one of our
// x-kubernetes-preserve-unknown-fields nodes (the API server keeps it but checks nothing), and "missing" otherwise.
type Node = Record<string, any>;

export interface PathReport {
  total: number;
  described: string[];
  freeform: string[];
  missing: string[];
  enumTotal: number;
  enumMissing: string[];
}

/** Every field path of a schema: `.a.b`, `[]` for array items, `{}` for map values; and every `path=value` enum. */
export function schemaPaths(root: Node): { paths: string[]; enums: string[] } {
  const paths: string[] = [];
  const enums: string[] = [];
  const walk = (n: Node, p: string): void => {
    if (p) paths.push(p);
    for (const v of n.enum ?? []) enums.push(`${p}=${String(v)}`);
    for (const [k, c] of Object.entries(n.properties ?? {})) walk(c as Node, `${p}.${k}`);
    if (n.items) walk(n.items, `${p}[]`);
    if (typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${p}{}`);
  };
  walk(root, '');
  return { paths, enums };
}

function step(n: Node, seg: string): Node | undefined {
  if (seg === '[]') return n.items;
  if (seg === '{}') return typeof n.additionalProperties === 'object' ? n.additionalProperties : undefined;
  return n.properties?.[seg];
}

const SEGMENTS = /\.([^.[{]+)|\[\]|\{\}/g;

/** Where `path` lands in `ours`: the node, or the free-form ancestor that swallows it, or nothing. */
export function lookup(ours: Node, path: string): { node?: Node; freeform: boolean } {
  let n: Node | undefined = ours;
  for (const m of path.matchAll(SEGMENTS)) {
    if (!n) return { freeform: false };
    if (n['x-kubernetes-preserve-unknown-fields'] && !n.properties && !n.items) return { freeform: true };
    n = step(n, m[1] ?? m[0]);
  }
  return n ? { node: n, freeform: false } : { freeform: false };
}

export function compareSchemas(reference: Node, ours: Node): PathReport {
  const { paths, enums } = schemaPaths(reference);
  const report: PathReport = {
    total: paths.length,
    described: [],
    freeform: [],
    missing: [],
    enumTotal: enums.length,
    enumMissing: [],
  };
  for (const p of paths) {
    const hit = lookup(ours, p);
    if (hit.node) report.described.push(p);
    else if (hit.freeform) report.freeform.push(p);
    else report.missing.push(p);
  }
  for (const e of enums) {
    const i = e.lastIndexOf('=');
    const hit = lookup(ours, e.slice(0, i));
    // An enum value is covered when our field takes it: either our enum lists it, or our field has no enum (a
    // free-form or unconstrained string accepts every value kagent's does).
    const ok = hit.freeform || (hit.node && (!hit.node.enum || hit.node.enum.map(String).includes(e.slice(i + 1))));
    if (!ok) report.enumMissing.push(e);
  }
  return report;
}
