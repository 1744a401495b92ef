// Builders and readers for the A2A SDK's v1.0 object model (protobuf-shaped: parts are `content.$case` unions),
// and kagent's data-part conventions for tool calls, tool results and approval requests.
import { randomUUID } from 'node:crypto';
import { Role, type Message, type Part } from '@a2a-js/sdk';

export const textPart = (text: string): Part => ({
  content: { $case: 'text', value: text },
  metadata: undefined,
  filename: '',
  mediaType: '',
});

export const dataPart = (data: unknown, metadata?: Record<string, unknown>): Part => ({
  content: { $case: 'data', value: data },
  metadata,
  filename: '',
  mediaType: '',
});

export function agentMessage(
  parts: Part[],
  ids: { contextId: string; taskId: string },
  metadata?: Record<string, unknown>,
): Message {
  return {
    messageId: randomUUID(),
    contextId: ids.contextId,
    taskId: ids.taskId,
    role: Role.ROLE_AGENT,
    parts,
    metadata,
    extensions: [],
    referenceTaskIds: [],
  };
}

export function userMessage(text: string, ids: { contextId?: string; taskId?: string } = {}): Message {
  return {
    messageId: randomUUID(),
    contextId: ids.contextId ?? '',
    taskId: ids.taskId ?? '',
    role: Role.ROLE_USER,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** All text of a message, parts joined by newlines. */
export function textOf(message: Message | undefined): string {
  return (message?.parts ?? [])
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter(Boolean)
    .join('\n');
}

/** Data parts' payloads. */
export function dataOf(message: Message | undefined): Array<{ data: unknown; metadata: Record<string, unknown> }> {
  return (message?.parts ?? []).flatMap((p) =>
    p.content?.$case === 'data' ? [{ data: p.content.value, metadata: p.metadata ?? {} }] : [],
  );
}

// kagent (via Google ADK) marks tool traffic in data-part metadata; both prefixes are written because kagent's UI
// reads `kagent_type` and ADK-based clients read `adk_type`.
const typeMeta = (type: string, extra: Record<string, unknown> = {}) => ({
  kagent_type: type,
  adk_type: type,
  ...extra,
});

export const TYPE_FUNCTION_CALL = 'function_call';
export const TYPE_FUNCTION_RESPONSE = 'function_response';
/** ADK's name for the synthetic call that asks a human to confirm a tool call. */
export const REQUEST_CONFIRMATION = 'adk_request_confirmation';

export function toolCallPart(call: { id: string; name: string; args: unknown }): Part {
  return dataPart({ id: call.id, name: call.name, args: call.args }, typeMeta(TYPE_FUNCTION_CALL));
}

export function toolResultPart(call: { id: string; name: string }, result: string, isError: boolean): Part {
  // ADK's shape for an MCP tool's response (the CallToolResult), plus `result`/`error` for simple readers.
  const response = {
    content: [{ type: 'text', text: result }],
    isError,
    ...(isError ? { error: result } : { result }),
  };
  return dataPart({ id: call.id, name: call.name, response }, typeMeta(TYPE_FUNCTION_RESPONSE));
}

/** The pending call of an `input-required` task, in ADK's confirmation shape that kagent's UI renders. */
export function approvalRequestPart(call: { id: string; name: string; args: unknown }): Part {
  return dataPart(
    {
      name: REQUEST_CONFIRMATION,
      id: `confirm_${call.id}`,
      args: {
        originalFunctionCall: { id: call.id, name: call.name, args: call.args },
        toolConfirmation: { hint: `Tool ${call.name} requires approval before it runs.`, confirmed: false },
      },
    },
    typeMeta(TYPE_FUNCTION_CALL, { kagent_is_long_running: true, adk_is_long_running: true }),
  );
}

export interface PendingCall {
  id: string;
  name: string;
  args: unknown;
}

/** The pending calls recorded in an input-required task's status message (so a restart can still resume). */
export function pendingCallsOf(message: Message | undefined): PendingCall[] {
  return dataOf(message).flatMap(({ data }) => {
    const d = data as { name?: string; args?: { originalFunctionCall?: PendingCall } };
    const call = d?.name === REQUEST_CONFIRMATION ? d.args?.originalFunctionCall : undefined;
    return call?.id && call.name ? [call] : [];
  });
}

export type Decision = 'approve' | 'reject';

const APPROVE_WORDS = new Set(['approved', 'approve', 'proceed', 'yes', 'continue']);
const REJECT_WORDS = new Set(['denied', 'deny', 'reject', 'no', 'cancel', 'stop']);

/**
 * kagent's HITL decision: a data part `{decision_type: approve|reject|batch, decisions?: {callId: ...},
 * rejection_reason?, rejection_reasons?}`, or, as kagent also accepts, a bare keyword as the message text.
 * Returns undefined when the message is not a decision.
 */
export function decisionsOf(
  message: Message | undefined,
  pending: PendingCall[],
): Map<string, { decision: Decision; reason?: string }> | undefined {
  for (const { data } of dataOf(message)) {
    const d = data as {
      decision_type?: string;
      decisions?: Record<string, string>;
      rejection_reason?: string;
      rejection_reasons?: Record<string, string>;
    };
    if (!d || typeof d !== 'object') continue;
    if (d.decision_type === 'approve' || d.decision_type === 'reject' || d.decision_type === 'deny') {
      const decision: Decision = d.decision_type === 'approve' ? 'approve' : 'reject';
      return new Map(pending.map((p) => [p.id, { decision, reason: d.rejection_reason }]));
    }
    if (d.decision_type === 'batch' && d.decisions && typeof d.decisions === 'object') {
      return new Map(
        pending.map((p) => {
          const v = d.decisions?.[p.id];
          // A call the batch does not mention is not approved: approval must be explicit.
          return [p.id, { decision: v === 'approve' ? 'approve' : 'reject', reason: d.rejection_reasons?.[p.id] }];
        }),
      );
    }
  }
  const word = textOf(message)
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '');
  if (APPROVE_WORDS.has(word)) return new Map(pending.map((p) => [p.id, { decision: 'approve' as const }]));
  if (REJECT_WORDS.has(word)) return new Map(pending.map((p) => [p.id, { decision: 'reject' as const }]));
  return undefined;
}
