// Test data shared by several test files.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { KIND_NAMES } from '../crds/index.js';

/** kagent's conformance inputs (read in place from ../shared, never copied into the repo). */
export const KAGENT_INPUTS_DIR = fileURLToPath(
  new URL('../../shared/conformance/kagent-v0.10/inputs/', import.meta.url),
);

/** Every Agent, ModelConfig and RemoteMCPServer in kagent's conformance inputs. */
export function kagentApiObjects(): Record<string, unknown>[] {
  return readdirSync(KAGENT_INPUTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap(
      (file) =>
        (parse(readFileSync(KAGENT_INPUTS_DIR + file, 'utf8')) as { objects: Record<string, unknown>[] }).objects,
    )
    .filter((o) => o.apiVersion === 'kagent.dev/v1alpha2' && (KIND_NAMES as string[]).includes(o.kind as string));
}

/** A small seeded PRNG (numbers in [0, 1)), so a randomised test's failure can be replayed. */
export function seededRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}
