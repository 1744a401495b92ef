// sha256Hex (the digests of every Agent sync) hashes exactly the bytes createHash(...).update(text) hashes, so the
// pod-template hash does not change with the Node release or with the switch to crypto.hash.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../sync-hooks/sha256.js';

describe('sha256Hex', () => {
  const reference = (s: string) => createHash('sha256').update(s).digest('hex');
  it.each([
    ['empty', ''],
    ['ascii with NULs', 'config\0card\0digest'],
    ['non-ASCII', 'Grüße — 日本語 🚀'],
    ['a lone surrogate (encoded as U+FFFD, as update() does)', 'a\ud800b'],
    ['large', 'x'.repeat(100_000)],
  ])('%s: equals createHash', (_name, s) => {
    expect(sha256Hex(s)).toBe(reference(s));
    expect(sha256Hex(s)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('known vector', () =>
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
});
