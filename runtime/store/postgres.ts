// PostgreSQL by URL (node-postgres pool behind Kysely). Every statement commits on its own, so a change is durable when
// its promise resolves and several runtime replicas can share one database.
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { ensureSchema, SqlConversationStore, SqlTaskStore } from './sql.js';
import { checkSweepScope, deleteExpired, startSweeper, type RetentionOptions } from './retention.js';
import type { Stores } from './types.js';
import { SqlMemoryStore } from '../memory/sql-store.js';
import { SqlShareStore } from '../share/sql-store.js';

/** Arbitrary constant key for the advisory lock that serialises schema creation across replicas starting together. */
const SCHEMA_LOCK_KEY = 0x6d657461; // "meta"

/** The URL with any password replaced, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://<unparseable URL>';
  }
}

export interface PostgresOptions extends RetentionOptions {
  /** Keeps this agent's tasks and conversations apart from others' in the same database (see index.ts). */
  scope?: string;
}

export async function openPostgresStores(url: string, opts: PostgresOptions = {}): Promise<Stores> {
  const scope = opts.scope ?? '';
  if (opts.retentionMs !== undefined) checkSweepScope(scope);
  const now = opts.now ?? Date.now;
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => {});
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  try {
    // CREATE TABLE IF NOT EXISTS races with itself in PostgreSQL (duplicate pg_type rows) when two pods start at once.
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`.execute(trx);
      await ensureSchema(trx, 'postgres', now());
    });
  } catch (cause) {
    await db.destroy().catch(() => {});
    throw new Error(`PostgreSQL store ${redactUrl(url)}: cannot prepare the schema: ${(cause as Error).message}`, {
      cause,
    });
  }
  const sweeper = startSweeper((cutoff) => deleteExpired(db, 'postgres', scope, cutoff), {
    ...opts,
    now,
    store: `PostgreSQL store ${redactUrl(url)}`,
  });
  let closed: Promise<void> | undefined;
  return {
    taskStore: new SqlTaskStore(db, scope),
    conversations: new SqlConversationStore(db, scope, now, true),
    memories: new SqlMemoryStore(db, scope, now),
    shares: new SqlShareStore(db, scope, now),
    sweep: sweeper.sweep,
    close: () => (closed ??= sweeper.stop().then(() => db.destroy())),
  };
}
