// One-object calls: get, server-side apply (with dry-run for validation), delete, the write-only API-key Secret, the
// namespace list, and an Agent's children. Each returns {status, body} for server.ts to send; refusals keep the API
// server's Status (message and field causes), so the page can say what Kubernetes said.
import type { KubeCall, KubeResponse } from './kube-client.js';
import { kindPath, type RelayedKind } from './kinds.js';
import { readStatus, warningsOf } from './status.js';
import { slim } from './watch.js';

export interface Reply {
  status: number;
  body: unknown;
}

export const FIELD_MANAGER = 'metagent-dashboard';

async function json(res: KubeResponse): Promise<Reply> {
  if (res.status >= 400) return { status: res.status, body: await readStatus(res) };
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(c as Buffer);
  return { status: res.status, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') };
}

type Ctx = { call: KubeCall; headers: Record<string, string | string[]> };

export async function getObject(c: Ctx, k: RelayedKind, ns: string, name: string): Promise<Reply> {
  const r = await json(await c.call({ method: 'GET', path: kindPath(k, ns, name), headers: c.headers }));
  return r.status === 200 ? { status: 200, body: slim(r.body) } : r;
}

/** The body the page sends must be the object the URL names; anything else is the page's bug, said plainly. */
export function checkApplyBody(
  k: RelayedKind,
  ns: string,
  name: string,
  body: unknown,
  apiVersion: string,
): string | undefined {
  const o = body as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'the body must be one Kubernetes object';
  if (o.apiVersion !== apiVersion) return `apiVersion must be ${apiVersion}, got ${JSON.stringify(o.apiVersion)}`;
  if (o.kind !== k.kind) return `kind must be ${k.kind}, got ${JSON.stringify(o.kind)}`;
  if (o.metadata?.name !== name)
    return `metadata.name must be "${name}" (the object being saved), got ${JSON.stringify(o.metadata?.name)}`;
  if (o.metadata?.namespace !== undefined && o.metadata.namespace !== ns)
    return `metadata.namespace must be "${ns}", got ${JSON.stringify(o.metadata.namespace)}`;
  return undefined;
}

/**
 * Server-side apply as the dashboard's field manager. `force`: the form shows and saves the whole object, so taking
 * over fields another manager (kubectl) set is what the user asked for. With dryRun the admission chain (our
 * webhooks) runs and nothing is stored: that is the form's validation.
 */
export async function applyObject(
  c: Ctx,
  k: RelayedKind,
  ns: string,
  name: string,
  body: unknown,
  dryRun: boolean,
): Promise<Reply> {
  const q = new URLSearchParams({
    fieldManager: FIELD_MANAGER,
    force: 'true',
    fieldValidation: 'Strict',
    ...(dryRun ? { dryRun: 'All' } : {}),
  });
  const obj = { ...(body as object), metadata: { ...(body as { metadata: object }).metadata, namespace: ns } };
  const res = await c.call({
    method: 'PATCH',
    path: `${kindPath(k, ns, name)}?${q.toString()}`,
    headers: { ...c.headers, 'content-type': 'application/apply-patch+yaml' },
    body: JSON.stringify(obj),
  });
  const warnings = warningsOf(res.headers.warning);
  const r = await json(res);
  return r.status < 300 ? { status: 200, body: { object: slim(r.body), warnings } } : r;
}

export async function deleteObject(c: Ctx, k: RelayedKind, ns: string, name: string): Promise<Reply> {
  const r = await json(await c.call({ method: 'DELETE', path: kindPath(k, ns, name), headers: c.headers }));
  return r.status < 300 ? { status: 200, body: { deleted: `${ns}/${name}` } } : r;
}

/**
 * The API key of a ModelConfig, written in the same step as the ModelConfig. Write-only: the reply never carries the
 * Secret back (the API server's apply response would), and there is no route to read one.
 */
export async function applyKeySecret(c: Ctx, ns: string, name: string, body: unknown): Promise<Reply> {
  const b = body as { key?: unknown; value?: unknown };
  if (typeof b?.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(b.key))
    return { status: 400, body: { status: 400, message: 'key: a Secret data key ([-._a-zA-Z0-9]+) is required' } };
  if (typeof b.value !== 'string' || !b.value)
    return { status: 400, body: { status: 400, message: 'value: the API key must not be empty' } };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER } },
    type: 'Opaque',
    data: { [b.key]: Buffer.from(b.value).toString('base64') },
  };
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, force: 'true' });
  const res = await c.call({
    method: 'PATCH',
    path: `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}?${q.toString()}`,
    headers: { ...c.headers, 'content-type': 'application/apply-patch+yaml' },
    body: JSON.stringify(secret),
  });
  if (res.status >= 400) return { status: res.status, body: await readStatus(res) };
  res.body.resume();
  return { status: 200, body: { saved: `${ns}/${name}`, key: b.key } };
}

