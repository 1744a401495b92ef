// The CRDs' CEL rules on the real kube-apiserver with NO webhook registered for this namespace: every CEL rule of the
// table (crds/rules.ts) refuses its invalid object (test/parity/cel-cases.ts) with its message (kagent's where kagent
// has the rule) at its field path, and every conformance input — kagent's own valid YAML — still applies.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installCrds, KIND_NAMES, RULES } from '../../crds/index.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubectl, webhooksSelecting } from '../cluster/kube.js';
import { CEL_CASES } from '../parity/cel-cases.js';

const inputsDir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));
const API = 'kagent.dev/v1alpha2';
type Obj = Record<string, any>;

const cases = RULES.flatMap((r) =>
  r.cel.map((cel, i) => ({ key: `${r.id}#${i}`, message: cel.message, ...CEL_CASES[`${r.id}#${i}`]! })),
);

describeWithCluster('CEL rules in the CRDs, no webhook', () => {
  let ns: string;
  beforeAll(async () => {
    await installCrds(kubectl);
    ns = await createNamespace('cel');
    // Nothing may intercept this namespace's objects: no webhook configuration may select it.
    expect(await webhooksSelecting(ns)).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it(`refuses each of the ${cases.length} CEL rules' invalid objects with the rule's message`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    const failures: string[] = [];
    // One kubectl per case, a few at a time (the machine is shared).
    for (let i = 0; i < cases.length; i += 6) {
      await Promise.all(
        cases.slice(i, i + 6).map(async (c, j) => {
          const name = `cel-${i + j}`;
          const input = JSON.stringify({
            apiVersion: API,
            kind: c.kind,
            metadata: { name, namespace: ns },
            spec: c.spec,
          });
          const r = await kubectl(['create', '-f', '-'], { input });
          const expected = `${c.path}: Invalid value: "object": ${c.message}`;
          if (r.code === 0) failures.push(`${c.key}: accepted`);
          else if (!r.stderr.includes(expected)) failures.push(`${c.key}: wanted "${expected}", got ${r.stderr}`);
        }),
      );
    }
    expect(failures).toEqual([]);
    const stored = await kubectl([
      'get',
      KIND_NAMES.map((k) => k.toLowerCase() + 's').join(','),
      '-n',
      ns,
      '-o',
      'name',
    ]);
    expect(stored.stdout.trim()).toBe('');
  }, 180_000);

  it('accepts every conformance input (kagent-valid objects) unchanged', async () => {
    const objects: Obj[] = [];
    const files = (await readdir(inputsDir)).filter((f) => f.endsWith('.yaml')).sort();
    for (const [i, file] of files.entries()) {
      const doc = parse(await readFile(join(inputsDir, file), 'utf8')) as { objects: Obj[] };
      for (const o of doc.objects) {
        if (o.apiVersion !== API || !KIND_NAMES.includes(o.kind)) continue;
        objects.push({
          ...o,
          metadata: { ...o.metadata, name: `c${i}-${o.metadata.name}`.slice(0, 63), namespace: ns },
        });
      }
    }
    expect(objects.length).toBeGreaterThan(40);
    const r = await kubectl(['apply', '-f', '-'], { input: objects.map((o) => JSON.stringify(o)).join('\n---\n') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
