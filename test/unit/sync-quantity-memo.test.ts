// canonicalQuantity is memoised (sync-hooks/agent/quantity.ts: a bounded map keyed on the quantity's full text). A
// memo may only ever answer what the computation answers: the same value on a hit, correct values after the bound
// clears it, and malformed quantities never cached (they must keep throwing with their own text).
import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from '../../sync-hooks/agent/quantity.js';

/** Independent expectation for `${n}m` (n >= 0): whole cores as a plain number, else millicores. */
const millis = (n: number) => (n === 0 ? '0' : n % 1000 === 0 ? String(n / 1000) : `${n}m`);

describe('canonicalQuantity memo', () => {
  it('a hit returns the computed value, for string and number spellings alike', () => {
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
    expect(canonicalQuantity(2)).toBe('2');
    expect(canonicalQuantity('2')).toBe('2');
    expect(canonicalQuantity('3000m')).toBe('3');
    expect(canonicalQuantity('3000m')).toBe('3');
  });

  it('stays correct past its size bound (more distinct quantities than it holds, each asked twice)', () => {
    for (let pass = 0; pass < 2; pass++) {
      for (let n = 0; n < 10_000; n += 1) expect(canonicalQuantity(`${n}m`)).toBe(millis(n));
    }
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
  });

  it('does not cache malformed quantities: each call throws with that input', () => {
    for (let i = 0; i < 3; i++) {
      expect(() => canonicalQuantity('lots')).toThrow(/invalid quantity "lots"/);
      expect(() => canonicalQuantity('1.5Gx')).toThrow(/invalid quantity "1.5Gx"/);
    }
  });
});
