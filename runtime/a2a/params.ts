// The shape of the JSON-RPC params per protocol version, checked before the A2A SDK sees them, and the methods each
// version has. v0.3: the SDK's compat layer reads some fields without checking them (a non-string taskId, extensions
// that are not a list, push-notification params without an id) and answers with an internal error carrying a
// TypeError's text; these answer "invalid params" naming the field instead. v1.0: the SDK decodes params leniently
// (proto3 JSON defaults), so a message without a role or parts, a negative historyLength or a malformed timestamp
// would pass; A2A 1.0 §5.7 says required fields MUST be present and required arrays MUST NOT be empty, §3.2.4 that
// historyLength is a count, §5.6.1 that timestamps are ISO 8601 in UTC. Only what the spec types is checked —
// unknown fields pass, so newer clients do.
import { TaskState } from '@a2a-js/sdk';
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
// historyLength (A2A 1.0 §3.2.4: unset, 0 or a positive count; v0.3 the same)
const optCount = { type: ['integer', 'null'], minimum: 0 };

const part: Schema = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['text', 'data', 'file'] }, metadata: optObj },
  allOf: [
    {
      if: { required: ['kind'], properties: { kind: { const: 'text' } } },
      then: { required: ['text'], properties: { text: str } },
    },
    {
      if: { required: ['kind'], properties: { kind: { const: 'data' } } },
      then: { required: ['data'], properties: { data: obj } },
    },
    {
      if: { required: ['kind'], properties: { kind: { const: 'file' } } },
      then: { required: ['file'], properties: { file: obj } },
    },
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
      properties: {
        acceptedOutputModes: optStrings,
        historyLength: optCount,
        blocking: { type: ['boolean', 'null'] },
        pushNotificationConfig: optObj,
      },
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
const V03_PARAMS: Record<string, Schema | null> = {
  'message/send': messageParams,
  'message/stream': messageParams,
  'tasks/get': taskIdParams({ historyLength: optCount }),
  'tasks/cancel': taskIdParams(),
  'tasks/resubscribe': taskIdParams(),
  'tasks/pushNotificationConfig/set': {
    type: 'object',
    required: ['taskId', 'pushNotificationConfig'],
    properties: { taskId: str, pushNotificationConfig: obj },
  },
  'tasks/pushNotificationConfig/get': taskIdParams({ pushNotificationConfigId: optStr }),
  'tasks/pushNotificationConfig/list': taskIdParams(),
  'tasks/pushNotificationConfig/delete': {
    ...taskIdParams({ pushNotificationConfigId: str }),
    required: ['id', 'pushNotificationConfigId'],
  },
  'agent/getAuthenticatedExtendedCard': null,
};

// --- A2A 1.0 (a2a.proto's request messages in their JSON form; proto3 JSON also accepts the snake_case names) ---

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** properties under their JSON names and their proto field names */
const fields = (props: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(props).flatMap(([k, v]) =>
      snake(k) === k
        ? [[k, v]]
        : [
            [k, v],
            [snake(k), v],
          ],
    ),
  );

/** `names` required under either spelling; a missing one is reported as "<path>.<name> is required" */
const requiredEither = (...names: string[]) => ({
  allOf: names.map((n) =>
    snake(n) === n ? { required: [n] } : { anyOf: [{ required: [n] }, { required: [snake(n)] }], requiredField: n },
  ),
});

/** enum values as proto3 JSON writes them (names) or reads them (names or numbers) */
const protoEnum = (e: Record<string, string | number>, skip: string) => {
  const names = Object.keys(e).filter((k) => Number.isNaN(Number(k)) && k !== skip);
  return { enum: [...names, ...names.map((n) => e[n])] };
};
const ROLES = { ROLE_USER: 1, ROLE_AGENT: 2 };
const taskState = protoEnum(TaskState as unknown as Record<string, string | number>, 'TASK_STATE_UNSPECIFIED');
// A2A 1.0 §5.6.1: ISO 8601 in UTC, 'Z' suffix, no other offset.
const timestamp = { type: 'string', format: 'a2a-timestamp' };

const v1Part: Schema = {
  type: 'object',
  properties: fields({
    text: str,
    raw: str,
    url: str,
    data: {},
    metadata: optObj,
    filename: optStr,
    mediaType: optStr,
  }),
  anyOf: ['text', 'raw', 'url', 'data'].map((k) => ({ required: [k] })),
  errorMessage: 'must have one of text, raw, url, data',
};

const v1Message: Schema = {
  type: 'object',
  ...requiredEither('messageId', 'role', 'parts'),
  properties: fields({
    messageId: { type: 'string', minLength: 1 },
    role: { enum: [...Object.keys(ROLES), ...Object.values(ROLES)] },
    parts: { type: 'array', minItems: 1, items: v1Part },
    taskId: optStr,
    contextId: optStr,
    referenceTaskIds: optStrings,
    extensions: optStrings,
    metadata: optObj,
  }),
};

const v1SendParams: Schema = {
  type: 'object',
  required: ['message'],
  properties: fields({
    message: v1Message,
    configuration: {
      type: ['object', 'null'],
      properties: fields({
        acceptedOutputModes: optStrings,
        historyLength: optCount,
        returnImmediately: { type: ['boolean', 'null'] },
        taskPushNotificationConfig: optObj,
      }),
    },
    metadata: optObj,
    tenant: optStr,
  }),
};

const v1TaskId = (extra: Record<string, unknown> = {}): Schema => ({
  type: 'object',
  required: ['id'],
  properties: fields({ id: str, tenant: optStr, metadata: optObj, ...extra }),
});

const v1ListTasks: Schema = {
  type: 'object',
  properties: fields({
    tenant: optStr,
    contextId: optStr,
    status: taskState,
    // a2a.proto ListTasksRequest.page_size: "The minimum value is 1. The maximum value is 100."
    pageSize: { type: ['integer', 'null'], minimum: 1, maximum: 100 },
    pageToken: optStr,
    historyLength: optCount,
    statusTimestampAfter: timestamp,
    includeArtifacts: { type: ['boolean', 'null'] },
  }),
};

const v1PushTask = (required: string[]): Schema => ({
  type: 'object',
  ...requiredEither(...required),
  properties: fields({ taskId: str, id: str, tenant: optStr }),
});

/** params schema per v1.0 method (a2a.proto's A2AService); null: any params (the SDK checks them) */
const V10_PARAMS: Record<string, Schema | null> = {
  SendMessage: v1SendParams,
  SendStreamingMessage: v1SendParams,
  GetTask: v1TaskId({ historyLength: optCount }),
  ListTasks: v1ListTasks,
  CancelTask: v1TaskId(),
  SubscribeToTask: v1TaskId(),
  CreateTaskPushNotificationConfig: v1PushTask(['taskId']),
  GetTaskPushNotificationConfig: v1PushTask(['taskId', 'id']),
  ListTaskPushNotificationConfigs: v1PushTask(['taskId']),
  DeleteTaskPushNotificationConfig: v1PushTask(['taskId', 'id']),
  GetExtendedAgentCard: null,
};

const TABLES: Record<string, Record<string, Schema | null>> = { '0.3': V03_PARAMS, '1.0': V10_PARAMS };

const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
ajv.addFormat('a2a-timestamp', {
  type: 'string',
  validate: (s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(s) &&
    !Number.isNaN(Date.parse(s)) &&
    new Date(Date.parse(s)).toISOString().slice(0, 10) === s.slice(0, 10),
});
const validators = new Map<string, ValidateFunction | null>(
  Object.entries(TABLES).flatMap(([version, table]) =>
    Object.entries(table).map(([method, schema]) => [`${version} ${method}`, schema && ajv.compile(schema)] as const),
  ),
);

/** Whether `method` is a JSON-RPC method of A2A `version` (the v0.3 and v1.0 method names differ throughout). */
export function knownMethod(version: string, method: string): boolean {
  return validators.has(`${version} ${method}`);
}

/**
 * Why the params of `method` cannot be right ("params.message.taskId must be string"), or undefined when they may be
 * (also for methods not in the version's table: those are answered as not found).
 */
export function paramsProblem(version: string, method: string, params: unknown): string | undefined {
  const validate = validators.get(`${version} ${method}`);
  if (!validate || validate(params)) return undefined;
  // A part with none of its content fields fails each anyOf branch first; the anyOf error says what is wrong.
  const e = validate.errors?.find((x) => x.keyword === 'anyOf') ?? validate.errors?.[0];
  if (!e) return 'params are not valid';
  const rel = pointerToPath(e.instancePath, params);
  const path = rel === '' ? 'params' : rel.startsWith('[') ? `params${rel}` : `params.${rel}`;
  if (e.keyword === 'required')
    return `${joinPath(path, (e.params as { missingProperty: string }).missingProperty)} is required`;
  if (e.keyword === 'enum') {
    const names = (e.params as { allowedValues: unknown[] }).allowedValues.filter((v) => typeof v === 'string');
    return `${path} must be one of ${names.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'const')
    return `${path} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  if (e.keyword === 'anyOf' && e.parentSchema && 'requiredField' in e.parentSchema)
    return `${joinPath(path, String(e.parentSchema.requiredField))} is required`;
  if (e.keyword === 'anyOf' && e.parentSchema && 'errorMessage' in e.parentSchema)
    return `${path} ${String(e.parentSchema.errorMessage)}`;
  if (e.keyword === 'format') return `${path} must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ)`;
  if (e.keyword === 'minItems' && e.params && (e.params as { limit: number }).limit === 1)
    return `${path} must not be empty`;
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
