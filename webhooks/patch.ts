// The JSON Patch from an object to its defaulted form, made by rfc6902's createPatch on the parts that differ.
//
// defaultsShared returns the object with only the defaulted subtrees replaced; everything else is the same reference.
// createPatch would still walk every object on the way (building key lists and a Pointer per key) before noticing
// that a child is identical, which cost more than the defaulting itself. So the diff gets a "skeleton" of both
// sides first: each object that differs, with the keys whose values are the same reference left out of both sides.
// The patch is the same, operation for operation (test/unit/webhook-patch.test.ts): identical values yield no
// operation, the remaining keys keep their relative order, and added values are the original subtrees.
import { createPatch, type Operation } from 'rfc6902';
import { setJsonProperty as set } from '../crds/defaults.js';

type Obj = Record<string, unknown>;
// What rfc6902's diff treats as an object (its objectType() is "object"): recursed into key by key.
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Both objects without the keys whose values are the same reference on both sides; differing objects pruned too. */
function skeletons(input: Obj, output: Obj): [Obj, Obj] {
  const a: Obj = {};
  const b: Obj = {};
  let pruned: Map<string, [Obj, Obj]> | undefined;
  for (const key of Object.keys(input)) {
    const x = input[key];
    if (Object.hasOwn(output, key)) {
      const y = output[key];
      if (x === y) continue;
      if (isObj(x) && isObj(y)) {
        const pair = skeletons(x, y);
        (pruned ??= new Map()).set(key, pair);
        set(a, key, pair[0]);
        continue;
      }
    }
    set(a, key, x);
  }
  for (const key of Object.keys(output)) {
    const y = output[key];
    if (Object.hasOwn(input, key)) {
      if (input[key] === y) continue;
      const pair = pruned?.get(key);
      if (pair) {
        set(b, key, pair[1]);
        continue;
      }
    }
    set(b, key, y);
  }
  return [a, b];
}

/** createPatch(input, output) for an `output` that shares its unchanged subtrees with `input` (same result, cheaper). */
export function sharedPatch(input: unknown, output: unknown): Operation[] {
  if (input === output) return [];
  if (!isObj(input) || !isObj(output)) return createPatch(input, output);
  const [a, b] = skeletons(input, output);
  return createPatch(a, b);
}
