// The live lists: the API server's list+watch of one kind, relayed to the browser as newline-delimited JSON.
//   {"type":"SYNC","items":[...]}            the full list (first, and again whenever the watch had to re-list)
//   {"type":"ADDED"|"MODIFIED"|"DELETED","object":{...}}
//   {"type":"ERROR","status":403,"message":"..."}   the API server refused; the stream ends
// The relay follows the watch protocol itself: it resumes from the last resourceVersion when the API server ends a
// watch, and re-lists on 410 Gone, so the page never holds a stale list and never has to know Kubernetes' rules.
import type { KubeCall, KubeResponse } from './kube-client.js';
import { kindPath, type RelayedKind } from './kinds.js';
import { readStatus } from './status.js';

export interface WatchEvent {
  type: 'SYNC' | 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR';
  items?: unknown[];
  object?: unknown;
  status?: number;
  message?: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What the page needs of an object: managedFields and kubectl's last-applied copy are bulk it never shows. */
export function slim(obj: unknown): unknown {
  const o = obj as { metadata?: Record<string, unknown> & { annotations?: Record<string, string> } };
  if (!o?.metadata) return obj;
  const { managedFields: _m, ...metadata } = o.metadata;
  if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _l, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...o, metadata };
}

/** Splits a chunked body into JSON lines, however the chunks fall. */
export async function* jsonLines(body: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  let buf = '';
  for await (const chunk of body) {
    buf += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buf.trim()) yield JSON.parse(buf);
}

async function readJson(res: KubeResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export interface WatchOptions {
  call: KubeCall;
  kind: RelayedKind;
  namespace: string;
  headers: Record<string, string | string[]>;
  emit: (ev: WatchEvent) => void;
  signal: AbortSignal;
  /** Server-side watch timeout per round (the API server's own default is 30–60 min). */
  timeoutSeconds?: number;
}

/** Runs until `signal` aborts or the API server refuses; never throws for the API server's answers. */
export async function relayListWatch(o: WatchOptions): Promise<void> {
  const path = kindPath(o.kind, o.namespace);
  let rv = '';
  while (!o.signal.aborted) {
    if (!rv) {
      const res = await o.call({ method: 'GET', path, headers: o.headers, signal: o.signal });
      if (res.status !== 200) {
        o.emit({ type: 'ERROR', ...(await readStatus(res)) });
        return;
      }
      const list = (await readJson(res)) as { items?: unknown[]; metadata?: { resourceVersion?: string } };
      rv = list.metadata?.resourceVersion ?? '';
      o.emit({ type: 'SYNC', items: (list.items ?? []).map(slim) });
    }
    const q = new URLSearchParams({
      watch: '1',
      resourceVersion: rv,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(o.timeoutSeconds ?? 1800),
    });
    const res = await o.call({ method: 'GET', path: `${path}?${q.toString()}`, headers: o.headers, signal: o.signal });
    if (res.status === 410) {
      res.body.resume();
      rv = '';
      continue;
    }
    if (res.status !== 200) {
      o.emit({ type: 'ERROR', ...(await readStatus(res)) });
      return;
    }
    for await (const ev of jsonLines(res.body)) {
      const e = ev as {
        type: string;
        object?: { metadata?: { resourceVersion?: string }; code?: number; message?: string };
      };
      if (e.type === 'ERROR') {
        // An expired resourceVersion arrives in-stream as a Status with code 410: list again.
        if (e.object?.code === 410) {
          rv = '';
          break;
        }
        o.emit({ type: 'ERROR', status: e.object?.code ?? 500, message: e.object?.message ?? 'watch failed' });
        return;
      }
      rv = e.object?.metadata?.resourceVersion ?? rv;
      if (e.type === 'BOOKMARK') continue;
      if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED')
        o.emit({ type: e.type, object: slim(e.object) });
    }
  }
}
