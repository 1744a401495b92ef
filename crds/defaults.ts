// Structural defaulting, the way kube-apiserver applies a CRD schema's `default` keywords: a missing property gets
// its default when its parent object exists; defaults inside arrays and maps apply to every present element.
// Applying twice changes nothing, which is what makes the mutating webhook's second patch empty.
import type { Schema } from './schema/builders.js';
import { KINDS, objectSchema, type KindName } from './kinds.js';

type Obj = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Sets a JSON object's own property: assigning "__proto__" would set the object's prototype instead. */
export function setJsonProperty(target: Obj, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of JSON data; much cheaper than structuredClone for the small objects Kubernetes sends. */
export function jsonClone<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(jsonClone) as T;
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Obj = {};
  for (const key of Object.keys(value)) setJsonProperty(out, key, jsonClone(value[key]));
  return out as T;
}

/**
 * A shallow copy of a plain object, to which withDefaults then adds keys. Not `{ ...value }`: V8 (Node 20) makes a
 * spread copy of a JSON.parse'd object expensive to extend — adding a key to it cost ~0.6 us, and the copies lived
 * long enough to be promoted (0.6-1.4 MB per scavenge in the webhook, cleared by ~10 ms mark-compacts every second:
 * the webhook's p99). A copy built key by key has neither cost.
 */
function copyOf(value: Obj): Obj {
  const out: Obj = {};
  for (const key of Object.keys(value)) setJsonProperty(out, key, value[key]);
  return out;
}

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
 * What withDefaults does at a schema node, worked out once (the walk then follows these links instead of looking
 * schema nodes up per request): the properties below which some default applies (every other key is returned as is,
 * so it is not visited), the additionalProperties plan when its schema has defaults (then every key is visited), the
 * items plan, and the properties with a `default` of their own. `undefined` stands for "no default at or below".
 */
interface Plan {
  children: [string, Plan][];
  additional: Plan | undefined;
  /** With `additional`: every declared property's plan (a declared name never falls to additionalProperties). */
  named: Map<string, Plan | undefined> | undefined;
  items: Plan | undefined;
  defaults: [string, Schema, Plan | undefined][];
}
const plans = new WeakMap<Schema, Plan | undefined>();
function planFor(schema: Schema): Plan | undefined {
  if (plans.has(schema)) return plans.get(schema);
  let plan: Plan | undefined;
  if (hasDefaults(schema)) {
    const props = schema.properties ?? {};
    plan = { children: [], additional: undefined, named: undefined, items: undefined, defaults: [] };
    plans.set(schema, plan); // before the children: a schema may (in principle) be shared below itself
    for (const k of Object.keys(props)) {
      const p = planFor(props[k]);
      if (p) plan.children.push([k, p]);
      if (props[k].default !== undefined) plan.defaults.push([k, props[k], p]);
    }
    if (typeof schema.additionalProperties === 'object') plan.additional = planFor(schema.additionalProperties);
    if (plan.additional) plan.named = new Map(Object.keys(props).map((k) => [k, planFor(props[k])]));
    if (schema.items) plan.items = planFor(schema.items);
  }
  plans.set(schema, plan);
  return plan;
}

/**
 * `value` with defaults applied, sharing every subtree in which no default applies: returns `value` itself when
 * nothing is missing. Never modifies `value`. The sharing is what makes the webhook's JSON Patch diff cheap (the
 * diff skips identical references).
 */
function withDefaults(plan: Plan | undefined, value: unknown): unknown {
  if (plan === undefined) return value;
  if (Array.isArray(value)) {
    const items = plan.items;
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
  if (plan.additional) {
    // Every key may hold a map value with defaults: visit them all; a declared property uses its own schema (a Map,
    // so that a key such as "constructor" or "__proto__" in the data cannot find Object.prototype's).
    const named = plan.named!;
    for (const key of Object.keys(value)) {
      const p = named.has(key) ? named.get(key) : plan.additional;
      const v = withDefaults(p, value[key]);
      if (v !== value[key]) (out ??= copyOf(value))[key] = v;
    }
  } else {
    // Only the properties with defaults below them can change; the others are shared whatever they hold.
    const children = plan.children;
    for (let i = 0; i < children.length; i++) {
      const key = children[i][0];
      if (!Object.hasOwn(value, key)) continue;
      const v = withDefaults(children[i][1], value[key]);
      if (v !== value[key]) (out ??= copyOf(value))[key] = v;
    }
  }
  const defaults = plan.defaults;
  for (let i = 0; i < defaults.length; i++) {
    const [key, s, p] = defaults[i];
    if (value[key] === undefined) {
      // A default object may itself contain properties with defaults.
      (out ??= copyOf(value))[key] = withDefaults(p, jsonClone(s.default));
    }
  }
  return out ?? value;
}

const kindPlans = Object.fromEntries(
  (Object.keys(KINDS) as KindName[]).map((k) => [k, planFor(objectSchema(KINDS[k]))]),
) as Record<KindName, Plan | undefined>;

/**
 * `obj` with the kind's schema defaults applied, sharing unchanged subtrees with `obj` (and `obj` itself when no
 * default applies). For read-only use on hot paths (validation, patch generation); callers must not modify it.
 */
export function defaultsShared<T>(kind: KindName, obj: T): T {
  return withDefaults(kindPlans[kind], obj) as T;
}

/** A deep copy of `obj` with the kind's schema defaults applied. Pure: `obj` is not modified. */
export function applyDefaults<T>(kind: KindName, obj: T): T {
  return jsonClone(withDefaults(kindPlans[kind], obj)) as T;
}
