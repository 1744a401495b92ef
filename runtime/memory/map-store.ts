// The in-memory backend (METAGENT_STORE unset or `memory`): one insertion-ordered Map, bounded so a long-lived pod does
// not grow without end — past `maxEntries` the oldest memory (of any user) goes. Nothing survives a restart.
import { randomUUID } from 'node:crypto';
import type { MemoryHit, MemoryStore, NewMemory, SearchOptions } from './types.js';
import { rank } from './vectors.js';

interface Entry {
  userId: string;
  content: string;
  vector: Float32Array;
  createdAt: number;
  expiresAt?: number;
}

export const DEFAULT_MAX_MEMORIES = 10_000;

export class MapMemoryStore implements MemoryStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = DEFAULT_MAX_MEMORIES,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async add(userId: string, memory: NewMemory): Promise<string> {
    const id = randomUUID();
    // Copies: a caller changing its array afterwards must not change the store.
    this.entries.set(id, {
      userId,
      content: memory.content,
      vector: Float32Array.from(memory.vector),
      createdAt: memory.createdAt ?? this.now(),
      expiresAt: memory.expiresAt,
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return id;
  }

  async search(userId: string, vector: Float32Array, opts: SearchOptions): Promise<MemoryHit[]> {
    const now = opts.now ?? this.now();
    const candidates: Array<Entry & { id: string }> = [];
    for (const [id, e] of this.entries)
      if (e.userId === userId && (e.expiresAt === undefined || e.expiresAt > now)) candidates.push({ ...e, id });
    return rank(vector, candidates, opts.limit, opts.minScore).map((h) => ({
      id: h.id,
      content: h.content,
      score: h.score,
      createdAt: h.createdAt,
    }));
  }

  async sweep(now = this.now()): Promise<number> {
    let n = 0;
    for (const [id, e] of this.entries)
      if (e.expiresAt !== undefined && e.expiresAt <= now) n += Number(this.entries.delete(id));
    return n;
  }
}
