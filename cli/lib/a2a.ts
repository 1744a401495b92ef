// The A2A client side of `metagent invoke`: reach an agent at a base URL through a given fetch (plain, or through the
// API server's service proxy with kubeconfig credentials), and turn its replies into text.
import { randomUUID } from 'node:crypto';
import { Role, TaskState, type AgentCard, type Part, type StreamResponse } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';

export const AGENT_CARD_PATH = '/.well-known/agent-card.json';

/**
 * The card advertises the agent's in-cluster URL (http://NAME.NS:8080); from outside we reach it at `base` (a service
 * proxy URL or --url). Keep each interface's path, replace everything before it, so calls go where the card came from.
 */
export function rebaseCard(card: AgentCard, base: string): AgentCard {
  const root = base.replace(/\/+$/, '');
  return {
    ...card,
    supportedInterfaces: card.supportedInterfaces.map((i) => {
      let path = '/';
      try {
        path = new URL(i.url).pathname;
      } catch {
        /* relative or malformed: serve from the root */
      }
      return { ...i, url: `${root}${path === '/' ? '/' : path}` };
    }),
  };
}

export async function connectAgent(
  base: string,
  fetchImpl: typeof fetch,
): Promise<{ client: Client; card: AgentCard }> {
  const resolver = new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: true } });
  // A full URL and an empty path: the resolver joins with new URL(), which would drop a proxy path prefix.
  const card = rebaseCard(await resolver.resolve(`${base.replace(/\/+$/, '')}${AGENT_CARD_PATH}`, ''), base);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [
        new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
        new RestTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
      ],
    }),
  );
  return { client: await factory.createFromAgentCard(card), card };
}

/** kagent's approval reply to a task paused in input-required: `{decision_type, rejection_reason}` as a data part. */
export interface Decision {
  decision: 'approve' | 'reject';
  reason?: string;
}

/** A user message: text, or a decision about the paused task `taskId` (then `text` is not sent). */
export function userMessage(text: string, contextId?: string, taskId?: string, decision?: Decision) {
  const part = decision
    ? {
        content: {
          $case: 'data' as const,
          value: {
            decision_type: decision.decision,
            ...(decision.reason ? { rejection_reason: decision.reason } : {}),
          },
        },
        metadata: undefined,
        filename: '',
        mediaType: '',
      }
    : { content: { $case: 'text' as const, value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
  return {
    tenant: '',
    message: {
      messageId: randomUUID(),
      contextId: contextId ?? '',
      taskId: taskId ?? '',
      role: Role.ROLE_USER,
      parts: [part],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}

export function partsText(parts: Part[] | undefined): string {
  return (parts ?? [])
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter(Boolean)
    .join('');
}

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
