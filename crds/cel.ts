// Places the CEL form of the cross-field rules (crds/rules.ts, the table the webhook runs) into a kind's schema as
// `x-kubernetes-validations`, for the CRD YAML only: Ajv never sees them (the webhook runs the rules' `check`).
import type { KindName } from './kinds.js';
import { RULES, type CelRule } from './rules.js';
import type { Schema } from './schema/builders.js';

export type CelSchema = Schema & { 'x-kubernetes-validations'?: { rule: string; message: string }[] };

/** The CEL rules of one kind, in table order. */
export const celRulesOf = (kind: KindName): CelRule[] => RULES.filter((r) => r.kind === kind).flatMap((r) => r.cel);

/** `spec.declarative.tools[]` -> ['spec', 'declarative', 'tools', '[]'] */
const segments = (at: string): string[] => at.replace(/\[\]/g, '.[]').split('.');

/**
 * A copy of `root` (the whole object's schema) with each rule appended to the node at its path. Nodes on a path are
 * copied, never changed: the builders share subschemas between kinds and places.
 */
export function withCel(root: Schema, rules: readonly CelRule[]): CelSchema {
  const out: CelSchema = { ...root };
  for (const r of rules) {
    let node: CelSchema = out;
    for (const seg of segments(r.at)) {
      if (seg === '[]') {
        if (!node.items) throw new Error(`CEL rule at ${r.at}: ${seg} is not an array`);
        node = node.items = { ...node.items };
      } else {
        const child = node.properties?.[seg];
        if (!child) throw new Error(`CEL rule at ${r.at}: no field ${seg}`);
        node.properties = { ...node.properties };
        node = node.properties[seg] = { ...child };
      }
    }
    node['x-kubernetes-validations'] = [
      ...(node['x-kubernetes-validations'] ?? []),
      { rule: r.rule, message: r.message },
    ];
  }
  return out;
}
