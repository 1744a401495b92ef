// The A2A client side of `metagent invoke`: the shared client (contract/a2a-client.ts) reached through a given
// fetch (plain, or through the API server's service proxy with kubeconfig credentials), and its replies as text.
import { TaskState, type Part, type StreamResponse } from '@a2a-js/sdk';
import { connectAgent as connect, partsText } from '../../contract/a2a-client.js';

export { AGENT_CARD_PATH, rebaseCard, userMessage, partsText, type Decision } from '../../contract/a2a-client.js';

/** The agent at `base` with both of the runtime's transports (JSON-RPC, HTTP+JSON). */
export const connectAgent = (base: string, fetchImpl: typeof fetch) => connect(base, fetchImpl, { rest: true });

export interface Outcome {
  text: string;
  state: string;
  contextId: string;
  taskId: string;
  failed: boolean;
}

const FAILED = new Set([TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED, TaskState.TASK_STATE_CANCELED]);

/** The answer of a non-streaming call: a Message, or a Task whose artifacts (else final status message) hold it. */
export function outcomeOf(result: unknown): Outcome {
  const r = result as Record<string, unknown>;
  if (Array.isArray(r.parts) && 'messageId' in r) {
    return {
      text: partsText(r.parts as Part[]),
      state: 'message',
      contextId: String(r.contextId ?? ''),
      taskId: String(r.taskId ?? ''),
      failed: false,
    };
  }
  const task = r as {
    id?: string;
    contextId?: string;
    status?: { state: TaskState; message?: { parts: Part[] } };
    artifacts?: { parts: Part[] }[];
  };
  const artifacts = (task.artifacts ?? [])
    .map((a) => partsText(a.parts))
    .filter(Boolean)
    .join('\n');
  const statusText = partsText(task.status?.message?.parts);
  const state = task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
  return {
    text: artifacts || statusText,
    state: stateName(state),
    contextId: task.contextId ?? '',
    taskId: task.id ?? '',
    failed: FAILED.has(state),
  };
}

export function stateName(s: TaskState): string {
  return (TaskState[s] ?? String(s)).replace(/^TASK_STATE_/, '').toLowerCase();
}

/**
 * Text to print for one streaming event, plus the final state when the event ends the task. Artifact chunks are the
 * answer; status messages carry progress or the failure reason.
 */
export function streamEventText(ev: StreamResponse): {
  text: string;
  state?: string;
  contextId?: string;
  taskId?: string;
  failed?: boolean;
} {
  const p = ev.payload;
  if (!p) return { text: '' };
  switch (p.$case) {
    case 'message':
      return { text: partsText(p.value.parts), contextId: p.value.contextId, state: 'message' };
    case 'artifactUpdate':
      return { text: partsText(p.value.artifact?.parts), contextId: p.value.contextId, taskId: p.value.taskId };
    case 'statusUpdate': {
      const st = p.value.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
      const terminal =
        st === TaskState.TASK_STATE_COMPLETED ||
        FAILED.has(st) ||
        st === TaskState.TASK_STATE_INPUT_REQUIRED ||
        st === TaskState.TASK_STATE_AUTH_REQUIRED;
      return {
        text: partsText(p.value.status?.message?.parts),
        contextId: p.value.contextId,
        taskId: p.value.taskId,
        ...(terminal ? { state: stateName(st), failed: FAILED.has(st) } : {}),
      };
    }
    case 'task': {
      const o = outcomeOf(p.value);
      const st = p.value.status?.state;
      const terminal = st === TaskState.TASK_STATE_COMPLETED || (st !== undefined && FAILED.has(st));
      return {
        text: terminal ? o.text : '',
        contextId: o.contextId,
        taskId: o.taskId,
        ...(terminal ? { state: o.state, failed: o.failed } : {}),
      };
    }
    default:
      return { text: '' };
  }
}
