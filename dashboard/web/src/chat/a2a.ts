// The A2A client of the chat page: @a2a-js/sdk's own client, pointed at the dashboard's relay
// (/api/a2a/NS/NAME/...), which forwards through the API server's service proxy. The card advertises the agent's
// in-cluster URL; each interface is rebased onto the relay, keeping its path.
import { Role, TaskState, type AgentCard, type StreamResponse, type Task } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';
import { ApiError } from '../api';

export { TaskState };
export type { StreamResponse, Task };

export const relayBase = (ns: string, name: string) =>
  `${window.location.origin}/api/a2a/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

/** fetch with the header the backend requires on every POST (a foreign page cannot send it), and readable refusals. */
const relayFetch: typeof fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('x-metagent-dashboard', '1');
  const res = await fetch(input, { ...init, headers });
  if (!res.ok && (res.headers.get('content-type') ?? '').startsWith('application/json')) {
    const b = (await res
      .clone()
      .json()
      .catch(() => ({}))) as { message?: string; hint?: string; status?: number };
    if (b.message && b.status) throw new ApiError(res.status, b.message, [], b.hint);
  }
  return res;
};

function rebase(card: AgentCard, base: string): AgentCard {
  return {
    ...card,
    supportedInterfaces: card.supportedInterfaces.map((i) => {
      let path = '/';
      try {
        path = new URL(i.url).pathname;
      } catch {
        /* relative: the root */
      }
      return { ...i, url: `${base}${path === '/' ? '/' : path}` };
    }),
  };
}

export async function connect(ns: string, name: string): Promise<{ client: Client; card: AgentCard }> {
  const base = relayBase(ns, name);
  const resolver = new DefaultAgentCardResolver({ fetchImpl: relayFetch, legacyCompat: { enabled: true } });
  const card = rebase(await resolver.resolve(`${base}/.well-known/agent-card.json`, ''), base);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl: relayFetch, legacyCompat: { enabled: true } })],
    }),
  );
  return { client: await factory.createFromAgentCard(card), card };
}

export function userMessage(
  text: string,
  contextId: string,
  taskId = '',
  decision?: { decision: 'approve' | 'reject'; reason?: string },
) {
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
      messageId: crypto.randomUUID(),
      contextId,
      taskId,
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

/** One page of a conversation's tasks (ListTasks filtered by context), with their history. */
export async function listTasks(
  client: Client,
  contextId: string,
  pageToken = '',
): Promise<{ tasks: Task[]; next: string }> {
  const r = await client.listTasks({
    tenant: '',
    contextId,
    status: TaskState.TASK_STATE_UNSPECIFIED,
    pageSize: 50,
    pageToken,
    historyLength: 1000,
    statusTimestampAfter: undefined,
    includeArtifacts: true,
  });
  return { tasks: r.tasks, next: r.nextPageToken };
}
