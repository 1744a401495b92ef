// The storage contracts the runtime depends on. Tasks use the A2A SDK's own TaskStore interface so the SDK's request
// handler can use any of our backends directly; conversations are the model-facing message history of a contextId.
import type { TaskStore } from '@a2a-js/sdk/server';
import type { MemoryStore } from '../memory/types.js';
import type { ShareStore } from '../share/types.js';

export type { TaskStore };

/** What one retention sweep deleted (retention.ts). */
export interface SweepResult {
  /** Finished tasks deleted. */
  tasks: number;
  /** Conversation messages deleted. */
  messages: number;
  /** Share links deleted with their conversation (left out when none were). */
  shares?: number;
}

/** The LLM-facing history of one A2A context (contextId), in the order the messages were appended. */
export interface ConversationStore {
  /** Every message appended to this context so far; [] for an unknown context. */
  load(contextId: string): Promise<unknown[]>;
  /** Appends messages (JSON-serialisable values) after the existing ones; durable once the promise resolves. */
  append(contextId: string, messages: unknown[]): Promise<void>;
  /**
   * Compaction's write: replaces the first `prefix.length` messages with `entries` (never more of them), provided they
   * are still exactly `prefix` as loaded. Messages appended after them meanwhile stay, after `entries`. Resolves
   * false, changing nothing, when the prefix has changed (another replica compacted the conversation first). The
   * replaced messages are gone from the store, so a compacted conversation stops growing and loads only what the
   * model sees.
   */
  replacePrefix(contextId: string, prefix: readonly unknown[], entries: readonly unknown[]): Promise<boolean>;
}

/** The precondition every backend checks before it replaces a prefix: compaction only ever shrinks. */
export function checkReplacement(contextId: string, prefix: readonly unknown[], entries: readonly unknown[]): void {
  if (entries.length > prefix.length) {
    throw new Error(
      `conversation ${contextId}: a compaction of ${prefix.length} messages cannot write ${entries.length}`,
    );
  }
}

export interface Stores {
  taskStore: TaskStore;
  conversations: ConversationStore;
  /** Long-term memories (config.json's `memory`), in the same backend and scope as the conversations. */
  memories?: MemoryStore;
  /** Share links (config.json's `share_tools`), in the same backend and scope as the conversations. */
  shares?: ShareStore;
  /**
   * SQLite and PostgreSQL: deletes this agent's finished tasks and idle conversations older than the retention
   * (METAGENT_STORE_RETENTION_DAYS) as of `now` (default: the store's clock), and says how many went. Deletes nothing
   * when no retention is set or after close(). The stores also run it on a timer; see retention.ts.
   */
  sweep?(now?: number): Promise<SweepResult>;
  /** Flushes and releases files, connections and locks (and stops the retention timer). Safe to call twice. */
  close(): Promise<void>;
}
