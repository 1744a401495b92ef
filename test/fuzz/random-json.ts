// Seeded random JSON for the fuzz tests: a small PRNG (so a failure replays from its printed seed), random values
// drawn from a vocabulary of keys and scalars that matter to the server under test, and one-place mutations.
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** mulberry32. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Vocabulary {
  /** Strings worth trying as values (enum members, URLs, prototype names, control characters). */
  strings: readonly string[];
  /** Keys random objects are built from. */
  keys: readonly string[];
  /** Keys a mutation adds to an existing object. */
  addKeys: readonly string[];
}

export function fuzzer(rand: () => number, vocabulary: Vocabulary) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const randomScalar = (): Json =>
    pick<() => Json>([
      () => null,
      () => rand() < 0.5,
      () => Math.floor(rand() * 2 ** 40) * (rand() < 0.5 ? -1 : 1),
      () => rand() * 1e6,
      () => '',
      () => 'x'.repeat(Math.floor(rand() * 300)),
      () => pick(vocabulary.strings),
    ])();
  const randomValue = (depth: number): Json => {
    if (depth <= 0 || rand() < 0.4) return randomScalar();
    if (rand() < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth - 1));
    const o: Record<string, Json> = {};
    for (let i = Math.floor(rand() * 4); i > 0; i--) o[pick(vocabulary.keys)] = randomValue(depth - 1);
    return o;
  };
  /** Changes one random place in a copy of value (the copy shares the untouched parts). */
  const mutateOnce = (value: Json): Json => {
    if (value === null || typeof value !== 'object' || rand() < 0.2) return randomValue(3);
    const copy: Json = Array.isArray(value) ? [...value] : { ...value };
    const keys = Object.keys(copy);
    if (keys.length === 0 || rand() < 0.15) {
      if (Array.isArray(copy)) copy.push(randomValue(2));
      else copy[pick(vocabulary.addKeys)] = randomValue(2);
      return copy;
    }
    const k = pick(keys);
    const r = rand();
    if (r < 0.2) {
      if (Array.isArray(copy)) copy.splice(Number(k), 1);
      else delete (copy as Record<string, Json>)[k];
    } else {
      (copy as Record<string, Json>)[k] = mutateOnce((copy as Record<string, Json>)[k]);
    }
    return copy;
  };
  return { pick, randomValue, mutateOnce };
}
