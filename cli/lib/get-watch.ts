// `metagent get --watch` bookkeeping: the list and watch query strings, parsing the watch stream's lines, and what to
// print after a re-list (a watch that ended or got 410 Gone) so that no change in between is lost. Pure; the
// command does the HTTP.
import type { AnyObject } from './get-table.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** The object; for ERROR a metav1.Status ({code, reason, message}). */
  object: AnyObject & { code?: number; reason?: string; message?: string };
}

const EVENT_TYPES: readonly string[] = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'];

/** Query of the list request: a single name becomes a field selector, so list and watch see the same set. */
export function listQuery(name?: string): string {
  const q = new URLSearchParams();
  if (name) q.set('fieldSelector', `metadata.name=${name}`);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Query of the watch request starting after the list (or the last event / bookmark) at `resourceVersion`. */
export function watchQuery(resourceVersion: string, name?: string): string {
  const q = new URLSearchParams({ watch: '1', resourceVersion, allowWatchBookmarks: 'true' });
  if (name) q.set('fieldSelector', `metadata.name=${name}`);
  return `?${q.toString()}`;
}

/** One line of the watch stream (newline-delimited JSON); throws naming the line when it is not a watch event. */
export function parseWatchLine(line: string): WatchEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`the API server sent a watch line that is not JSON: ${line.slice(0, 200)}`);
  }
  const e = value as Partial<WatchEvent> | null;
  if (
    !e ||
    typeof e !== 'object' ||
    !EVENT_TYPES.includes(e.type as string) ||
    !e.object ||
    typeof e.object !== 'object'
  ) {
    throw new Error(`the API server sent an unexpected watch event: ${line.slice(0, 200)}`);
  }
  return e as WatchEvent;
}

/** Splits a growing stream buffer into complete lines and the unfinished rest. */
export function takeLines(buffer: string): { lines: string[]; rest: string } {
  const parts = buffer.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.filter((l) => l.trim() !== ''), rest };
}

const keyOf = (o: AnyObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * The objects as last printed, by namespace/name. After a re-list, `relist` answers what changed while no watch was
 * open: objects new or with another resourceVersion (as MODIFIED/ADDED), and objects gone (as DELETED, printed with
 * their last known state, as a watch would have).
 */
export class KnownObjects {
  private readonly byKey = new Map<string, AnyObject>();

  constructor(items: readonly AnyObject[] = []) {
    for (const o of items) this.byKey.set(keyOf(o), o);
  }

  apply(event: WatchEvent): void {
    if (event.type === 'DELETED') this.byKey.delete(keyOf(event.object));
    else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.byKey.set(keyOf(event.object), event.object);
  }

  relist(items: readonly AnyObject[]): WatchEvent[] {
    const events: WatchEvent[] = [];
    const seen = new Set<string>();
    for (const o of items) {
      const key = keyOf(o);
      seen.add(key);
      const before = this.byKey.get(key);
      if (!before) events.push({ type: 'ADDED', object: o });
      else if (before.metadata?.resourceVersion !== o.metadata?.resourceVersion)
        events.push({ type: 'MODIFIED', object: o });
    }
    for (const [key, o] of this.byKey) if (!seen.has(key)) events.push({ type: 'DELETED', object: o });
    for (const e of events) this.apply(e);
    return events;
  }
}
