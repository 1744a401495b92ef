// The default backend: the SDK's InMemoryTaskStore and a Map of conversations. Nothing survives a restart.
// Both hand out and keep copies, so nothing a caller does to a task or message it saved or loaded changes the store;
// the copies are deepCopy's (copy.ts) instead of structuredClone's, which made the task store a tenth of a request's CPU.
import { InMemoryTaskStore, type ServerCallContext } from '@a2a-js/sdk/server';
import type { Task } from '@a2a-js/sdk';
import type { ConversationStore, Stores } from './types.js';
import { deepCopy } from './copy.js';

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

  constructor() {
    super();
    const scoped = (this as unknown as { _scopedStore?: Partial<Buckets> })._scopedStore;
    this.buckets = typeof scoped?.getBucket === 'function' && typeof scoped.getOrCreateBucket === 'function' ? (scoped as Buckets) : undefined;
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
    this.buckets.getOrCreateBucket(context).set(task.id, deepCopy(task));
  }
}

export class MemoryConversationStore implements ConversationStore {
  private readonly byContext = new Map<string, unknown[]>();

  async load(contextId: string): Promise<unknown[]> {
    // A copy, so a caller mutating what it loaded cannot rewrite history (the SQL backends behave the same way).
    return deepCopy(this.byContext.get(contextId) ?? []);
  }

  async append(contextId: string, messages: unknown[]): Promise<void> {
    if (messages.length === 0) return;
    const copy = deepCopy(messages);
    const existing = this.byContext.get(contextId);
    if (existing) existing.push(...copy);
    else this.byContext.set(contextId, copy);
  }
}

export async function openMemoryStores(): Promise<Stores> {
  return { taskStore: new MemoryTaskStore(), conversations: new MemoryConversationStore(), close: async () => {} };
}
