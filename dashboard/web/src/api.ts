// The page's calls to its backend. Every change carries the X-Metagent-Dashboard header (the backend refuses a write
// without it, so no other web page can make one), and every refusal becomes an ApiError carrying Kubernetes' own
// message, its field causes and, for chat, a hint.
import type { Condition } from '../../../crds/types.js';
import type { ObjectMeta } from '../../../crds/kube-object.js';

export interface Cause {
  field?: string;
  message?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly causes: Cause[] = [],
    readonly hint?: string,
  ) {
    super(message);
  }
  get forbidden(): boolean {
    return this.status === 403;
  }
}

export const WRITE_HEADERS = { 'x-metagent-dashboard': '1', 'content-type': 'application/json' };

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const b = (body ?? {}) as { message?: string; causes?: Cause[]; hint?: string };
    throw new ApiError(res.status, b.message ?? (text.trim() || `HTTP ${res.status}`), b.causes ?? [], b.hint);
  }
  return body as T;
}

export const apiGet = async <T>(path: string): Promise<T> =>
  parse<T>(await fetch(path, { headers: { accept: 'application/json' } }));

export const apiPut = async <T>(path: string, body: unknown): Promise<T> =>
  parse<T>(await fetch(path, { method: 'PUT', headers: WRITE_HEADERS, body: JSON.stringify(body) }));

export const apiDelete = async <T>(path: string): Promise<T> =>
  parse<T>(await fetch(path, { method: 'DELETE', headers: WRITE_HEADERS }));

export interface Meta {
  apiVersion: string;
  kinds: { kind: string; plural: string }[];
  providers: { provider: string; field: string }[];
  mode: 'local' | 'proxy';
  user: string | null;
  context: string | null;
}

export type { Condition };

export interface KObject {
  apiVersion: string;
  kind: string;
  /** As listed by the API server: name and namespace are always set. */
  metadata: ObjectMeta & { name: string; namespace: string };
  spec?: Record<string, any>;
  status?: {
    conditions?: Condition[];
    observedGeneration?: number;
    discoveredTools?: { name: string; description?: string }[];
    [k: string]: unknown;
  };
}

export const keyOf = (o: KObject) => `${o.metadata.namespace}/${o.metadata.name}`;

export const objectPath = (plural: string, ns: string, name: string) =>
  `/api/objects/${plural}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

export interface ApplyResult {
  object: KObject;
  warnings: string[];
}

export const applyObject = (plural: string, obj: KObject, dryRun: boolean) =>
  apiPut<ApplyResult>(
    `${objectPath(plural, obj.metadata.namespace, obj.metadata.name)}${dryRun ? '?dryRun=1' : ''}`,
    obj,
  );

export const condition = (o: KObject, type: string) => o.status?.conditions?.find((c) => c.type === type);
