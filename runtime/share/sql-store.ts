// The SQLite and PostgreSQL backend: the share table (store/sql.ts creates it), one row per token, scoped like the
// conversations (`scope`: METAGENT_STORE_SCOPE or <namespace>/<agent>), so a token of one agent opens nothing of
// another sharing the database. The retention sweep deletes a context's links with its conversation (retention.ts).
import type { Kysely } from 'kysely';
import { SHARE_TABLE } from '../store/sql.js';
import type { ShareGrant, ShareLink, ShareStore } from './types.js';
import { newShareToken } from './token.js';

const linkOf = (r: { token: unknown; created_at: unknown; read_only: unknown }): ShareLink => ({
  token: String(r.token),
  createdAt: Number(r.created_at),
  readOnly: Number(r.read_only) === 1,
});

export class SqlShareStore implements ShareStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  async create(contextId: string, ownerUserId: string, readOnly: boolean): Promise<ShareLink> {
    const link = { token: newShareToken(), createdAt: Math.floor(this.now()), readOnly };
    // read_only as 0/1: one column type for both dialects (SQLite has no boolean).
    await this.db
      .insertInto(SHARE_TABLE)
      .values({
        scope: this.scope,
        token: link.token,
        context_id: contextId,
        owner: ownerUserId,
        read_only: readOnly ? 1 : 0,
        created_at: link.createdAt,
      })
      .execute();
    return link;
  }

  async list(contextId: string, ownerUserId: string): Promise<ShareLink[]> {
    const rows = await this.db
      .selectFrom(SHARE_TABLE)
      .select(['token', 'created_at', 'read_only'])
      .where('scope', '=', this.scope)
      .where('context_id', '=', contextId)
      .where('owner', '=', ownerUserId)
      .orderBy('created_at', 'asc')
      .orderBy('token', 'asc')
      .execute();
    return rows.map(linkOf);
  }

  async delete(contextId: string, ownerUserId: string, token: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom(SHARE_TABLE)
      .where('scope', '=', this.scope)
      .where('token', '=', token)
      .where('context_id', '=', contextId)
      .where('owner', '=', ownerUserId)
      .executeTakeFirst();
    return Number(r.numDeletedRows ?? 0n) > 0;
  }

  async tokens(contextId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom(SHARE_TABLE)
      .select(['token'])
      .where('scope', '=', this.scope)
      .where('context_id', '=', contextId)
      .execute();
    return rows.map((r) => String(r.token));
  }

  async resolve(token: string): Promise<ShareGrant | undefined> {
    const row = await this.db
      .selectFrom(SHARE_TABLE)
      .select(['context_id', 'read_only'])
      .where('scope', '=', this.scope)
      .where('token', '=', token)
      .executeTakeFirst();
    return row ? { contextId: String(row.context_id), readOnly: Number(row.read_only) === 1 } : undefined;
  }
}
