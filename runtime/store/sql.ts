// What the SQLite and PostgreSQL backends share: the schema (created on start, idempotently), the SDK's
// DatabaseTaskStore for tasks, and a conversation table. Both dialects go through Kysely, which is what the SDK's
// database stores are written against.
import { DatabaseTaskStore, TASK_TABLE } from '@a2a-js/sdk/server/database';
import { resolveUserScope, type ServerCallContext, type TaskStore } from '@a2a-js/sdk/server';
import type { ListTasksRequest, Task } from '@a2a-js/sdk';
import { sql, type Kysely } from 'kysely';
import { checkReplacement, type ConversationStore } from './types.js';

export type SqlDialect = 'sqlite' | 'postgres';

export const CONVERSATION_TABLE = 'metagent_conversation_messages';
/** Long-term memory (config.json's `memory`; runtime/memory/sql-store.ts reads and writes it). */
export const MEMORY_TABLE = 'metagent_memories';
/** Share links (config.json's `share_tools`; runtime/share/sql-store.ts reads and writes it). */
export const SHARE_TABLE = 'metagent_shares';

/** Per-dialect column types; the task table mirrors the SDK's own `a2a-db` migration 0001_create_tasks. */
export const dialectTypes = {
  sqlite: { collation: 'collate binary', payload: 'text', messageId: 'integer' },
  postgres: { collation: 'collate "C"', payload: 'text', messageId: 'bigserial' },
} as const;

/**
 * Creates the task and conversation tables when they are missing. The SDK leaves migration to an operator step
 * (its `a2a-db` CLI); an agent pod has no such step, so the runtime creates the same schema itself.
 */
