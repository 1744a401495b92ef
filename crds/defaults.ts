// Structural defaulting, the way kube-apiserver applies a CRD schema's `default` keywords: a missing property gets
// its default when its parent object exists; defaults inside arrays and maps apply to every present element.
// Applying twice changes nothing, which is what makes the mutating webhook's second patch empty.
import type { Schema } from './schema/builders.js';
import { KINDS, objectSchema, type KindName } from './kinds.js';

type Obj = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A deep copy of JSON data; much cheaper than structuredClone for the small objects Kubernetes sends. */
export function jsonClone<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(jsonClone) as T;
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Obj = {};
  for (const key of Object.keys(value)) {
    // Assigning "__proto__" would set the copy's prototype instead of copying the (JSON) property.
    if (key === '__proto__') Object.defineProperty(out, key, { value: jsonClone(value[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = jsonClone(value[key]);
  }
  return out as T;
}

// Own properties only: a key such as "constructor" or "__proto__" in the data must not find Object.prototype's.
const childSchema = (schema: Schema, key: string): Schema | undefined =>
  (schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined) ??
  (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);

/** Whether any `default` is declared at or below a schema node; subtrees without one are skipped (memoised). */
const defaultsBelow = new WeakMap<Schema, boolean>();
function hasDefaults(schema: Schema): boolean {
  let known = defaultsBelow.get(schema);
  if (known === undefined) {
    known =
      Object.values(schema.properties ?? {}).some((p) => p.default !== undefined || hasDefaults(p)) ||
      (schema.items !== undefined && hasDefaults(schema.items)) ||
      (typeof schema.additionalProperties === 'object' && hasDefaults(schema.additionalProperties));
    defaultsBelow.set(schema, known);
  }
  return known;
}

/**
 * `value` with defaults applied, sharing every subtree in which no default applies: returns `value` itself when
 * nothing is missing. Never modifies `value`. The sharing is what makes the webhook's JSON Patch diff cheap (the
 * diff skips identical references).
 */
function withDefaults(schema: Schema, value: unknown): unknown {
  if (!hasDefaults(schema)) return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = withDefaults(items, value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  let out: Obj | undefined;
  for (const key of Object.keys(value)) {
    const s = childSchema(schema, key);
    if (!s) continue;
    const v = withDefaults(s, value[key]);
    if (v !== value[key]) (out ??= { ...value })[key] = v;
  }
  if (schema.properties) {
    for (const key of Object.keys(schema.properties)) {
      const s = schema.properties[key];
      if (s.default !== undefined && value[key] === undefined) {
        // A default object may itself contain properties with defaults.
        (out ??= { ...value })[key] = withDefaults(s, jsonClone(s.default));
      }
    }
  }
  return out ?? value;
}

const schemas = Object.fromEntries(
  (Object.keys(KINDS) as KindName[]).map((k) => [k, objectSchema(KINDS[k])]),
) as Record<KindName, Schema>;

/**
 * `obj` with the kind's schema defaults applied, sharing unchanged subtrees with `obj` (and `obj` itself when no
 * default applies). For read-only use on hot paths (validation, patch generation); callers must not modify it.
 */
export function defaultsShared<T>(kind: KindName, obj: T): T {
  return withDefaults(schemas[kind], obj) as T;
}

/** A deep copy of `obj` with the kind's schema defaults applied. Pure: `obj` is not modified. */
export function applyDefaults<T>(kind: KindName, obj: T): T {
  return jsonClone(withDefaults(schemas[kind], obj)) as T;
}
