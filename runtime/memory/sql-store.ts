// The SQLite and PostgreSQL backend: the memory table (store/sql.ts creates it), one row per memory, scoped like the
// conversations (`scope`: METAGENT_STORE_SCOPE or <namespace>/<agent>) plus the user. The vector is stored as base64
// float32 text; a search loads the user's unexpired vectors and ranks them by cosine similarity here — no vector index,
// which is fine for thousands of memories per user (768-dim: ~4 KiB a row, ~1 ms of ranking per thousand).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { MEMORY_TABLE } from '../store/sql.js';
import { deleteExpiredMemories } from '../store/retention.js';
import type { MemoryHit, MemoryStore, NewMemory, SearchOptions } from './types.js';
import { decodeVector, encodeVector, rank } from './vectors.js';

export class SqlMemoryStore implements MemoryStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  async add(userId: string, memory: NewMemory): Promise<string> {
    // The id is made here (a UUID), so both dialects insert the same way and no RETURNING is needed.
    const id = randomUUID();
    const row = {
      id,
      scope: this.scope,
      user_id: userId,
      content: memory.content,
      vector: encodeVector(memory.vector),
      created_at: Math.floor(memory.createdAt ?? this.now()),
      expires_at: memory.expiresAt === undefined ? null : Math.floor(memory.expiresAt),
    };
    await this.db.insertInto(MEMORY_TABLE).values(row).execute();
    return id;
  }

  async search(userId: string, vector: Float32Array, opts: SearchOptions): Promise<MemoryHit[]> {
    const now = Math.floor(opts.now ?? this.now());
    const rows = await this.db
      .selectFrom(MEMORY_TABLE)
      .select(['id', 'content', 'vector', 'created_at'])
      .where('scope', '=', this.scope)
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    const candidates = rows.map((r) => ({
      id: String(r.id),
      content: String(r.content),
      vector: decodeVector(String(r.vector)),
      createdAt: Number(r.created_at),
    }));
    return rank(vector, candidates, opts.limit, opts.minScore).map((h) => ({
      id: h.id,
      content: h.content,
      score: h.score,
      createdAt: h.createdAt,
    }));
  }

  async sweep(now = this.now()): Promise<number> {
    return deleteExpiredMemories(this.db, this.scope, now);
  }
}
