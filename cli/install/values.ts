// Values for `metagent install`, as Helm computes them: the chart's values.yaml, then each --values file, then each
// --set (Helm's syntax: a.b=c, lists {x,y}, a[0]=x; numbers, booleans and null typed), deep-merged in that order, and
// checked against the chart's values.schema.json with the path of every wrong value. Pure.
import { Ajv, type ErrorObject } from 'ajv';
import type { Values } from './chart-values.js';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Helm's merge: maps merge key by key, anything else (lists included) replaces; null deletes the key. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = mergeValues(out[k], v);
    else out[k] = v;
  }
  return out;
}

/** A --set value typed the way Helm types it. */
function typed(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d*)$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  return raw;
}

/** Splits on commas that are neither escaped (\,) nor inside {…}. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

type Segment = string | number;

function parseKey(key: string, whole: string): Segment[] {
  const out: Segment[] = [];
  for (const part of key.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) throw new Error(`--set ${whole}: cannot parse key "${key}"`);
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function setAt(target: Values, path: Segment[], value: unknown): void {
  let cur: any = target;
  path.forEach((seg, i) => {
    const last = i === path.length - 1;
    if (last) {
      if (value === null && !Array.isArray(cur)) delete cur[seg];
      else cur[seg] = value;
      return;
    }
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (cur[seg] === undefined || cur[seg] === null || typeof cur[seg] !== 'object') cur[seg] = nextIsIndex ? [] : {};
    cur = cur[seg];
  });
}

/**
 * One --set argument (it may hold several comma-separated assignments) applied onto values, as Helm does: into the
 * values computed so far, so `a[0].b=1` and a later `a[0].c=2` set fields of the same list element.
 */
export function parseSet(arg: string, into: Values = {}): Values {
  const out: Values = structuredClone(into);
  for (const assignment of splitTop(arg)) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new Error(`--set ${arg}: expected key=value, got "${assignment}"`);
    const key = assignment.slice(0, eq);
    const raw = assignment.slice(eq + 1);
    const value =
      raw.startsWith('{') && raw.endsWith('}')
        ? raw.length === 2
          ? []
          : splitTop(raw.slice(1, -1)).map(typed)
        : typed(raw);
    setAt(out, parseKey(key, arg), value);
  }
  return out;
}

/** `webhooks.replicas` from an Ajv instance path (`/webhooks/replicas`). */
const dotted = (e: ErrorObject) => {
  const base = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties')
    base.push(String((e.params as { additionalProperty: string }).additionalProperty));
  return base.join('.') || '(root)';
};

/** Every schema error with the value's path, e.g. `webhooks.replicas: must be integer`. */
export function validateValues(values: Values, schema: object): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(values)) return [];
  return (validate.errors ?? []).map((e) => {
    if (e.keyword === 'additionalProperties') return `${dotted(e)}: is not a value of this chart`;
    if (e.keyword === 'enum')
      return `${dotted(e)}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    return `${dotted(e)}: ${e.message}`;
  });
}
