// Metacontroller's "dynamic apply" (pkg/dynamic/apply and common.ApplyUpdate), re-implemented for the contract
// driver: a kubectl-apply-like 3-way merge of (observed, last applied, desired) that treats lists of objects sharing
// a conventional key (containerPort, port, mountPath, name, uid, ip, path) as maps. The driver updates a child only
// when the merge result differs from what the API server stores — exactly Metacontroller's rule, which is why an
// unchanged resync writes nothing only if the hook emits children in the server's canonical form.

export const LAST_APPLIED_ANNOTATION = 'metacontroller.k8s.io/last-applied-configuration';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const KNOWN_MERGE_KEYS = ['containerPort', 'port', 'mountPath', 'name', 'uid', 'ip', 'path'];
const OBJECT_META_SYSTEM_FIELDS = [
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Go's reflect.DeepEqual on decoded JSON: key order does not matter, list order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Go's json.Marshal: map keys sorted, and <, >, & escaped — the annotation must be byte-stable across syncs. */
export function goJsonMarshal(v: unknown): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (isObject(x)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) out[k] = sorted(x[k]);
      return out;
    }
    return x;
  };
  return JSON.stringify(sorted(v))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function getLastApplied(obj: AnyObject): JsonObject | null {
  const raw = (obj.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined;
  const s = raw?.[LAST_APPLIED_ANNOTATION];
  if (typeof s !== 'string' || s === '') return null;
  const parsed = JSON.parse(s) as Json;
  if (!isObject(parsed)) throw new Error(`${LAST_APPLIED_ANNOTATION} is not a JSON object`);
  return parsed;
}

export function setLastApplied(objIn: AnyObject, lastApplied: AnyObject): void {
  const obj = objIn as JsonObject;
  const meta = (obj.metadata ??= {}) as JsonObject;
  const ann = (isObject(meta.annotations) ? meta.annotations : (meta.annotations = {})) as JsonObject;
  ann[LAST_APPLIED_ANNOTATION] = goJsonMarshal(lastApplied);
}

function nullifyLastApplied(obj: JsonObject): void {
  const ann = (obj.metadata as JsonObject | undefined)?.annotations;
  if (isObject(ann)) delete ann[LAST_APPLIED_ANNOTATION];
}

/** Metacontroller's merge: apply the diff from lastApplied to desired onto a copy of observed. */

export type AnyObject = Record<string, any>;

export function merge(observed: AnyObject, lastApplied: AnyObject | null, desired: AnyObject): AnyObject {
  const dest = deepCopy(observed) as JsonObject;
  return mergeValue('', dest, lastApplied as JsonObject | null, desired as JsonObject) as AnyObject;
}

function mergeValue(
  path: string,
  dest: Json | undefined,
  last: Json | undefined,
  desired: Json | undefined,
): Json | undefined {
  if (isObject(dest)) {
    if (last !== undefined && last !== null && !isObject(last)) throw new Error(`lastApplied${path}: expecting object`);
    if (desired !== undefined && desired !== null && !isObject(desired))
      throw new Error(`desired${path}: expecting object`);
    return mergeObject(path, dest, (last ?? null) as JsonObject | null, (desired ?? null) as JsonObject | null);
  }
  if (Array.isArray(dest)) {
    if (last !== undefined && last !== null && !Array.isArray(last))
      throw new Error(`lastApplied${path}: expecting list`);
    if (desired !== undefined && desired !== null && !Array.isArray(desired))
      throw new Error(`desired${path}: expecting list`);
    return mergeArray(path, dest, (last ?? null) as Json[] | null, (desired ?? null) as Json[] | null);
  }
  return desired;
}

function mergeObject(path: string, dest: JsonObject, last: JsonObject | null, desired: JsonObject | null): JsonObject {
  for (const key of Object.keys(last ?? {})) {
    if (!desired || !(key in desired)) delete dest[key];
  }
  for (const [key, v] of Object.entries(desired ?? {})) {
    dest[key] = mergeValue(`${path}[${key}]`, dest[key], last?.[key], v) as Json;
  }
  return dest;
}

function mergeArray(path: string, dest: Json[], last: Json[] | null, desired: Json[] | null): Json[] | null {
  const key = detectListMapKey(dest, last ?? [], desired ?? []);
  if (key) return mergeListMap(path, key, dest, last ?? [], desired ?? []);
  return desired;
}

function stringKey(v: Json | undefined): string {
  return typeof v === 'string' ? v : String(v);
}

function toListMap(key: string, list: Json[]): JsonObject {
  const out: JsonObject = {};
  for (const item of list) out[stringKey((item as JsonObject)[key])] = item;
  return out;
}

function mergeListMap(path: string, key: string, dest: Json[], last: Json[], desired: Json[]): Json[] {
  const destMap = toListMap(key, dest);
  mergeObject(path, destMap, toListMap(key, last), toListMap(key, desired));
  const out: Json[] = [];
  const added = new Set<string>();
  for (const item of dest) {
    const k = stringKey((item as JsonObject)[key]);
    if (k in destMap && !added.has(k)) {
      out.push(destMap[k]);
      added.add(k);
    }
  }
  for (const item of desired) {
    const k = stringKey((item as JsonObject)[key]);
    if (!added.has(k)) {
      out.push(destMap[k]);
      added.add(k);
    }
  }
  return out;
}

function detectListMapKey(...lists: Json[][]): string {
  let common: Set<string> | null = null;
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) return '';
      if (common === null) {
        common = new Set(Object.keys(item));
        continue;
      }
      for (const k of [...common]) if (!(k in item)) common.delete(k);
    }
  }
  if (!common) return '';
  return KNOWN_MERGE_KEYS.find((k) => common!.has(k)) ?? '';
}

/** common.ApplyUpdate: the full object to PUT for an existing child (or equal to `observed` when nothing changed). */
export function applyUpdate(observedIn: AnyObject, desiredIn: AnyObject): AnyObject {
  const observed = observedIn as JsonObject;
  const lastApplied = getLastApplied(observed);
  const desired = deepCopy(desiredIn) as JsonObject;
  nullifyLastApplied(desired);
  const out = merge(observed, lastApplied, desired);
  // Read-only system metadata and status never cause a diff.
  const outMeta = (out.metadata ??= {}) as JsonObject;
  const obsMeta = (observed.metadata ?? {}) as JsonObject;
  for (const f of OBJECT_META_SYSTEM_FIELDS) {
    if (f in obsMeta) outMeta[f] = deepCopy(obsMeta[f]);
    else delete outMeta[f];
  }
  if ('status' in observed) out.status = deepCopy(observed.status);
  else delete out.status;
  setLastApplied(out, desired);
  return out;
}
