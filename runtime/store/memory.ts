// The default backend: the SDK's InMemoryTaskStore and a Map of conversations. Nothing survives a restart.
import { InMemoryTaskStore } from '@a2a-js/sdk/server';
import type { ConversationStore, Stores } from './types.js';

export class MemoryConversationStore implements ConversationStore {
  private readonly byContext = new Map<string, unknown[]>();

  async load(contextId: string): Promise<unknown[]> {
    // A copy, so a caller mutating what it loaded cannot rewrite history (the SQL backends behave the same way).
    return structuredClone(this.byContext.get(contextId) ?? []);
  }

  async append(contextId: string, messages: unknown[]): Promise<void> {
    if (messages.length === 0) return;
    const copy = structuredClone(messages);
    const existing = this.byContext.get(contextId);
    if (existing) existing.push(...copy);
    else this.byContext.set(contextId, copy);
  }
}

export async function openMemoryStores(): Promise<Stores> {
  return { taskStore: new InMemoryTaskStore(), conversations: new MemoryConversationStore(), close: async () => {} };
}
