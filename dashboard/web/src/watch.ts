// A live list: the backend's list+watch stream (SYNC, then ADDED/MODIFIED/DELETED) folded into a Map kept in the
// react-query cache, so every page that shows the same kind and namespace shares one stream. Events are applied once
// per animation frame: at 50 status changes a second the table re-renders at most once a frame, not once an event.
import { useEffect, useSyncExternalStore } from 'react';
import { ApiError, keyOf, type KObject } from './api';

export interface LiveList {
  items: KObject[];
  synced: boolean;
  error?: ApiError;
}

type Listener = () => void;

/** The list's order (namespace/name), compared once per sort with one collator instead of localeCompare per pair. */
const byKey = new Intl.Collator();

class Stream {
  private map = new Map<string, KObject>();
  /** Where each key sits in snapshot.items, so a MODIFIED object replaces its row without a sort. */
  private position = new Map<string, number>();
  private pending: { type: string; object?: KObject; items?: KObject[] }[] = [];
  private frame = 0;
  private listeners = new Set<Listener>();
  private abort = new AbortController();
  snapshot: LiveList = { items: [], synced: false };
  refs = 0;

  constructor(readonly url: string) {
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      const res = await fetch(this.url, { signal: this.abort.signal, headers: { accept: 'application/x-ndjson' } });
      if (!res.ok || !res.body) {
        const b = (await res.json().catch(() => ({}))) as { message?: string };
        return this.fail(new ApiError(res.status, b.message ?? `HTTP ${res.status}`));
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) this.push(JSON.parse(line));
        }
      }
      if (!this.abort.signal.aborted) setTimeout(() => void this.run(), 1000);
    } catch (err) {
      if (this.abort.signal.aborted) return;
      this.fail(new ApiError(0, `the dashboard server is unreachable: ${(err as Error).message}`));
      setTimeout(() => void this.run(), 3000);
    }
  }

  private fail(error: ApiError) {
    this.snapshot = { ...this.snapshot, error };
    this.notify();
  }

  private push(ev: { type: string; object?: KObject; items?: KObject[]; status?: number; message?: string }) {
    if (ev.type === 'ERROR') return this.fail(new ApiError(ev.status ?? 500, ev.message ?? 'watch failed'));
    this.pending.push(ev);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush() {
    this.frame = 0;
    // A status change (MODIFIED of a known object) keeps the order: the new object takes its old place and the
    // list is not sorted again. Only a SYNC, an added or a deleted object re-sorts.
    let reorder = false;
    const changed: KObject[] = [];
    for (const ev of this.pending) {
      if (ev.type === 'SYNC') {
        this.map = new Map((ev.items ?? []).map((o) => [keyOf(o), o]));
        reorder = true;
      } else if (ev.object) {
        const k = keyOf(ev.object);
        if (ev.type === 'DELETED') reorder = this.map.delete(k) || reorder;
        else {
          if (!this.map.has(k)) reorder = true;
          this.map.set(k, ev.object);
          changed.push(ev.object);
        }
      }
    }
    this.pending = [];
    let items: KObject[];
    if (reorder) {
      const keyed = [...this.map].sort((a, b) => byKey.compare(a[0], b[0]));
      items = keyed.map((e) => e[1]);
      this.position = new Map(keyed.map((e, i) => [e[0], i]));
    } else {
      items = this.snapshot.items.slice();
      for (const o of changed) {
        const k = keyOf(o);
        items[this.position.get(k) ?? -1] = this.map.get(k) ?? o;
      }
    }
    this.snapshot = { items, synced: true };
    this.notify();
  }

  private notify() {
    for (const l of this.listeners) l();
  }

  subscribe = (l: Listener) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  close() {
    this.abort.abort();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}

const streams = new Map<string, Stream>();

/** Closes a stream nobody has used for a few seconds (a page switch releases and re-takes it within a moment). */
function closeLater(url: string, s: Stream) {
  setTimeout(() => {
    if (s.refs === 0 && streams.get(url) === s) {
      s.close();
      streams.delete(url);
    }
  }, 5000);
}

function streamFor(url: string): Stream {
  let s = streams.get(url);
  if (!s) {
    streams.set(url, (s = new Stream(url)));
    closeLater(url, s);
  }
  return s;
}

export function watchUrl(plural: string, namespace: string): string {
  return `/api/watch/${plural}${namespace ? `?namespace=${encodeURIComponent(namespace)}` : ''}`;
}

export function useLiveList(plural: string, namespace: string): LiveList {
  const url = watchUrl(plural, namespace);
  const stream = streamFor(url);
  useEffect(() => {
    stream.refs++;
    return () => {
      stream.refs--;
      closeLater(url, stream);
    };
  }, [stream, url]);
  return useSyncExternalStore(stream.subscribe, () => stream.snapshot);
}
