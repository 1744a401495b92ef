// Small constructors for structural OpenAPI v3 schemas. Every builder takes the field's description first so that no
// field can be declared without one (`kubectl explain` shows them). The output is plain JSON Schema: the same object
// is compiled by Ajv (webhooks) and written into the CRD YAML (crds/generate.ts), so there is one source.
//
// Each builder also carries, at type level only, the TypeScript type of the JSON its schema accepts (`TypeOf<typeof
// node>`): crds/types.ts derives the API's types from the schema this way, so a field exists in one place. Required
// keys (obj's `required`) become required properties; defaulted fields stay optional (the type describes what a
// client may write, before defaulting).

declare const TYPE: unique symbol;

export interface Schema<T = unknown> {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: readonly (string | number)[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Phantom: never present at run time; the TS type of the values this schema accepts. */
  readonly [TYPE]?: T;
}

/** The TS type of the JSON a schema node accepts. */
export type TypeOf<S> = S extends { readonly [TYPE]?: infer T } ? T : never;

/**
 * A @kubernetes/client-node model as the JSON on the wire: client-node's models type RFC 3339 timestamps as `Date`
 * (its ObjectSerializer converts them); in the objects this project reads and writes they are strings.
 */
export type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** Attach a TS type to a schema node whose shape the builders cannot infer (e.g. a client-node model). */
export const typed = <T>(schema: Schema): Schema<T> => schema as Schema<T>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<P extends Record<string, Schema>, R extends PropertyKey> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]-?: TypeOf<P[K]> } & {
    -readonly [K in keyof P as K extends R ? never : K]?: TypeOf<P[K]>;
  }
>;

type Extra = Omit<Schema, 'type' | 'description' | typeof TYPE>;

export const str = (description: string, extra: Extra = {}): Schema<string> => ({
  type: 'string',
  description,
  ...extra,
});
export const bool = (description: string, extra: Extra = {}): Schema<boolean> => ({
  type: 'boolean',
  description,
  ...extra,
});
export const int = (description: string, extra: Extra = {}): Schema<number> => ({
  type: 'integer',
  description,
  format: 'int32',
  ...extra,
});
export const int64 = (description: string, extra: Extra = {}): Schema<number> => ({
  type: 'integer',
  description,
  format: 'int64',
  ...extra,
});
export const strEnum = <const V extends readonly string[]>(
  description: string,
  values: V,
  extra: Extra = {},
): Schema<V[number]> => ({
  type: 'string',
  description,
  enum: values,
  ...extra,
});
export const arr = <I>(description: string, items: Schema<I>, extra: Extra = {}): Schema<I[]> => ({
  type: 'array',
  description,
  items,
  ...extra,
});
export const obj = <P extends Record<string, Schema>, const R extends readonly (keyof P & string)[] = readonly []>(
  description: string,
  properties: P,
  required?: R,
): Schema<ObjectOf<P, R[number]>> =>
  required !== undefined && required.length > 0
    ? { type: 'object', description, properties, required }
    : { type: 'object', description, properties };
/** A map from string keys to values of one schema (labels, annotations, headers). */
export function map(description: string): Schema<Record<string, string>>;
export function map<V>(description: string, values: Schema<V>): Schema<Record<string, V>>;
export function map(description: string, values: Schema = { type: 'string' }): Schema {
  return { type: 'object', description, additionalProperties: values };
}
/**
 * Data whose shape this project does not own (embedded core/v1 structures such as volumes or affinity, and
 * provider-specific pass-through fields). The API server keeps it as written; Kubernetes validates it where it is
 * used (for example when the Deployment child is created). `T` is the TS type of that data when one exists (a
 * client-node model).
 */
export const freeform = <T = Record<string, unknown>>(description: string): Schema<T> => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
/** An int-or-string (resource quantities, ports); the one `anyOf` shape structural schemas allow. */
export const intOrString = (description: string): Schema<number | string> => ({
  description,
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
});

/** Go `time.Duration` text as metav1.Duration marshals it (e.g. "30s", "5m0s", "1h30m"). */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$';
export const duration = (description: string, extra: Extra = {}): Schema<string> => ({
  type: 'string',
  description,
  pattern: DURATION_PATTERN,
  ...extra,
});
