// Structural defaulting, the way kube-apiserver applies a CRD schema's `default` keywords: a missing property gets
// its default when its parent object exists; defaults inside arrays and maps apply to every present element.
// Applying twice changes nothing, which is what makes the mutating webhook's second patch empty.
import type { Schema } from './schema/builders.js';
import { KINDS, objectSchema, type KindName } from './kinds.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function defaultInto(schema: Schema, value: unknown): unknown {
  if (Array.isArray(value)) {
    return schema.items ? value.map((v) => defaultInto(schema.items as Schema, v)) : structuredClone(value);
  }
  // Primitives are immutable: copying them (structuredClone serializes) only costs time on the sync hook's hot path.
  if (typeof value !== 'object' || value === null) return value;
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const propSchema =
      schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    out[key] = propSchema ? defaultInto(propSchema, v) : typeof v === 'object' && v !== null ? structuredClone(v) : v;
  }
  for (const [key, propSchema] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && propSchema.default !== undefined) {
      // A default object may itself contain properties with defaults.
      out[key] = defaultInto(propSchema, structuredClone(propSchema.default));
    }
  }
  return out;
}

const schemas = Object.fromEntries(
  (Object.keys(KINDS) as KindName[]).map((k) => [k, objectSchema(KINDS[k])]),
) as Record<KindName, Schema>;

/** A deep copy of `obj` with the kind's schema defaults applied. Pure: `obj` is not modified. */
export function applyDefaults<T>(kind: KindName, obj: T): T {
  return defaultInto(schemas[kind], obj) as T;
}
