// The shape of the v0.3 JSON-RPC params, checked before the A2A SDK sees them. The SDK's v0.3 compat layer reads some
// fields without checking them (a non-string taskId, extensions that are not a list, push-notification params without
// an id) and answers with an internal error carrying a TypeError's text; these answer "invalid params" naming the
// field instead. Only what the spec types and the SDK relies on is checked — unknown fields pass, so newer clients do.
import { Ajv, type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

const str = { type: 'string' };
const strings = { type: 'array', items: str };
const obj = { type: 'object' };

const part: Schema = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['text', 'data', 'file'] }, metadata: obj },
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
    taskId: str,
    contextId: str,
    referenceTaskIds: strings,
    extensions: strings,
    metadata: obj,
  },
};

const messageParams: Schema = {
  type: 'object',
  required: ['message'],
  properties: {
    message,
    configuration: {
      type: 'object',
      properties: { acceptedOutputModes: strings, historyLength: { type: 'integer' }, blocking: { type: 'boolean' }, pushNotificationConfig: obj },
    },
    metadata: obj,
  },
};

const taskIdParams = (extra: Record<string, unknown> = {}): Schema => ({
  type: 'object',
  required: ['id'],
  properties: { id: str, metadata: obj, ...extra },
});

/** params schema per v0.3 method (A2A v0.3: MessageSendParams, TaskQueryParams, TaskIdParams, push config params). */
const METHOD_PARAMS: Record<string, Schema> = {
  'message/send': messageParams,
  'message/stream': messageParams,
  'tasks/get': taskIdParams({ historyLength: { type: 'integer' } }),
  'tasks/cancel': taskIdParams(),
  'tasks/resubscribe': taskIdParams(),
  'tasks/pushNotificationConfig/set': { type: 'object', required: ['taskId', 'pushNotificationConfig'], properties: { taskId: str, pushNotificationConfig: obj } },
  'tasks/pushNotificationConfig/get': taskIdParams({ pushNotificationConfigId: str }),
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
  const path = `params${e.instancePath.replace(/\/([^/]*)/g, (_, k: string) => (/^\d+$/.test(k) ? `[${k}]` : `.${k.replace(/~1/g, '/').replace(/~0/g, '~')}`))}`;
  if (e.keyword === 'required') return `${path}.${(e.params as { missingProperty: string }).missingProperty} is required`;
  if (e.keyword === 'enum') return `${path} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `${path} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  return `${path} ${e.message ?? 'is not valid'}`;
}
