// The in-memory backend (METAGENT_STORE unset or `memory`): one insertion-ordered Map of tokens, bounded so a
// long-lived pod does not grow without end (past `maxLinks` the oldest link goes). Nothing survives a restart.
import type { ShareGrant, ShareLink, ShareStore } from './types.js';
import { newShareToken } from './token.js';

interface Entry extends ShareLink {
  contextId: string;
  owner: string;
}

export const DEFAULT_MAX_SHARE_LINKS = 10_000;

export class MapShareStore implements ShareStore {
  private readonly links = new Map<string, Entry>();

  constructor(
    private readonly maxLinks = DEFAULT_MAX_SHARE_LINKS,
    private readonly now: () => number = Date.now,
  ) {}

  async create(contextId: string, ownerUserId: string, readOnly: boolean): Promise<ShareLink> {
    const link = { token: newShareToken(), createdAt: this.now(), readOnly };
    this.links.set(link.token, { ...link, contextId, owner: ownerUserId });
    while (this.links.size > this.maxLinks) this.links.delete(this.links.keys().next().value as string);
    return link;
  }

  async list(contextId: string, ownerUserId: string): Promise<ShareLink[]> {
    return [...this.links.values()]
      .filter((e) => e.contextId === contextId && e.owner === ownerUserId)
      .map(({ token, createdAt, readOnly }) => ({ token, createdAt, readOnly }));
  }

  async delete(contextId: string, ownerUserId: string, token: string): Promise<boolean> {
    const e = this.links.get(token);
    if (!e || e.contextId !== contextId || e.owner !== ownerUserId) return false;
    return this.links.delete(token);
  }

  async tokens(contextId: string): Promise<string[]> {
    return [...this.links.values()].filter((e) => e.contextId === contextId).map((e) => e.token);
  }

  async resolve(token: string): Promise<ShareGrant | undefined> {
    const e = this.links.get(token);
    return e ? { contextId: e.contextId, readOnly: e.readOnly } : undefined;
  }
}
