// The CEL rules in the generated CRDs come from the rule table the webhook runs (crds/rules.ts): every kagent CEL rule
// is there with kagent's message at kagent's place (or its constraint is in the structural schema), every rule of the
// table has CEL, and each CEL rule's invalid object (test/parity/cel-cases.ts) is refused by the rule's own check —
// the API server's side is test/integration/crds-cel.test.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allCrds, applyDefaults, RULES, validate } from '../../crds/index.js';
import { CEL_CASES } from '../parity/cel-cases.js';

type Node = Record<string, any>;
const KAGENT_CRDS = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/crds/', import.meta.url));
const v1alpha2 = (crd: Node): Node => crd.spec.versions.find((v: Node) => v.name === 'v1alpha2').schema.openAPIV3Schema;

/** Every x-kubernetes-validations entry of a schema as `<path> | <message>` (path with [] for items). */
function validations(root: Node): { at: string; rule: string; message: string }[] {
  const out: { at: string; rule: string; message: string }[] = [];
  const walk = (n: Node, p: string): void => {
    for (const v of n['x-kubernetes-validations'] ?? []) out.push({ at: p, rule: v.rule, message: v.message });
    for (const [k, c] of Object.entries(n.properties ?? {})) walk(c as Node, p ? `${p}.${k}` : k);
    if (n.items) walk(n.items, `${p}[]`);
  };
  walk(root, '');
  return out;
}

/** kagent rules whose constraint our structural schema states instead (so CEL would only repeat it). */
const IN_SCHEMA: Record<string, string> = {
  'agents spec | type must be specified': 'spec.type has the default Declarative, so it is always set',
  'agents spec | type must be either Declarative or BYO': 'spec.type is an enum of Declarative and BYO',
  'modelproviderconfigs spec | endpoint must be a valid URL starting with http:// or https://':
    "spec.endpoint has kagent's pattern ^https?://.*",
};

const files = readdirSync(KAGENT_CRDS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const ours = new Map(allCrds().map(({ file, crd }) => [file, crd as Node]));

describe("CEL rules: kagent's, generated from the rule table", () => {
  it.each(files)('%s: every kagent CEL rule is in our CRD with its message and place', (file) => {
    const plural = file.split('_')[1]!.replace('.yaml', '');
    const theirs = validations(v1alpha2(parse(readFileSync(KAGENT_CRDS + file, 'utf8')) as Node));
    const mine = new Set(validations(v1alpha2(ours.get(file)!)).map((v) => `${v.at} | ${v.message}`));
    const missing = theirs
      .map((v) => `${v.at} | ${v.message}`)
      .filter((key) => !mine.has(key) && !(`${plural} ${key}` in IN_SCHEMA));
    console.log(`${file}: ${theirs.length - missing.length}/${theirs.length} of kagent's CEL rules`);
    expect(missing).toEqual([]);
  });

  it("the CRDs carry exactly the table's CEL rules", () => {
    for (const { crd } of allCrds()) {
      const kind = (crd as Node).spec.names.kind;
      const expected = RULES.filter((r) => r.kind === kind).flatMap((r) => r.cel.map((c) => `${c.at} | ${c.rule}`));
      const got = validations(v1alpha2(crd as Node)).map((v) => `${v.at} | ${v.rule}`);
      expect(got.sort()).toEqual([...expected].sort());
    }
  });

  it('every rule of the table has CEL, and every CEL rule has an invalid case', () => {
    expect(RULES.filter((r) => r.cel.length === 0).map((r) => r.id)).toEqual([]);
    const keys = RULES.flatMap((r) => r.cel.map((_, i) => `${r.id}#${i}`));
    expect(keys.filter((k) => !(k in CEL_CASES))).toEqual([]);
    expect(Object.keys(CEL_CASES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it.each(Object.entries(CEL_CASES))("%s: the case passes the schema and the rule's check refuses it", (key, c) => {
    const rule = RULES.find((r) => r.id === key.split('#')[0])!;
    expect(rule.kind).toBe(c.kind);
    const spec = (applyDefaults(c.kind, { spec: c.spec }) as Node).spec as Record<string, unknown>;
    expect(rule.check(spec, { tools: toolsOf(spec) }).length, key).toBeGreaterThan(0);
    // Only cross-field rules refuse it: the structural schema accepts the object.
    const rulePaths = RULES.filter((r) => r.kind === c.kind)
      .flatMap((r) => r.check(spec, { tools: toolsOf(spec) }))
      .map((e) => e.path);
    const schemaErrors = validate(c.kind, { spec: c.spec }).filter((e) => !rulePaths.includes(e.path));
    expect(schemaErrors, key).toEqual([]);
  });
});

function toolsOf(spec: Record<string, unknown>): [Record<string, unknown>, string][] {
  const list = (spec.declarative as { tools?: unknown[] } | undefined)?.tools ?? [];
  return list.map((t, i) => [t as Record<string, unknown>, `spec.declarative.tools[${i}]`]);
}
