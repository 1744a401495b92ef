// splitForAjv moves large subschemas into $defs so Ajv emits small, optimisable functions. It must not change what
// validation says: the split and the unsplit schema give the same errors (path, keyword, params, message, order) for
// valid objects and for thousands of randomly broken ones.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { splitForAjv } from '../../crds/ajv-split.js';
import { createAjv } from '../../crds/validate.js';
import { applyDefaults, KIND_NAMES, KINDS, objectSchema, type KindName } from '../../crds/index.js';
import { seededRng } from '../fixtures.js';

const inputsDir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));
const inputs: { kind: KindName; obj: Record<string, unknown> }[] = readdirSync(inputsDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    (parse(readFileSync(inputsDir + file, 'utf8')) as { objects: Record<string, unknown>[] }).objects
      .filter((o) => o.apiVersion === 'kagent.dev/v1alpha2' && (KIND_NAMES as string[]).includes(o.kind as string))
      .map((obj) => ({ kind: obj.kind as KindName, obj: applyDefaults(obj.kind as KindName, obj) })),
  );

const ajv = (allErrors: boolean, inlineRefs: boolean): Ajv => createAjv(allErrors, inlineRefs);

/** What validate.ts reads from an error; schemaPath differs by design, so only its anyOf-ness is compared. */
const view = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    keyword: e.keyword,
    params: e.params,
    message: e.message,
    inAnyOf: e.schemaPath.includes('/anyOf/'),
  }));

const rng = seededRng;
const WEIRD: unknown[] = [null, 0, -1, 2 ** 40, 1.5, '', 'x', 'not-a-duration', true, [], {}, [1, 'a'], { a: 1 }];

/** Replace one random node of a deep copy of `obj` with a value of another type (or delete it). */
function mutateOnce(obj: unknown, next: () => number): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (nodes.push([v, i]), collect(x)));
    else if (typeof v === 'object' && v !== null)
      for (const k of Object.keys(v)) {
        nodes.push([v as Record<string, unknown>, k]);
        collect((v as Record<string, unknown>)[k]);
      }
  };
  collect(copy);
  if (nodes.length === 0) return copy;
  const [parent, key] = nodes[Math.floor(next() * nodes.length)];
  const r = next();
  if (r < 0.15 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else if (r < 0.25 && !Array.isArray(parent)) (parent as Record<string, unknown>)[`unknown${key}`] = 1;
  else (parent as Record<string, unknown>)[key as never] = WEIRD[Math.floor(next() * WEIRD.length)] as never;
  return copy;
}

describe('splitForAjv', () => {
  it('moves large subschemas into $defs and leaves the input schema alone', () => {
    const schema = objectSchema(KINDS.Agent);
    const before = JSON.stringify(schema);
    const split = splitForAjv(schema);
    expect(JSON.stringify(schema)).toBe(before);
    expect(Object.keys(split.$defs ?? {}).length).toBeGreaterThan(2);
    expect(JSON.stringify(split)).toContain('"$ref":"#/$defs/');
    // A schema below the threshold is returned whole, without $defs.
    expect(splitForAjv({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
  });

  for (const allErrors of [false, true]) {
    it(`gives the same verdict and errors as the unsplit schema (allErrors: ${allErrors})`, () => {
      const whole = ajv(allErrors, true);
      const parts = ajv(allErrors, false);
      const next = rng(Number(process.env.FUZZ_SEED ?? 20261127));
      let invalid = 0;
      for (const kind of KIND_NAMES) {
        const a = whole.compile(objectSchema(KINDS[kind]));
        const b = parts.compile(splitForAjv(objectSchema(KINDS[kind])));
        for (const { obj } of inputs.filter((i) => i.kind === kind)) {
          expect(b(obj)).toBe(true);
          expect(a(obj)).toBe(true);
          for (let round = 0; round < 60; round++) {
            let broken: unknown = obj;
            for (let m = 0; m < 1 + (round % 3); m++) broken = mutateOnce(broken, next);
            const va = a(broken);
            const vb = b(broken);
            expect(vb).toBe(va);
            expect(view(b.errors)).toEqual(view(a.errors));
            if (!va) invalid++;
          }
        }
      }
      expect(invalid).toBeGreaterThan(1000); // the comparison covered many failing objects, not only valid ones
    });
  }
});
