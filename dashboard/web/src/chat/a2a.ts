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

export function connect(ns: string, name: string): Promise<{ client: Client; card: AgentCard }> {
  return connectAgent(relayBase(ns, name), relayFetch);
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
