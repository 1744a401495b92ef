// The JSON-RPC 2.0 envelope of an A2A request, checked before the SDK sees it (both protocol versions), and the
// wording of the SDK's error messages. Pure functions; server.ts applies them.
import { TaskState } from '@a2a-js/sdk';
import { LEGACY_VERSION } from './version.js';

/** JSON-RPC 2.0 and A2A error codes (JSON-RPC 2.0 §5.1; A2A 1.0 §5.4). */
export const RPC = {
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  versionNotSupported: -32009,
} as const;

export interface EnvelopeProblem {
  code: number;
  message: string;
  /** the request's id when it is a valid one, else null (JSON-RPC 2.0 §5: null when it cannot be detected) */
  id: string | number | null;
}

const validId = (id: unknown): id is string | number | null =>
  id === null || typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));

/**
 * Why `body` is not a JSON-RPC 2.0 request object (JSON-RPC 2.0 §4: `jsonrpc` exactly "2.0", `method` a string,
 * `id` a string, an integer or null when present, `params` a structured value when present), or undefined.
 */
export function envelopeProblem(body: unknown): EnvelopeProblem | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { code: RPC.invalidRequest, message: 'Invalid Request: expected a JSON-RPC 2.0 request object', id: null };
  }
  const { jsonrpc, method, id, params } = body as Record<string, unknown>;
  const answerId = validId(id) ? id : null;
  const invalid = (why: string): EnvelopeProblem => ({
    code: RPC.invalidRequest,
    message: `Invalid Request: ${why}`,
    id: answerId,
  });
  if ('id' in body && !validId(id)) return invalid('id must be a string, an integer or null');
  if (jsonrpc !== '2.0')
    return invalid(
      `jsonrpc must be "2.0"${jsonrpc === undefined ? '' : `, got ${JSON.stringify(jsonrpc).slice(0, 32)}`}`,
    );
  if (typeof method !== 'string' || method === '') return invalid('method must be a non-empty string');
  if (params !== undefined && (params === null || typeof params !== 'object'))
    return invalid('params must be an object or an array');
  return undefined;
}

const STATE_PREFIX = 'TASK_STATE_';

/** A task state as the protocol version names it: TASK_STATE_COMPLETED (1.0), completed / input-required (0.3). */
export function taskStateName(state: number, version: string): string | undefined {
  const name = (TaskState as unknown as Record<number, string | undefined>)[state];
  if (!name) return undefined;
  return version === LEGACY_VERSION ? name.slice(STATE_PREFIX.length).toLowerCase().replace(/_/g, '-') : name;
}

/**
 * The SDK writes task states into its error messages as enum numbers ("is in a terminal state (3)"); clients know
 * them by name.
 */
export function nameTaskStates(message: string, version: string): string {
  return message.replace(/\bstate \((\d+)\)/g, (all, n: string) => {
    const name = taskStateName(Number(n), version);
    return name ? `state (${name})` : all;
  });
}
