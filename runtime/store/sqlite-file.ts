// SQLite in a file, through sql.js (SQLite compiled to WebAssembly: no native addon, no install script). sql.js keeps
// the database in memory; journal.ts makes every change durable before its promise resolves (an fsynced journal line,
// folded into a snapshot of the whole file now and then). A lock file keeps a second process off the same database.
import { resolve } from 'node:path';
import initSqlJs from 'sql.js';
import { Kysely, SqliteDialect } from 'kysely';
import { acquireFileLock } from './file-lock.js';
import { DEFAULT_COMPACT_BYTES, JournaledFile, loadDatabase } from './journal.js';
import { sqlJsAdapter } from './sqljs-adapter.js';
import { ensureSchema, SqlConversationStore, SqlTaskStore } from './sql.js';
import { checkSweepScope, deleteExpired, startSweeper, type RetentionOptions } from './retention.js';
import type { Stores } from './types.js';
import { SqlMemoryStore } from '../memory/sql-store.js';

/** Paths opened by this process; the lock file alone cannot tell two stores in one process apart. */
const openInThisProcess = new Set<string>();

export interface SqliteFileOptions extends RetentionOptions {
  /** Keeps this agent's tasks and conversations apart from others' in the same database (see index.ts). */
  scope?: string;
  /** Journal size that triggers a snapshot of the whole database (default 8 MiB). */
  compactBytes?: number;
}

export async function openSqliteFileStores(path: string, opts: SqliteFileOptions = {}): Promise<Stores> {
  const file = resolve(path);
  const scope = opts.scope ?? '';
  if (opts.retentionMs !== undefined) checkSweepScope(scope);
  const now = opts.now ?? Date.now;
  if (openInThisProcess.has(file)) throw new Error(`SQLite store ${file} is already open in this process`);
  // The lock comes first: the journal must not be replayed while another process is still appending to it.
  const release = acquireFileLock(file);
  openInThisProcess.add(file);
  const abandon = () => {
    openInThisProcess.delete(file);
    release();
  };
  let kysely: Kysely<any> | undefined;
  try {
    const { db, seq } = await loadDatabase(await initSqlJs(), file);
    const journal = new JournaledFile(db, file, seq, opts.compactBytes ?? DEFAULT_COMPACT_BYTES);
    kysely = new Kysely<any>({
      dialect: new SqliteDialect({ database: sqlJsAdapter(db, (q, p) => journal.record(q, p)) }),
    });
    await ensureSchema(kysely, 'sqlite', now());
    // The first snapshot folds in what was replayed and creates the file, so a bad path fails now, not on a task.
    await journal.open();
    const afterWrite = () => journal.flush();
    const k = kysely;
    // The sweep's deletes are journaled like any other write, and durable before it resolves.
    const sweeper = startSweeper(
      async (cutoff) => {
        const result = await deleteExpired(k, 'sqlite', scope, cutoff);
        await afterWrite();
        return result;
      },
      { ...opts, now, store: `SQLite store ${file}` },
    );
    let closed: Promise<void> | undefined;
    return {
      taskStore: new SqlTaskStore(k, scope, afterWrite),
      conversations: new SqlConversationStore(k, scope, afterWrite, now),
      memories: new SqlMemoryStore(k, scope, afterWrite, now),
      sweep: sweeper.sweep,
      close: () =>
        (closed ??= (async () => {
          try {
            await sweeper.stop();
            await journal.close();
          } finally {
            await k.destroy();
            abandon();
          }
        })()),
    };
  } catch (err) {
    await kysely?.destroy().catch(() => {});
    abandon();
    throw err;
  }
}
