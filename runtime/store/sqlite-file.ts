// SQLite in a file through node:sqlite (the SQLite library built into Node). The file is in WAL mode with
// synchronous=FULL, so every statement is a transaction that is on disk when its promise resolves and a crash (a
// SIGKILL, an OOM kill, a power cut) loses nothing acknowledged. locking_mode=EXCLUSIVE makes this process hold
// SQLite's own file lock from open to close: a second runtime on the same file is refused, and the lock goes with the
// process however it dies, so there is no stale lock to take over.
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import { nodeSqliteAdapter } from './node-sqlite-adapter.js';
import { failInterruptedTasks } from './interrupted.js';
import { ensureSchema, SqlConversationStore, SqlTaskStore } from './sql.js';
import { checkSweepScope, deleteExpired, startSweeper, type RetentionOptions } from './retention.js';
import type { Stores } from './types.js';
import { SqlMemoryStore } from '../memory/sql-store.js';
import { SqlShareStore } from '../share/sql-store.js';

/** Paths opened by this process: a clearer message than SQLite's "database is locked" for a second open here. */
const openInThisProcess = new Set<string>();

export interface SqliteFileOptions extends RetentionOptions {
  /** Keeps this agent's tasks and conversations apart from others' in the same database (see index.ts). */
  scope?: string;
}

/** SQLite's primary result codes that startup turns into messages naming the file (node:sqlite's `errcode`). */
const OPEN_ERRORS: Record<number, (file: string) => string> = {
  5: (file) =>
    `SQLite store ${file} is in use by another process (SQLite holds it locked); two runtimes must not share one SQLite file — use PostgreSQL for replicas`,
  14: (file) => `SQLite store ${file} cannot be opened or created (does its directory exist and is it writable?)`,
  26: (file) => `SQLite store ${file} is not a readable SQLite database (left untouched)`,
};

function openError(file: string, cause: unknown): Error {
  const code = (cause as { errcode?: number }).errcode ?? -1;
  const message = OPEN_ERRORS[code & 0xff]?.(file) ?? `SQLite store ${file}: ${(cause as Error).message}`;
  return new Error(message, { cause });
}

/**
 * Refuses a `<file>-journal` left by the earlier sql.js-based store (JSON lines of statements not yet in the file):
 * SQLite would take it for its own rollback journal and ignore it, dropping those changes. The earlier runtime
 * folds it into the file when it starts and stops cleanly once.
 */
function refuseStatementJournal(file: string): void {
  const journal = `${file}-journal`;
  if (!existsSync(journal)) return;
  const head = Buffer.alloc(5);
  const fd = openSync(journal, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === '{"s":') {
    throw new Error(
      `SQLite store ${file}: ${journal} holds changes written by an older metagent runtime (a statement journal); start that version once and stop it cleanly to fold them into the file, or delete the journal to drop them`,
    );
  }
}

/** Opens the file with this process holding SQLite's exclusive lock, in WAL mode with synchronous commits. */
function openLocked(file: string): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    // timeout 0: a file locked by another process is refused at once instead of waiting for it.
    db = new DatabaseSync(file, { timeout: 0 });
    // Set before the first read, so SQLite keeps the WAL index in this process's memory (no -shm file) and never
    // releases its file lock until close.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    const mode = db.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode;
    if (mode !== 'wal')
      throw new Error(`SQLite store ${file}: cannot switch to WAL mode (journal_mode is ${String(mode)})`);
    db.exec('PRAGMA synchronous = FULL');
    // The first write takes the exclusive lock, which EXCLUSIVE locking mode then holds until close.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return db;
  } catch (err) {
    try {
      db?.close();
    } catch {
      /* the open failed; nothing more to release */
    }
    throw err instanceof Error && err.message.startsWith('SQLite store ') ? err : openError(file, err);
  }
}

export async function openSqliteFileStores(path: string, opts: SqliteFileOptions = {}): Promise<Stores> {
  const file = resolve(path);
  const scope = opts.scope ?? '';
  if (opts.retentionMs !== undefined) checkSweepScope(scope);
  const now = opts.now ?? Date.now;
  if (openInThisProcess.has(file)) throw new Error(`SQLite store ${file} is already open in this process`);
  refuseStatementJournal(file);
  const db = openLocked(file);
  openInThisProcess.add(file);
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: nodeSqliteAdapter(db) }) });
  const store = `SQLite store ${file}`;
  try {
    await ensureSchema(kysely, 'sqlite', now());
    const interrupted = await failInterruptedTasks(kysely, now());
    if (interrupted > 0) {
      opts.log?.warn({ store, tasks: interrupted }, 'tasks left running by the previous process marked failed');
    }
  } catch (err) {
    await kysely.destroy().catch(() => {});
    openInThisProcess.delete(file);
    throw err;
  }
  const sweeper = startSweeper((cutoff) => deleteExpired(kysely, 'sqlite', scope, cutoff), { ...opts, now, store });
  let closed: Promise<void> | undefined;
  return {
    taskStore: new SqlTaskStore(kysely, scope),
    conversations: new SqlConversationStore(kysely, scope, now),
    memories: new SqlMemoryStore(kysely, scope, now),
    shares: new SqlShareStore(kysely, scope, now),
    sweep: sweeper.sweep,
    close: () =>
      (closed ??= (async () => {
        try {
          await sweeper.stop();
        } finally {
          // Closing checkpoints the WAL into the file and releases the lock.
          await kysely.destroy();
          openInThisProcess.delete(file);
        }
      })()),
  };
}
