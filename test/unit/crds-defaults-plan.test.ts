// defaultsShared walks precomputed plans (only the properties with defaults below them). It must give exactly what the
// plain schema walk gives — same values, same key order, same sharing of untouched subtrees — for the conformance
// inputs and for thousands of randomly altered ones. The reference below is the straightforward walk it replaced.
import { describe, expect, it } from 'vitest';
import { defaultsShared, KINDS, objectSchema, type KindName } from '../../crds/index.js';
import type { Schema } from '../../crds/schema/builders.js';
import { kagentApiObjects, seededRng } from '../fixtures.js';

type Obj = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const hasDefaults = (s: Schema): boolean =>
  Object.values(s.properties ?? {}).some((p) => p.default !== undefined || hasDefaults(p)) ||
  (s.items !== undefined && hasDefaults(s.items)) ||
  (typeof s.additionalProperties === 'object' && hasDefaults(s.additionalProperties));
const childSchema = (s: Schema, key: string): Schema | undefined =>
  (s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined) ??
  (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
function reference(schema: Schema, value: unknown): unknown {
  if (!hasDefaults(schema)) return value;
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    let out: unknown[] | undefined;
    value.forEach((x, i) => {
      const v = reference(schema.items!, x);
      if (v !== x) (out ??= value.slice())[i] = v;
    });
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  let out: Obj | undefined;
  for (const key of Object.keys(value)) {
    const s = childSchema(schema, key);
    if (!s) continue;
    const v = reference(s, value[key]);
    if (v !== value[key]) (out ??= { ...value })[key] = v;
  }
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    if (s.default !== undefined && value[key] === undefined)
      (out ??= { ...value })[key] = reference(s, structuredClone(s.default));
  }
  return out ?? value;
}

/** Equal values, equal key order, and the same subtrees shared with the input. */
function sameShape(a: unknown, b: unknown, input: unknown): void {
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(a === input).toBe(b === input);
  if (isPlainObject(a) && isPlainObject(b) && isPlainObject(input))
    for (const k of Object.keys(a)) sameShape(a[k], b[k], input[k]);
  if (Array.isArray(a) && Array.isArray(b) && Array.isArray(input)) a.forEach((x, i) => sameShape(x, b[i], input[i]));
}

const inputs = kagentApiObjects() as Obj[];

const rng = seededRng;
const WEIRD: unknown[] = [null, 0, 'x', true, [], {}, [{}], { a: 1 }, { __proto__: null }];

/** Delete, retype or add a random node (also "__proto__" and "constructor" keys, as JSON.parse would make them). */
function alter(obj: unknown, next: () => number): unknown {
  const copy = structuredClone(obj);
  const nodes: [Obj | unknown[], string | number][] = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (nodes.push([v, i]), collect(x)));
    else if (typeof v === 'object' && v !== null)
      for (const k of Object.keys(v)) {
        nodes.push([v as Obj, k]);
        collect((v as Obj)[k]);
      }
  };
  collect(copy);
  if (nodes.length === 0) return copy;
  const [parent, key] = nodes[Math.floor(next() * nodes.length)];
  const r = next();
  if (r < 0.3 && !Array.isArray(parent)) delete parent[key as string];
  else if (r < 0.4 && !Array.isArray(parent))
    Object.assign(parent, JSON.parse('{"__proto__": {"x": 1}, "constructor": {"stream": 1}}'));
  else (parent as Obj)[key as string] = structuredClone(WEIRD[Math.floor(next() * WEIRD.length)]);
  return copy;
}

describe('defaultsShared (planned walk)', () => {
  it('matches the plain schema walk on the conformance inputs and on randomly altered ones', () => {
    const next = rng(Number(process.env.FUZZ_SEED ?? 7));
    let changed = 0;
    for (const obj of inputs) {
      const kind = obj.kind as KindName;
      const schema = objectSchema(KINDS[kind]);
      for (let round = 0; round < 40; round++) {
        const input = round === 0 ? obj : alter(obj, next);
        const got = defaultsShared(kind, input);
        sameShape(got, reference(schema, input), input);
        if (got !== input) changed++;
      }
    }
    expect(changed).toBeGreaterThan(500); // the comparison covered objects that did get defaults
  });

  it('does not modify its input and returns the input itself when every default is present', () => {
    const obj = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a' },
      spec: { declarative: { systemMessage: 'x' } },
    };
    const before = JSON.stringify(obj);
    const once = defaultsShared('Agent', obj);
    expect(JSON.stringify(obj)).toBe(before);
    expect(once).not.toBe(obj);
    expect((once as typeof obj).metadata).toBe(obj.metadata);
    expect(defaultsShared('Agent', JSON.parse(JSON.stringify(once)) as object)).toEqual(once);
    const again = JSON.parse(JSON.stringify(once)) as object;
    expect(defaultsShared('Agent', again)).toBe(again);
  });
});
