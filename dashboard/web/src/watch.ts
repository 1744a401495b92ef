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

class Stream {
  private map = new Map<string, KObject>();
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
    for (const ev of this.pending) {
      if (ev.type === 'SYNC') this.map = new Map((ev.items ?? []).map((o) => [keyOf(o), o]));
      else if (ev.type === 'DELETED' && ev.object) this.map.delete(keyOf(ev.object));
      else if (ev.object) this.map.set(keyOf(ev.object), ev.object);
    }
    this.pending = [];
    const items = [...this.map.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
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