export async function listNamespaces(c: Ctx): Promise<Reply> {
  const r = await json(await c.call({ method: 'GET', path: '/api/v1/namespaces', headers: c.headers }));
  if (r.status !== 200) return r;
  const items = (r.body as { items?: { metadata?: { name?: string } }[] }).items ?? [];
  return {
    status: 200,
    body: {
      namespaces: items
        .map((n) => n.metadata?.name ?? '')
        .filter(Boolean)
        .sort(),
    },
  };
}

/** Keys whose values are credentials wherever they appear in a rendered config (tool headers resolved from Secrets). */
const SECRET_KEY = /header|token|key|password|secret|authorization/i;

export function redact(value: unknown, parentSecret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, parentSecret));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redact(v, parentSecret || SECRET_KEY.test(k))]),
    );
  if (parentSecret && typeof value === 'string' && value) return '(hidden)';
  return value;
}

const CHILDREN = [
  { kind: 'Deployment', path: (ns: string, n: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${n}` },
  { kind: 'Service', path: (ns: string, n: string) => `/api/v1/namespaces/${ns}/services/${n}` },
  { kind: 'ServiceAccount', path: (ns: string, n: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${n}` },
  { kind: 'Secret', path: (ns: string, n: string) => `/api/v1/namespaces/${ns}/secrets/${n}` },
] as const;

/**
 * What the sync hook made for an Agent: each child's existence and state, and the rendered config.json and agent
 * card with every credential-like value hidden. A child the user may not read says so instead of failing the page.
 */
export async function agentChildren(c: Ctx, ns: string, name: string): Promise<Reply> {
  const out = await Promise.all(
    CHILDREN.map(async (child) => {
      const r = await json(
        await c.call({
          method: 'GET',
          path: child.path(encodeURIComponent(ns), encodeURIComponent(name)),
          headers: c.headers,
        }),
      );
      if (r.status !== 200)
        return {
          kind: child.kind,
          name,
          state: r.status === 404 ? 'missing' : 'unreadable',
          message: (r.body as { message?: string }).message,
        };
      const o = r.body as {
        status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
        spec?: { replicas?: number; ports?: unknown[] };
        data?: Record<string, string>;
      };
      if (child.kind === 'Deployment')
        return {
          kind: child.kind,
          name,
          state: `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? o.status?.replicas ?? 0} ready`,
        };
      if (child.kind === 'Secret') {
        const files: Record<string, unknown> = {};
        for (const [file, b64] of Object.entries(o.data ?? {})) {
          const text = Buffer.from(b64, 'base64').toString('utf8');
          try {
            files[file] = redact(JSON.parse(text));
          } catch {
            files[file] = '(not JSON, hidden)';
          }
        }
        return { kind: child.kind, name, state: 'present', files };
      }
      return { kind: child.kind, name, state: 'present' };
    }),
  );
  return { status: 200, body: { children: out } };
}
