// Validation as kube-apiserver plus kagent's CEL rules would do it: defaults first, then the structural schema
// (Ajv, all errors), then the cross-field rules. Every error names its field path.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { splitForAjv } from './ajv-split.js';
import { defaultsShared } from './defaults.js';
import { KINDS, objectSchema, type KindName } from './kinds.js';
import { joinPath, pointerToPath } from './paths.js';
import { checkRules, type FieldError } from './rules.js';
import { QUANTITY_PATTERN } from './kube-openapi/structural.js';
import { DURATION_PATTERN } from './schema/builders.js';

export type { FieldError } from './rules.js';

const INT32 = 2 ** 31;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const URI = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)[^\s]*$/;
/** The Ajv instance validation uses; `inlineRefs: false` keeps each `$defs` entry of splitForAjv's schema a function of its own (see ajv-split.ts). */
export function createAjv(allErrors: boolean, inlineRefs = false): Ajv {
  const ajv = new Ajv({ allErrors, strict: true, strictTypes: false, allowUnionTypes: true, inlineRefs });
  // Kubernetes schema extensions: meaningful to the API server, not to validation here.
  ajv.addVocabulary([
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
  ]);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  // The API server checks `uri` with Go's url.ParseRequestURI: an absolute URI (scheme:...) or an absolute path.
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URI.test(s) });
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)),
  });
  return ajv;
}

// Two compilations of each schema: one that stops at the first error (the common, valid case costs a third as
// much) and one that collects every error, run only when the first finds something.
const quickAjv = createAjv(false);
const fullAjv = createAjv(true);
const validators = new Map<KindName, { quick: ValidateFunction; full: ValidateFunction }>();
function validatorFor(kind: KindName): { quick: ValidateFunction; full: ValidateFunction } {
  let v = validators.get(kind);
  if (!v) {
    const schema = splitForAjv(objectSchema(KINDS[kind]));
    v = { quick: quickAjv.compile(schema), full: fullAjv.compile(schema) };
    validators.set(kind, v);
  }
  return v;
}

/**
 * Compile every kind's validators now rather than on the first validation of that kind (~0.2 s of Ajv code
 * generation, which the first admission requests after a webhook start would otherwise wait for).
 */
export function compileValidators(): void {
  for (const kind of Object.keys(KINDS) as KindName[]) validatorFor(kind);
}

const FORMAT_MESSAGES: Record<string, (v: unknown) => string> = {
  int32: (v) => `must be a 32-bit integer (got ${describe(v)})`,
  int64: (v) => `must be a 64-bit integer (got ${describe(v)})`,
  'date-time': (v) => `must be an RFC 3339 time such as 2026-01-02T15:04:05Z (got ${describe(v)})`,
  uri: (v) => `must be an absolute URL such as https://example.com/icon.png (got ${describe(v)})`,
};

/** Messages for the patterns we use, so users see what is meant rather than a regular expression. */
const PATTERN_MESSAGES: Record<string, string> = {
  [DURATION_PATTERN]: 'must be a duration such as "30s", "5m0s" or "1h"',
  [QUANTITY_PATTERN]: 'must be a quantity such as "500m", "2" or "1Gi"',
};

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function toFieldError(e: ErrorObject, data: unknown): FieldError | undefined {
  const path = pointerToPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  const here = (message: string): FieldError => ({ path: path || '(root)', message });
  switch (e.keyword) {
    case 'required':
      return { path: joinPath(path, String(p.missingProperty)), message: 'is required' };
    case 'enum':
      return here(
        `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${describe(e.data)})`,
      );
    case 'type':
      return here(
        `must be ${p.type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(String(p.type)) ? 'n' : ''} ${String(p.type)}`} (got ${describe(e.data)})`,
      );
    case 'anyOf':
      return here(`must be an integer or a string (got ${describe(e.data)})`);
    case 'format':
      return here(FORMAT_MESSAGES[String(p.format)]?.(e.data) ?? `must be of format ${String(p.format)}`);
    case 'pattern':
      return here(
        `${PATTERN_MESSAGES[String(p.pattern)] ?? `must match ${String(p.pattern)}`} (got ${describe(e.data)})`,
      );
    case 'minLength':
      return here(p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`);
    case 'maxLength':
      return here(`must be at most ${String(p.limit)} characters long`);
    case 'minItems':
      return here(`must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`);
    case 'maxItems':
      return here(`must have at most ${String(p.limit)} items`);
    case 'minimum':
      return here(`must be >= ${String(p.limit)} (got ${describe(e.data)})`);
    case 'maximum':
      return here(`must be <= ${String(p.limit)} (got ${describe(e.data)})`);
    default:
      return here(e.message ?? e.keyword);
  }
}

function schemaErrors(kind: KindName, obj: unknown): FieldError[] {
  const { quick, full: validate } = validatorFor(kind);
  if (quick(obj) || validate(obj)) return [];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const errors = validate.errors ?? [];
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of errors) {
    // The branches of an int-or-string anyOf report their own type errors; the anyOf error says it once.
    if (e.schemaPath.includes('/anyOf/')) continue;
    // A value of the wrong type also fails its format; the type error is the one to read.
    if (e.keyword === 'format' && typeErrorAt.has(e.instancePath)) continue;
    const fe = toFieldError({ ...e, data: e.data ?? dataAt(obj, e.instancePath) }, obj);
    if (!fe) continue;
    const key = `${fe.path}\u0000${fe.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
  return out;
}

function dataAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return node;
}

/**
 * Validate an object of `kind` the way the API server would see it: schema defaults are applied first (the API
 * server defaults before it validates), then the schema and the cross-field rules are checked. Returns every error.
 */
export function validate(kind: KindName, obj: unknown): FieldError[] {
  if (!(kind in KINDS)) return [{ path: 'kind', message: `unknown kind ${describe(kind)}` }];
  const defaulted = defaultsShared(kind, obj); // read-only below
  return [...schemaErrors(kind, defaulted), ...checkRules(kind, defaulted)];
}

export const formatFieldError = (e: FieldError): string => `${e.path}: ${e.message}`;
