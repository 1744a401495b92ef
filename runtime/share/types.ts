// The contracts of share links (kagent's shareTools): a store of tokens, each granting a visitor the transcript of one
// session (the A2A contextId) of this agent and, unless read-only, the right to send messages into it. metagent has
// no kagent controller to hold them, so the runtime keeps them in its own store (METAGENT_STORE), scoped like the
// conversations.

/** One share link as its owner sees it. */
export interface ShareLink {
  token: string;
  /** Epoch ms. */
  createdAt: number;
  readOnly: boolean;
}

/** What a token grants a visitor. */
export interface ShareGrant {
  contextId: string;
  readOnly: boolean;
}

/** This agent's share links (the store is opened for its scope). Only the user who made a link lists or deletes it. */
export interface ShareStore {
  /** A new token for the context, owned by `ownerUserId`; tokens made earlier stay valid. Resolves once durable. */
  create(contextId: string, ownerUserId: string, readOnly: boolean): Promise<ShareLink>;
  /** The owner's links of the context, oldest first. */
  list(contextId: string, ownerUserId: string): Promise<ShareLink[]>;
  /** Revokes the owner's link of the context; resolves whether there was one. */
  delete(contextId: string, ownerUserId: string, token: string): Promise<boolean>;
  /** Every live token of the context, whoever made it (the visitor's transcript hides them). */
  tokens(contextId: string): Promise<string[]>;
  /** What a token grants, or undefined for an unknown or revoked token (the two are never told apart). */
  resolve(token: string): Promise<ShareGrant | undefined>;
}
