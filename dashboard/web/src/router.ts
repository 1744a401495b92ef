// Hash routes (#/agents/NS/NAME/edit): the backend serves one index.html, and a reload keeps the page.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'agents' }
  | { page: 'agent'; ns: string; name: string }
  | { page: 'agent-form'; ns?: string; name?: string }
  | { page: 'chat'; ns: string; name: string; context?: string }
  | { page: 'shared'; ns: string; name: string; token: string }
  | { page: 'models' }
  | { page: 'model-form' }
  | { page: 'servers' };

const TABLE: [RegExp, (m: string[], q: URLSearchParams) => Route][] = [
  [/^\/agents\/new$/, () => ({ page: 'agent-form' })],
  [/^\/agents\/([^/]+)\/([^/]+)\/edit$/, (m) => ({ page: 'agent-form', ns: m[1], name: m[2] })],
  [/^\/agents\/([^/]+)\/([^/]+)$/, (m) => ({ page: 'agent', ns: m[1], name: m[2] })],
  [
    /^\/chat\/([^/]+)\/([^/]+)$/,
    (m, q) => ({ page: 'chat', ns: m[1], name: m[2], context: q.get('context') ?? undefined }),
  ],
  // A share link (kagent's /agents/NS/NAME/chat/SESSION?share=TOKEN, redirected here by the server): the session in
  // the path is informative only; the token decides which conversation is shown.
  [
    /^\/shared\/([^/]+)\/([^/]+)(?:\/[^/]+)?$/,
    (m, q) => ({ page: 'shared', ns: m[1], name: m[2], token: q.get('share') ?? '' }),
  ],
  [/^\/models\/new$/, () => ({ page: 'model-form' })],
  [/^\/models$/, () => ({ page: 'models' })],
  [/^\/servers$/, () => ({ page: 'servers' })],
];

export function parseRoute(hash: string): Route {
  const [path, query] = hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(query ?? '');
  for (const [re, make] of TABLE) {
    const m = re.exec(path || '/');
    if (m)
      return make(
        m.slice(0).map((s) => decodeURIComponent(s)),
        q,
      );
  }
  return { page: 'agents' };
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

export const href = {
  agents: () => '#/agents',
  agent: (ns: string, name: string) => `#/agents/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`,
  newAgent: () => '#/agents/new',
  editAgent: (ns: string, name: string) => `#/agents/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/edit`,
  chat: (ns: string, name: string, context?: string) =>
    `#/chat/${encodeURIComponent(ns)}/${encodeURIComponent(name)}${context ? `?context=${encodeURIComponent(context)}` : ''}`,
  shared: (ns: string, name: string, token: string) =>
    `#/shared/${encodeURIComponent(ns)}/${encodeURIComponent(name)}?share=${encodeURIComponent(token)}`,
  models: () => '#/models',
  newModel: () => '#/models/new',
  servers: () => '#/servers',
};

export const go = (to: string) => {
  window.location.hash = to;
};
