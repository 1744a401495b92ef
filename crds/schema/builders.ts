// Small constructors for structural OpenAPI v3 schemas. Every builder takes the field's description first so that no
// field can be declared without one (`kubectl explain` shows them). The output is plain JSON Schema: the same object
// is compiled by Ajv (webhooks) and written into the CRD YAML (crds/generate.ts), so there is one source.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
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
}

type Extra = Omit<Schema, 'type' | 'description'>;

export const str = (description: string, extra: Extra = {}): Schema => ({ type: 'string', description, ...extra });
export const bool = (description: string, extra: Extra = {}): Schema => ({ type: 'boolean', description, ...extra });
export const int = (description: string, extra: Extra = {}): Schema => ({
  type: 'integer',
  description,
  format: 'int32',
  ...extra,
});
export const int64 = (description: string, extra: Extra = {}): Schema => ({
  type: 'integer',
  description,
  format: 'int64',
  ...extra,
});
export const strEnum = (description: string, values: readonly string[], extra: Extra = {}): Schema => ({
  type: 'string',
  description,
  enum: values,
  ...extra,
});
export const arr = (description: string, items: Schema, extra: Extra = {}): Schema => ({
  type: 'array',
  description,
  items,
  ...extra,
});
export const obj = (description: string, properties: Record<string, Schema>, required: string[] = []): Schema =>
  required.length > 0
    ? { type: 'object', description, properties, required }
    : { type: 'object', description, properties };
/** A map from string keys to values of one schema (labels, annotations, headers). */
export const map = (description: string, values: Schema = { type: 'string' }): Schema => ({
  type: 'object',
  description,
  additionalProperties: values,
});
/**
 * Data whose shape this project does not own (embedded core/v1 structures such as volumes or affinity, and
 * provider-specific pass-through fields). The API server keeps it as written; Kubernetes validates it where it is
 * used (for example when the Deployment child is created).
 */
export const freeform = (description: string): Schema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
/** An int-or-string (resource quantities, ports); the one `anyOf` shape structural schemas allow. */
export const intOrString = (description: string): Schema => ({
  description,
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
});

/** Go `time.Duration` text as metav1.Duration marshals it (e.g. "30s", "5m0s", "1h30m"). */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$';
export const duration = (description: string, extra: Extra = {}): Schema => ({
  type: 'string',
  description,
  pattern: DURATION_PATTERN,
  ...extra,
});
