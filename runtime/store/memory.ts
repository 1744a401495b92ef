// The default backend: the SDK's InMemoryTaskStore and a Map of conversations. Nothing survives a restart.
// Both hand out and keep copies, so nothing a caller does to a task or message it saved or loaded changes the store;
// the copies are deepCopy's (copy.ts) instead of structuredClone's, which made the task store a tenth of a request's CPU.
// Both are bounded (METAGENT_MEMORY_MAX_TASKS / _MAX_CONTEXTS), so a long-lived pod does not grow until it is
// OOM-killed: past the bound the least recently written finished task, or the least recently used conversation, goes.
import { InMemoryTaskStore, type ServerCallContext } from '@a2a-js/sdk/server';
import type { Task } from '@a2a-js/sdk';
import { checkReplacement, type ConversationStore, type Stores } from './types.js';
import { deepCopy } from './copy.js';
import { FINAL_STATES } from './final-states.js';
import { MapShareStore } from '../share/map-store.js';

export interface MemoryLimits {
  /** Tasks kept; beyond it the least recently saved task in a final state is dropped (live ones never are). */
  maxTasks: number;
  /** Conversations (contextIds) kept; beyond it the least recently loaded or appended one is dropped. */
  maxContexts: number;
}

export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { maxTasks: 10_000, maxContexts: 10_000 };

/** The part of the SDK's (private) ScopedStore the store reads: tenant → owner scoping stays the SDK's own. */
interface Buckets {
  getBucket(context: ServerCallContext): Map<string, Task> | undefined;
  getOrCreateBucket(context: ServerCallContext): Map<string, Task>;
}

/**
 * The SDK's InMemoryTaskStore — its owner/tenant scoping and list() (filters, paging) exactly as the SDK defines
 * them — with load and save copying through deepCopy. Should a future SDK no longer have the bucket store this
 * reads, load and save stay the SDK's own (slower, same behaviour).
 */
export class MemoryTaskStore extends InMemoryTaskStore {
  private readonly buckets: Buckets | undefined;
  /** Every stored task, least recently saved first: its bucket (owner scope), id, and whether it is final. */
  private readonly recency = new Map<string, { bucket: Map<string, Task>; id: string; final: boolean }>();
  /** A number per bucket, so the same task id under two owners is two entries. */
  private readonly bucketIds = new WeakMap<Map<string, Task>, number>();
  /** Tasks in `recency` not in a final state (they are never evicted, so they are skipped when scanning). */
  private live = 0;
  private nextBucket = 0;

  constructor(private readonly maxTasks = DEFAULT_MEMORY_LIMITS.maxTasks) {
    super();
    const scoped = (this as unknown as { _scopedStore?: Partial<Buckets> })._scopedStore;
    this.buckets =
      typeof scoped?.getBucket === 'function' && typeof scoped.getOrCreateBucket === 'function'
        ? (scoped as Buckets)
        : undefined;
  }

  /** True when load/save use deepCopy (false only if the SDK's internals changed). */
  get fastCopies(): boolean {
    return this.buckets !== undefined;
  }

  override async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    if (!this.buckets) return super.load(taskId, context);
    const entry = this.buckets.getBucket(context)?.get(taskId);
    return entry ? deepCopy(entry) : undefined;
  }

  override async save(task: Task, context: ServerCallContext): Promise<void> {
    if (!this.buckets) return super.save(task, context);
    const bucket = this.buckets.getOrCreateBucket(context);
    bucket.set(task.id, deepCopy(task));
    let n = this.bucketIds.get(bucket);
    if (n === undefined) this.bucketIds.set(bucket, (n = this.nextBucket++));
    this.touch(`${n}\u0000${task.id}`, { bucket, id: task.id, final: FINAL_STATES.has(task.status?.state) });
  }

  /** Tasks currently kept (for tests and metrics). */
  get size(): number {
    return this.recency.size;
  }

  private touch(key: string, entry: { bucket: Map<string, Task>; id: string; final: boolean }): void {
    const previous = this.recency.get(key);
    if (previous) {
      this.recency.delete(key);
      if (!previous.final) this.live--;
    }
    this.recency.set(key, entry);
    if (!entry.final) this.live++;
    if (this.recency.size <= this.maxTasks || this.live >= this.recency.size) return;
    // Oldest first; live tasks (working, input-required) are kept however old: they may still be resumed.
    for (const [oldKey, old] of this.recency) {
      if (this.recency.size <= this.maxTasks) break;
      if (!old.final) continue;
      old.bucket.delete(old.id);
      this.recency.delete(oldKey);
    }
  }
}

export class MemoryConversationStore implements ConversationStore {
  /** Least recently used first (a Map keeps insertion order; every use re-inserts). */
  private readonly byContext = new Map<string, unknown[]>();

  constructor(private readonly maxContexts = DEFAULT_MEMORY_LIMITS.maxContexts) {}

  get size(): number {
    return this.byContext.size;
  }

  async load(contextId: string): Promise<unknown[]> {
    const messages = this.byContext.get(contextId);
    if (!messages) return [];
    this.byContext.delete(contextId);
    this.byContext.set(contextId, messages);
    // A copy, so a caller mutating what it loaded cannot rewrite history (the SQL backends behave the same way).
    return deepCopy(messages);
  }

  async append(contextId: string, messages: unknown[]): Promise<void> {
    if (messages.length === 0) return;
    const copy = deepCopy(messages);
    const existing = this.byContext.get(contextId);
    this.byContext.delete(contextId);
    this.byContext.set(contextId, existing ? (existing.push(...copy), existing) : copy);
    for (const oldest of this.byContext.keys()) {
      if (this.byContext.size <= this.maxContexts) break;
      this.byContext.delete(oldest);
    }
  }

  async replacePrefix(contextId: string, prefix: readonly unknown[], entries: readonly unknown[]): Promise<boolean> {
    checkReplacement(contextId, prefix, entries);
    const messages = this.byContext.get(contextId) ?? [];
    if (messages.length < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (JSON.stringify(messages[i]) !== JSON.stringify(prefix[i])) return false;
    messages.splice(0, prefix.length, ...deepCopy(entries));
    return true;
  }
}

export async function openMemoryStores(limits: MemoryLimits = DEFAULT_MEMORY_LIMITS): Promise<Stores> {
  return {
    taskStore: new MemoryTaskStore(limits.maxTasks),
    conversations: new MemoryConversationStore(limits.maxContexts),
    shares: new MapShareStore(),
    close: async () => {},
  };
}
