// Object-by-object, field-by-field comparison of two renderings (helm template, kubectl kustomize, metagent install
// --dry-run), so a test can name every difference and check each against the table of intended ones.
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, any>;

export const identity = (o: Obj) =>
  `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** YAML 1.1, as the API server's decoder reads it (an unquoted 2024-10-21 is a timestamp, yes/no are booleans). */
export function parseObjects(text: string): Obj[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`unparsable YAML: ${d.errors[0].message}`);
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null && typeof o === 'object');
}

export interface Difference {
  /** `Kind/ns/name` */
  object: string;
  /** A JSON-path-like field (`spec.template.spec.containers[0].image`), or '' for a whole object. */
  path: string;
  left: unknown;
  right: unknown;
}

const key = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `["${k}"]`);

function diffValue(a: unknown, b: unknown, path: string, out: (path: string, a: unknown, b: unknown) => void): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValue(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diffValue((a as Obj)[k], (b as Obj)[k], `${path}${key(k)}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out(path, a, b);
}

/** Every difference between two sets of objects: objects only on one side, then fields that differ. */
export function diffObjects(left: Obj[], right: Obj[]): Difference[] {
  const index = (objs: Obj[]) => {
    const m = new Map<string, Obj>();
    for (const o of objs) {
      if (m.has(identity(o))) throw new Error(`${identity(o)} appears twice`);
      m.set(identity(o), o);
    }
    return m;
  };
  const l = index(left);
  const r = index(right);
  const out: Difference[] = [];
  for (const [id, o] of l) if (!r.has(id)) out.push({ object: id, path: '', left: o.kind, right: undefined });
  for (const [id, o] of r) if (!l.has(id)) out.push({ object: id, path: '', left: undefined, right: o.kind });
  for (const [id, a] of l) {
    const b = r.get(id);
    if (b)
      diffValue(a, b, '', (path, x, y) => out.push({ object: id, path: path.replace(/^\./, ''), left: x, right: y }));
  }
  return out;
}
