// SQLite in a file, through sql.js (SQLite compiled to WebAssembly: no native addon, no install script). sql.js keeps
// the database in memory, so durability is ours: after every change the whole database is written to a temporary
// file, fsynced, and renamed over the old one (a crash leaves either the old or the new file, never half of one).
// Writes that arrive while one is in flight are coalesced into the next write. A lock file keeps a second process
// from opening the same database and overwriting the first one's changes.
import { closeSync, fsyncSync, openSync, readFileSync, writeFileSync, unlinkSync, constants } from 'node:fs';
import { open, rename, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import initSqlJs from 'sql.js';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { ensureSchema, SqlConversationStore, SqlTaskStore } from './sql.js';
import type { Stores } from './types.js';

type SqlJsDatabase = initSqlJs.Database;
type SqlValue = initSqlJs.SqlValue;

/** Paths opened by this process; the lock file alone cannot tell two stores in one process apart. */
const openInThisProcess = new Set<string>();

/** Kysely's SQLite driver contract (the better-sqlite3 shape) over a sql.js database. */
export function sqlJsAdapter(db: SqlJsDatabase, onWrite: () => void): SqliteDatabase {
  const toSql = (params: ReadonlyArray<unknown>): SqlValue[] =>
    params.map((p) => {
      if (p === undefined || p === null) return null;
      if (typeof p === 'boolean') return p ? 1 : 0;
      if (typeof p === 'bigint') return Number(p);
      if (typeof p === 'number' || typeof p === 'string' || p instanceof Uint8Array) return p;
      return JSON.stringify(p);
    });
  return {
    close: () => db.close(),
    prepare(sqlText: string): SqliteStatement {
      // Kysely prepares a statement and then runs it once (all() or run()); the statement is freed after that use.
      let stmt: initSqlJs.Statement | undefined = db.prepare(sqlText);
      const reader = stmt.getColumnNames().length > 0;
      const take = () => {
        const s = stmt ?? db.prepare(sqlText);
        stmt = undefined;
        return s;
      };
      const rowsOf = (params: ReadonlyArray<unknown>): Record<string, unknown>[] => {
        const s = take();
        try {
          s.bind(toSql(params));
          const rows: Record<string, unknown>[] = [];
          while (s.step()) rows.push(s.getAsObject());
          return rows;
        } finally {
          s.free();
        }
      };
      return {
        reader,
        all: rowsOf,
        iterate: (params) => rowsOf(params)[Symbol.iterator](),
        run(params) {
          const s = take();
          try {
            s.bind(toSql(params));
            while (s.step()) {
              /* drain (RETURNING rows are not used) */
            }
          } finally {
            s.free();
          }
          const changes = db.getRowsModified();
          const last = db.exec('select last_insert_rowid()')[0]?.values[0]?.[0];
          onWrite();
          return { changes, lastInsertRowid: typeof last === 'number' ? last : 0 };
        },
      };
    },
  };
}

/** Single-flight, coalescing persistence of a sql.js database to `file`. */
export class DurableFile {
  private dirty = false;
  private inflight: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private failed: Error | undefined;

  constructor(
    private readonly db: SqlJsDatabase,
    readonly file: string,
  ) {}

  markDirty(): void {
    this.dirty = true;
  }

  /**
   * Resolves once every change made before the call is on disk. Callers that arrive while a write is in flight share
   * the one write queued behind it, so N concurrent saves cost at most two file writes.
   */
  flush(): Promise<void> {
    if (!this.queued) {
      this.queued = this.inflight
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          this.inflight = this.writeNow();
          return this.inflight;
        });
    }
    return this.queued;
  }

  private async writeNow(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    // export() snapshots synchronously, so changes made after this point wait for the next write.
    const bytes = this.db.export();
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      const handle = await open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
      syncDirectory(dirname(this.file));
      this.failed = undefined;
    } catch (cause) {
      this.dirty = true; // retried by the next flush
      this.failed = new Error(`SQLite store ${this.file}: cannot write the database file: ${(cause as Error).message}`, {
        cause,
      });
      throw this.failed;
    }
  }
}

/** Makes a rename durable: on Linux the new directory entry is only on disk once the directory is fsynced. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own fsync already happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Takes `<file>.lock` holding our pid; a lock whose process is gone (or is us, after a container restart) is stale. */
function acquireLock(file: string): () => void {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          unlinkSync(lock);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`SQLite store ${file}: cannot create lock file ${lock}: ${(err as Error).message}`);
      }
      const holder = Number.parseInt(readFileSafe(lock), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new Error(
          `SQLite store ${file} is in use by process ${holder} (lock file ${lock}); two runtimes must not share one SQLite file — use PostgreSQL for replicas`,
        );
      }
      try {
        unlinkSync(lock); // stale
      } catch {
        /* raced with another remover */
      }
    }
  }
  throw new Error(`SQLite store ${file}: cannot take lock file ${lock}`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readExisting(file: string): Promise<Uint8Array | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error(`SQLite store ${file} is not a regular file`);
    return new Uint8Array(await readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as Error).message.startsWith('SQLite store')) throw err;
    throw new Error(`SQLite store ${file}: cannot read the database file: ${(err as Error).message}`);
  }
}

export async function openSqliteFileStores(path: string): Promise<Stores> {
  const file = resolve(path);
  if (openInThisProcess.has(file)) {
    throw new Error(`SQLite store ${file} is already open in this process`);
  }
  const existing = await readExisting(file);
  const SQL = await initSqlJs();
  let db: SqlJsDatabase;
  try {
    db = new SQL.Database(existing ?? null);
    // sql.js parses lazily: reading the schema is what reveals a file that is not a SQLite database.
    db.exec('select count(*) from sqlite_master');
  } catch (cause) {
    throw new Error(
      `SQLite store ${file} is not a readable SQLite database (${(cause as Error).message}); move it aside or point METAGENT_STORE at another file`,
      { cause },
    );
  }
  let release: () => void;
  try {
    release = acquireLock(file);
  } catch (err) {
    db.close();
    throw err;
  }
  openInThisProcess.add(file);
  const durable = new DurableFile(db, file);
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlJsAdapter(db, () => durable.markDirty()) }) });
  try {
    await ensureSchema(kysely, 'sqlite');
    await durable.flush(); // a new file exists on disk from the start, so a bad path fails now, not on the first task
  } catch (err) {
    await kysely.destroy();
    openInThisProcess.delete(file);
    release();
    throw err;
  }
  const afterWrite = () => durable.flush();
  let closed: Promise<void> | undefined;
  return {
    taskStore: new SqlTaskStore(kysely, afterWrite),
    conversations: new SqlConversationStore(kysely, afterWrite),
    close: () =>
      (closed ??= (async () => {
        try {
          await durable.flush();
        } finally {
          await kysely.destroy();
          openInThisProcess.delete(file);
          release();
        }
      })()),
  };
}
