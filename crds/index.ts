// The kagent.dev/v1alpha2 API, defined once: types, schemas, defaults, validation, unsupported-field reporting.
export type * from './types.js';
export type { KindName, KindDef, PrinterColumn } from './kinds.js';
export { API_VERSION, GROUP, VERSION, KINDS, KIND_NAMES, objectSchema } from './kinds.js';
export { applyDefaults, defaultsShared } from './defaults.js';
export { applyConditionalDefaults, CONDITIONAL_DEFAULTS, type ConditionalDefault } from './conditional-defaults.js';
export { validate, formatFieldError, compileValidators, type FieldError } from './validate.js';
export { RULES, type Rule } from './rules.js';
export { unsupportedFields, describeUnsupported, UNSUPPORTED, type UnsupportedRow } from './unsupported.js';
export { crdFor, allCrds, crdFileName } from './crd.js';
export { installCrds, type KubectlFn } from './install.js';
