// kagent's share links (the Agent's spec.declarative.shareTools; config.json `share_tools: true`) without kagent's
// controller: the model gets create_share_link, list_share_links and delete_share_link for the current session (the
// A2A contextId); the tokens live in the runtime's store (METAGENT_STORE), per agent scope; a visitor reads the
// transcript at GET /api/shares/{token} and, with a writable link, sends messages into the context (guard.ts).
import type { Tool } from '../tools/types.js';
import { shareTools, type ShareToolOptions } from './tools.js';
import type { ShareStore } from './types.js';

export { checkShareToken, SHARE_TOKEN_HEADER } from './guard.js';
export { shareReadRoute, SHARE_READ_PATHS } from './route.js';
export type { ShareStore } from './types.js';

export interface Shares {
  readonly store: ShareStore;
  /** The three tools, owned by the task's caller. */
  tools(ownerUserId: string): Tool[];
}

export function createShares(opts: ShareToolOptions): Shares {
  return { store: opts.store, tools: (owner) => shareTools(opts, owner) };
}
