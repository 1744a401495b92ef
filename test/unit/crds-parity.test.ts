// API parity with kagent, measured against kagent's own CRDs (../shared/conformance/kagent-v0.10/crds/, read in
// place): every field path and every enum value of each v1alpha2 schema must exist in our generated CRDs. The
// coverage figures are printed, including how many paths we accept only as free-form.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allCrds } from '../../crds/index.js';
import { compareSchemas, lookup, schemaPaths } from '../parity/schema-paths.js';

type Node = Record<string, any>;
const KAGENT_CRDS = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/crds/', import.meta.url));
const v1alpha2 = (crd: Node): Node => crd.spec.versions.find((v: Node) => v.name === 'v1alpha2').schema.openAPIV3Schema;
const files = readdirSync(KAGENT_CRDS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const ours = new Map(allCrds().map(({ file, crd }) => [file, crd as Node]));

describe("parity with kagent's v1alpha2 CRDs", () => {
  it('covers every kind kagent serves', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((f) => !ours.has(f))).toEqual([]);
  });

  it.each(files)('%s: every field path and enum value is accepted', (file) => {
    const kagent = parse(readFileSync(KAGENT_CRDS + file, 'utf8')) as Node;
    const mine = ours.get(file);
    expect(mine, `no generated CRD ${file}`).toBeDefined();
    expect(mine!.metadata.name).toBe(kagent.metadata.name);
    expect(mine!.spec.names.kind).toBe(kagent.spec.names.kind);
    expect(mine!.spec.names.shortNames ?? []).toEqual(kagent.spec.names.shortNames ?? []);
    const r = compareSchemas(v1alpha2(kagent), v1alpha2(mine!));
    const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
    console.log(
      `${file}: ${r.total - r.missing.length}/${r.total} paths accepted (${pct(r.total - r.missing.length, r.total)}), ` +
        `${r.described.length} described, ${r.freeform.length} free-form; ` +
        `${r.enumTotal - r.enumMissing.length}/${r.enumTotal} enum values`,
    );
    expect(r.missing).toEqual([]);
    expect(r.enumMissing).toEqual([]);
  });

  it.each(files)('%s: printer columns kubectl shows are the same', (file) => {
    const kagent = parse(readFileSync(KAGENT_CRDS + file, 'utf8')) as Node;
    const cols = (crd: Node) =>
      (crd.spec.versions.find((v: Node) => v.name === 'v1alpha2').additionalPrinterColumns ?? []).map(
        (c: Node) => c.jsonPath,
      );
    // Ours may show more (Ready/Accepted conditions); every column kagent shows must be there.
    expect(cols(ours.get(file)!)).toEqual(expect.arrayContaining(cols(kagent)));
  });
});

describe('the parity walker', () => {
  const ref: Node = {
    type: 'object',
    properties: {
      a: { type: 'string', enum: ['x', 'y'] },
      list: { type: 'array', items: { type: 'object', properties: { b: { type: 'integer' } } } },
      m: { type: 'object', additionalProperties: { type: 'string' } },
      free: { type: 'object', properties: { deep: { type: 'object', properties: { c: { type: 'string' } } } } },
    },
  };
  it('lists paths with [] and {} and enum values', () => {
    expect(schemaPaths(ref)).toEqual({
      paths: ['.a', '.list', '.list[]', '.list[].b', '.m', '.m{}', '.free', '.free.deep', '.free.deep.c'],
      enums: ['.a=x', '.a=y'],
    });
  });
  it('reports missing paths, missing enum values and free-form coverage', () => {
    const mine: Node = {
      type: 'object',
      properties: {
        a: { type: 'string', enum: ['x'] },
        list: { type: 'array', items: { type: 'object', properties: {} } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
    const r = compareSchemas(ref, mine);
    expect(r.missing).toEqual(['.list[].b', '.m', '.m{}']);
    expect(r.enumMissing).toEqual(['.a=y']);
    expect(r.freeform).toEqual(['.free.deep', '.free.deep.c']);
    expect(lookup(mine, '.nope').node).toBeUndefined();
  });
});
