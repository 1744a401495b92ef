// sharedPatch hands rfc6902's createPatch only the parts of the two objects that differ by reference. The patch must
// be exactly createPatch's on the whole objects: same operations, same order, same values.
import { applyPatch, createPatch } from 'rfc6902';
import { describe, expect, it } from 'vitest';
import { defaultsShared, type KindName } from '../../crds/index.js';
import { sharedPatch } from '../../webhooks/patch.js';
import { kagentApiObjects, seededRng } from '../fixtures.js';

type Obj = Record<string, unknown>;
const inputs = kagentApiObjects() as Obj[];

const rng = seededRng;

/** A copy of `obj` sharing most subtrees, with a few random nodes replaced, removed or added. */
function derive(obj: unknown, next: () => number): unknown {
  if (typeof obj !== 'object' || obj === null) return next() < 0.5 ? obj : { x: 1 };
  if (Array.isArray(obj)) return next() < 0.7 ? obj : [...obj, 'new'];
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    const r = next();
    if (r < 0.1) continue; // removed
    if (r < 0.2) out[k] = [1, 'x', null, { y: 2 }, [3]][Math.floor(next() * 5)];
    else if (r < 0.5) out[k] = derive(v, next);
    else out[k] = v; // shared
  }
  if (next() < 0.3) out[`added${Math.floor(next() * 3)}`] = { z: true };
  if (next() < 0.1) Object.assign(out, JSON.parse('{"__proto__": {"polluted": 1}}'));
  return out;
}

describe('sharedPatch', () => {
  it('equals createPatch for every conformance input and its defaults', () => {
    let nonEmpty = 0;
    for (const obj of inputs) {
      const defaulted = defaultsShared(obj.kind as KindName, obj);
      const patch = sharedPatch(obj, defaulted);
      expect(patch).toEqual(createPatch(obj, defaulted));
      if (patch.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('equals createPatch for random objects that share subtrees (removals, replacements, arrays, __proto__ keys)', () => {
    const next = rng(Number(process.env.FUZZ_SEED ?? 11));
    let ops = 0;
    for (const obj of inputs) {
      for (let round = 0; round < 30; round++) {
        const output = derive(obj, next);
        const patch = sharedPatch(obj, output);
        expect(patch).toEqual(createPatch(obj, output));
        // And it is a real patch: applied to a copy of the input it gives the output.
        const copy = structuredClone(obj);
        applyPatch(copy, patch);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(output));
        ops += patch.length;
      }
    }
    expect(ops).toBeGreaterThan(1000);
  });

  it('handles identical and non-object inputs like createPatch', () => {
    const o = { a: 1 };
    expect(sharedPatch(o, o)).toEqual([]);
    for (const [a, b] of [
      [1, 2],
      [o, [1]],
      [[1], o],
      [null, o],
      ['x', 'x'],
    ] as [unknown, unknown][])
      expect(sharedPatch(a, b)).toEqual(createPatch(a, b));
  });
});