export async function ensureSchema(db: Kysely<any>, dialect: SqlDialect, now: number = Date.now()): Promise<void> {
  const t = dialectTypes[dialect];
  const v255 = sql.raw(`varchar(255) ${t.collation}`);
  const v36 = sql.raw(`varchar(36) ${t.collation}`);
  const payload = sql.raw(t.payload);
  await db.schema
    .createTable(TASK_TABLE)
    .ifNotExists()
    .addColumn('tenant', v255, (c) => c.notNull())
    .addColumn('owner', v255, (c) => c.notNull())
    .addColumn('id', v36, (c) => c.notNull())
    .addColumn('context_id', v36, (c) => c.notNull())
    .addColumn('status_last_updated', 'bigint', (c) => c.notNull())
    .addColumn('status_state', v255)
    .addColumn('status', payload)
    .addColumn('artifacts', payload)
    .addColumn('history', payload)
    .addColumn('metadata', payload)
    .addColumn('protocol_version', 'varchar(255)')
    .addPrimaryKeyConstraint(`${TASK_TABLE}_pkey`, ['tenant', 'owner', 'id'])
    .execute();
  await db.schema
    .createIndex(`${TASK_TABLE}_scope_updated_idx`)
    .ifNotExists()
    .on(TASK_TABLE)
    .columns(['tenant', 'owner', 'status_last_updated', 'id'])
    .execute();
  await db.schema
    .createIndex(`${TASK_TABLE}_scope_context_updated_idx`)
    .ifNotExists()
    .on(TASK_TABLE)
    .columns(['tenant', 'owner', 'context_id', 'status_last_updated', 'id'])
    .execute();
  // A global, monotonically increasing id orders the messages: appends from two replicas to one context never collide
  // on a key the way a per-context sequence number read-then-written would.
  await db.schema
    .createTable(CONVERSATION_TABLE)
    .ifNotExists()
    .addColumn('id', sql.raw(t.messageId), (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('scope', v255, (c) => c.notNull())
    .addColumn('context_id', v255, (c) => c.notNull())
    .addColumn('message', payload, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex(`${CONVERSATION_TABLE}_scope_context_idx`)
    .ifNotExists()
    .on(CONVERSATION_TABLE)
    .columns(['scope', 'context_id', 'id'])
    .execute();
  await addConversationTimes(db, dialect, now);
  await ensureMemoryTable(db, dialect);
  await ensureShareTable(db, dialect);
}

/**
 * The share table: one row per share token, scoped like conversations; `owner` is the user who made it (only they
 * list or delete it), `read_only` 0 or 1. Lookups go by (scope, token), the owner's list by (scope, context_id, owner).
 */
async function ensureShareTable(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const t = dialectTypes[dialect];
  const v255 = sql.raw(`varchar(255) ${t.collation}`);
  await db.schema
    .createTable(SHARE_TABLE)
    .ifNotExists()
    .addColumn('scope', v255, (c) => c.notNull())
    .addColumn('token', sql.raw(`varchar(64) ${t.collation}`), (c) => c.notNull())
    .addColumn('context_id', v255, (c) => c.notNull())
    .addColumn('owner', v255, (c) => c.notNull())
    .addColumn('read_only', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${SHARE_TABLE}_pkey`, ['scope', 'token'])
    .execute();
  await db.schema
    .createIndex(`${SHARE_TABLE}_scope_context_idx`)
    .ifNotExists()
    .on(SHARE_TABLE)
    .columns(['scope', 'context_id', 'owner'])
    .execute();
}

/**
 * The memory table: one row per saved memory, scoped like conversations plus the user; the vector as base64 float32
 * text (a text column in both dialects; no pgvector needed). expires_at is NULL for a memory
 * without a TTL. Searches filter by (scope, user_id), the sweep by (scope, expires_at).
 */
async function ensureMemoryTable(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const t = dialectTypes[dialect];
  const v255 = sql.raw(`varchar(255) ${t.collation}`);
  await db.schema
    .createTable(MEMORY_TABLE)
    .ifNotExists()
    .addColumn('id', sql.raw(`varchar(36) ${t.collation}`), (c) => c.primaryKey())
    .addColumn('scope', v255, (c) => c.notNull())
    .addColumn('user_id', v255, (c) => c.notNull())
    .addColumn('content', sql.raw(t.payload), (c) => c.notNull())
    .addColumn('vector', sql.raw(t.payload), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema
    .createIndex(`${MEMORY_TABLE}_scope_user_idx`)
    .ifNotExists()
    .on(MEMORY_TABLE)
    .columns(['scope', 'user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex(`${MEMORY_TABLE}_scope_expires_idx`)
    .ifNotExists()
    .on(MEMORY_TABLE)
    .columns(['scope', 'expires_at'])
    .execute();
}

/** Whether `table` has `column` (in the current schema, for PostgreSQL). */
async function hasColumn(db: Kysely<any>, dialect: SqlDialect, table: string, column: string): Promise<boolean> {
  const query =
    dialect === 'sqlite'
      ? sql`select name from pragma_table_info(${table}) where name = ${column}`
      : sql`select column_name from information_schema.columns
            where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`;
  return (await query.execute(db)).rows.length > 0;
}

/**
 * The conversation table's `created_at` (epoch ms), which the retention sweep reads. A table created before it
 * existed gets the column here, and its rows are stamped with the time of this migration: their real age is unknown,
 * so they count as written now and go no earlier than one retention period after the upgrade. Checked first rather
 * than `add column if not exists`, which PostgreSQL runs under an exclusive table lock on every start.
 */
async function addConversationTimes(db: Kysely<any>, dialect: SqlDialect, now: number): Promise<void> {
  if (await hasColumn(db, dialect, CONVERSATION_TABLE, 'created_at')) return;
  const table = sql.table(CONVERSATION_TABLE);
  await sql`alter table ${table} add column created_at bigint`.execute(db);
  await sql`update ${table} set created_at = ${Math.floor(now)} where created_at is null`.execute(db);
  if (dialect === 'postgres') {
    // A replica still running the previous version during a rolling upgrade inserts rows without created_at; they
    // get the insert time instead of NULL (the sweep keeps a context with a NULL row forever, as of unknown age).
    await sql`alter table ${table} alter column created_at set default ((extract(epoch from clock_timestamp()) * 1000)::bigint)`.execute(
      db,
    );
  }
}

/** A replaced message's row until it is deleted: JSON null, which no stored message is (append refuses null). */
const TOMBSTONE = 'null';

/** Conversation history in the conversation table; one JSON document per message, kept apart per agent (`scope`). */
export class SqlConversationStore implements ConversationStore {
  /** SQLite: this process is the only writer, so replacePrefix calls queue here instead of locking rows. */
  private replacing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<any>,
    private readonly scope: string,
    /** Stamps each message's created_at (epoch ms), which the retention sweep reads. */
    private readonly now: () => number = Date.now,
    /**
     * PostgreSQL: replacePrefix runs in a transaction that locks the prefix rows, because other replicas write too.
     * SQLite has one writer (this process) and Kysely's SQLite driver shares one connection among concurrent calls,
     * where a transaction would take in other calls' statements; so calls queue and each write is one statement.
     */
    private readonly lockRows = false,
  ) {}

  async load(contextId: string): Promise<unknown[]> {
    const rows = await this.db
      .selectFrom(CONVERSATION_TABLE)
      .select(['id', 'message'])
      .where('scope', '=', this.scope)
      .where('context_id', '=', contextId)
      .orderBy('id', 'asc')
      .execute();
    const messages: unknown[] = [];
    for (const row of rows) {
      if (row.message === TOMBSTONE) continue;
      try {
        messages.push(JSON.parse(String(row.message)));
      } catch (cause) {
        throw new Error(`conversation ${contextId}: stored message ${String(row.id)} is not valid JSON`, { cause });
      }
    }
    return messages;
  }

  async append(contextId: string, messages: unknown[]): Promise<void> {
    if (messages.length === 0) return;
    const createdAt = Math.floor(this.now());
    const rows = messages.map((message, i) => {
      const json = JSON.stringify(message);
      if (json === undefined || json === TOMBSTONE)
        throw new Error(`conversation ${contextId}: message ${i} is null or not JSON-serialisable`);
      return { scope: this.scope, context_id: contextId, message: json, created_at: createdAt };
    });
    // One multi-row INSERT: atomic without a transaction, and the rows get ids in the order given.
    await this.db.insertInto(CONVERSATION_TABLE).values(rows).execute();
  }

  async replacePrefix(contextId: string, prefix: readonly unknown[], entries: readonly unknown[]): Promise<boolean> {
    checkReplacement(contextId, prefix, entries);
    if (prefix.length === 0) return true;
    const texts = entries.map((message, i) => {
      const json = JSON.stringify(message);
      if (json === undefined || json === TOMBSTONE)
        throw new Error(`conversation ${contextId}: compaction entry ${i} is not a JSON message`);
      return json;
    });
    const replace = async (db: Kysely<any>): Promise<boolean> => {
      let select = db
        .selectFrom(CONVERSATION_TABLE)
        .select(['id', 'message'])
        .where('scope', '=', this.scope)
        .where('context_id', '=', contextId)
        .where('message', '!=', TOMBSTONE)
        .orderBy('id', 'asc')
        .limit(prefix.length);
      if (this.lockRows) select = select.forUpdate();
      const rows = await select.execute();
      if (rows.length !== prefix.length || rows.some((row, i) => String(row.message) !== JSON.stringify(prefix[i])))
        return false;
      // One statement, so a crash leaves the prefix either whole or replaced: the entries take the prefix's first ids
      // (they stay before anything appended meanwhile) and its other rows become tombstones, which load skips.
      const whens = rows.slice(0, texts.length).map((row, i) => sql`when ${row.id} then ${texts[i]}`);
      await db
        .updateTable(CONVERSATION_TABLE)
        .set({ message: whens.length ? sql`case id ${sql.join(whens, sql` `)} else ${TOMBSTONE} end` : TOMBSTONE })
        .where('scope', '=', this.scope)
        .where('context_id', '=', contextId)
        .where('id', '<=', rows[rows.length - 1].id)
        .execute();
      return true;
    };
    let replaced: boolean;
    if (this.lockRows) {
      replaced = await this.db.transaction().execute(replace);
    } else {
      const run = this.replacing.then(() => replace(this.db));
      this.replacing = run.catch(() => {});
      replaced = await run;
    }
    if (replaced) {
      // Tidying only: a crash before it leaves tombstones that load skips and the next compaction removes.
      await this.db
        .deleteFrom(CONVERSATION_TABLE)
        .where('scope', '=', this.scope)
        .where('context_id', '=', contextId)
        .where('message', '=', TOMBSTONE)
        .execute();
    }
    return replaced;
  }
}

/**
 * The SDK's DatabaseTaskStore (each save one statement, committed when it resolves). The SDK scopes tasks by tenant
 * and owner; the owner is prefixed with the agent's scope so that agents sharing one database never see each other's
 * tasks.
 */
export class SqlTaskStore implements TaskStore {
  private readonly inner: DatabaseTaskStore;

  constructor(db: Kysely<any>, scope: string) {
    this.inner = new DatabaseTaskStore(db, {
      ownerResolver: scope ? (context) => `${scope}|${resolveUserScope(context)}` : resolveUserScope,
    });
  }

  save(task: Task, context: ServerCallContext): Promise<void> {
    return this.inner.save(task, context);
  }

  load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    return this.inner.load(taskId, context);
  }

  list(params: ListTasksRequest, context: ServerCallContext) {
    return this.inner.list(params, context);
  }
}
