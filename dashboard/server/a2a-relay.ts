// Chat: the browser's A2A calls (agent card, JSON-RPC message/send and message/stream, ListTasks, tasks/get,
// tasks/cancel) relayed to the agent through the API server's service proxy, exactly the path `metagent invoke`
// takes: RBAC's services/proxy in the agent's namespace decides who may talk to it, with the user's own identity.
// Bodies stream both ways untouched, so server-sent events reach the page as the runtime writes them. The call names
// the person as kagent's x-user-id (the runtime keeps each user id's tasks apart, so the conversations list is theirs);
// a browser's own x-user-id is never passed on. A share link's visitor reads the shared conversation the same way
// (GET .../api/shares with the token in x-metagent-share-token, never in the URL the API server logs), with their own
// identity: the dashboard lends nobody its rights.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeCall } from './kube-client.js';
import { readStatus } from './status.js';

export interface A2ATarget {
  namespace: string;
  service: string;
  port: number;
  /** The path under the agent's root, starting with /. */
  rest: string;
}

export function serviceProxyPath(t: A2ATarget): string {
  return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/services/${encodeURIComponent(`${t.service}:${t.port}`)}/proxy${t.rest}`;
}

/** What a service-proxy refusal means for a person in the chat page. */
export const PROXY_HINTS: Record<number, (t: A2ATarget) => string> = {
  403: (t) => `you may not talk to agents in namespace ${t.namespace} (RBAC: services/proxy)`,
  404: (t) => `no Service ${t.service} in namespace ${t.namespace}: the agent has not been reconciled yet`,
  503: (t) => `agent ${t.namespace}/${t.service} has no ready pod yet`,
};

const PASS_REQUEST = ['content-type', 'accept', 'a2a-version', 'x-a2a-extensions', 'x-metagent-share-token'];
const PASS_RESPONSE = ['content-type', 'cache-control', 'a2a-version', 'x-a2a-extensions'];

export async function relayA2A(
  call: KubeCall,
  t: A2ATarget,
  identity: { impersonate: Record<string, string | string[]>; userId?: string },
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const headers: Record<string, string | string[]> = {
    ...identity.impersonate,
    ...(identity.userId ? { 'x-user-id': identity.userId } : {}),
  };
  for (const h of PASS_REQUEST) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  const upstream = await call({
    method: (req.method ?? 'GET') as 'GET',
    path: serviceProxyPath(t),
    headers,
    body: hasBody ? req : undefined,
    signal,
  });
  const type = String(upstream.headers['content-type'] ?? '');
  if (upstream.status >= 400 && type.startsWith('application/json')) {
    // The API server's own refusal (a Status), or the agent's JSON error: a Status gets the hint.
    const problem = await readStatus(upstream);
    const hint = PROXY_HINTS[upstream.status]?.(t);
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...problem, ...(hint ? { hint } : {}) }));
    return;
  }
  const out: Record<string, string> = {};
  for (const h of PASS_RESPONSE) {
    const v = upstream.headers[h];
    if (typeof v === 'string') out[h] = v;
  }
  res.writeHead(upstream.status, out);
  // Server-sent events: write each chunk as it comes (no buffering anywhere between runtime and page).
  res.flushHeaders();
  for await (const chunk of upstream.body) res.write(chunk);
  res.end();
}
