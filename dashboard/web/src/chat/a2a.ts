// The A2A client of the chat page: the shared client (contract/a2a-client.ts, as `metagent invoke` uses it) pointed
// at the dashboard's relay (/api/a2a/NS/NAME/...), which forwards through the API server's service proxy.
import { TaskState, type AgentCard, type StreamResponse, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { connectAgent } from '../../../../contract/a2a-client.js';
import { ApiError } from '../api';

export { TaskState };
export type { StreamResponse, Task };
export { userMessage } from '../../../../contract/a2a-client.js';

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

/** The agent's A2A client; with a share token, every call carries it (a visitor sending into a shared conversation). */
export function connect(ns: string, name: string, shareToken?: string): Promise<{ client: Client; card: AgentCard }> {
  if (!shareToken) return connectAgent(relayBase(ns, name), relayFetch);
  const withToken: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(SHARE_TOKEN_HEADER, shareToken);
    return relayFetch(input, { ...init, headers });
  };
  return connectAgent(relayBase(ns, name), withToken);
}

export const SHARE_TOKEN_HEADER = 'x-metagent-share-token';

/** A share link's conversation as the agent's runtime answers it (GET /api/shares; runtime/share/route.ts). */
export interface SharedConversation {
  contextId: string;
  readOnly: boolean;
  messages: { role: 'user' | 'assistant'; text: string }[];
}

/**
 * Reads a share link's conversation through the relay, the token in a header (never in the URL). An unknown or
 * revoked token is an ApiError 404 saying so; the runtime marks its own 404 (`reason: ShareNotFound`), so it is told
 * apart from the API server's (no such Service).
 */
export async function readShared(ns: string, name: string, token: string): Promise<SharedConversation> {
  const res = await fetch(`${relayBase(ns, name)}/api/shares`, {
    headers: { accept: 'application/json', [SHARE_TOKEN_HEADER]: token },
  });
  const body = (await res.json().catch(() => ({}))) as Partial<SharedConversation> & {
    reason?: string;
    message?: string;
    hint?: string;
  };
  if (res.ok) return body as SharedConversation;
  if (res.status === 404 && body.reason === 'ShareNotFound')
    throw new ApiError(404, 'This share link is unknown or has been revoked.');
  throw new ApiError(res.status, body.message ?? `HTTP ${res.status}`, [], body.hint);
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
