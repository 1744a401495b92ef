// The shape of the v0.3 JSON-RPC params, checked before the A2A SDK sees them. The SDK's v0.3 compat layer reads some
// fields without checking them (a non-string taskId, extensions that are not a list, push-notification params without
// an id) and answers with an internal error carrying a TypeError's text; these answer "invalid params" naming the
// field instead. Only what the spec types and the SDK relies on is checked — unknown fields pass, so newer clients do.
import { Ajv, type ValidateFunction } from 'ajv';
import { joinPath, pointerToPath } from '../../crds/paths.js';

type Schema = Record<string, unknown>;

const str = { type: 'string' };
const obj = { type: 'object' };
// Optional fields may be null: clients that serialise absent fields as null (pydantic without exclude_none, for one)
// mean "not set", and the SDK reads null as absent.
const optStr = { type: ['string', 'null'] };
const optObj = { type: ['object', 'null'] };
const optStrings = { type: ['array', 'null'], items: str };
const optInt = { type: ['integer', 'null'] };

const part: Schema = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['text', 'data', 'file'] }, metadata: optObj },
  allOf: [
    { if: { required: ['kind'], properties: { kind: { const: 'text' } } }, then: { required: ['text'], properties: { text: str } } },
    { if: { required: ['kind'], properties: { kind: { const: 'data' } } }, then: { required: ['data'], properties: { data: obj } } },
    { if: { required: ['kind'], properties: { kind: { const: 'file' } } }, then: { required: ['file'], properties: { file: obj } } },
  ],
};

const message: Schema = {
  type: 'object',
  required: ['messageId', 'role', 'parts'],
  properties: {
    kind: { const: 'message' },
    messageId: { type: 'string', minLength: 1 },
    role: { enum: ['user', 'agent'] },
    parts: { type: 'array', items: part },
    taskId: optStr,
    contextId: optStr,
    referenceTaskIds: optStrings,
    extensions: optStrings,
    metadata: optObj,
  },
};

const messageParams: Schema = {
  type: 'object',
  required: ['message'],
  properties: {
    message,
    configuration: {
      type: ['object', 'null'],
      properties: { acceptedOutputModes: optStrings, historyLength: optInt, blocking: { type: ['boolean', 'null'] }, pushNotificationConfig: optObj },
    },
    metadata: optObj,
  },
};

const taskIdParams = (extra: Record<string, unknown> = {}): Schema => ({
  type: 'object',
  required: ['id'],
  properties: { id: str, metadata: optObj, ...extra },
});

/** params schema per v0.3 method (A2A v0.3: MessageSendParams, TaskQueryParams, TaskIdParams, push config params). */
const METHOD_PARAMS: Record<string, Schema> = {
  'message/send': messageParams,
  'message/stream': messageParams,
  'tasks/get': taskIdParams({ historyLength: optInt }),
  'tasks/cancel': taskIdParams(),
  'tasks/resubscribe': taskIdParams(),
  'tasks/pushNotificationConfig/set': { type: 'object', required: ['taskId', 'pushNotificationConfig'], properties: { taskId: str, pushNotificationConfig: obj } },
  'tasks/pushNotificationConfig/get': taskIdParams({ pushNotificationConfigId: optStr }),
  'tasks/pushNotificationConfig/list': taskIdParams(),
  'tasks/pushNotificationConfig/delete': { ...taskIdParams({ pushNotificationConfigId: str }), required: ['id', 'pushNotificationConfigId'] },
  // v1.0 methods whose task id the SDK reads the same way.
  GetTask: taskIdParams(),
  CancelTask: taskIdParams(),
  SubscribeToTask: taskIdParams(),
};

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new Map<string, ValidateFunction>(Object.entries(METHOD_PARAMS).map(([method, schema]) => [method, ajv.compile(schema)]));

/**
 * Why the params of `method` cannot be right ("params.message.taskId must be string"), or undefined when they may be
 * (also for methods not in the table: the SDK answers those itself).
 */
export function paramsProblem(method: string, params: unknown): string | undefined {
  const validate = validators.get(method);
  if (!validate || validate(params)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return 'params are not valid';
  const rel = pointerToPath(e.instancePath, params);
  const path = rel === '' ? 'params' : rel.startsWith('[') ? `params${rel}` : `params.${rel}`;
  if (e.keyword === 'required') return `${joinPath(path, (e.params as { missingProperty: string }).missingProperty)} is required`;
  if (e.keyword === 'enum') return `${path} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `${path} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  return `${path} ${e.message ?? 'is not valid'}`;
}

/**
 * Removes the null-valued fields of a v0.3 message request's params, message and configuration, in place: "not set"
 * (see above) must also read as not set to the SDK, which takes e.g. `blocking: null` as non-blocking.
 */
export function dropNullFields(method: string, params: unknown): void {
  if (method !== 'message/send' && method !== 'message/stream') return;
  const clean = (o: unknown) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return;
    for (const [k, v] of Object.entries(o)) if (v === null) delete (o as Record<string, unknown>)[k];
  };
  clean(params);
  const p = params as { message?: unknown; configuration?: unknown } | undefined;
  clean(p?.message);
  clean(p?.configuration);
}

