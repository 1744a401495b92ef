// Durability for a sql.js database (which lives in memory). Every write statement is appended to `<file>-journal` as
// one JSON line and fsynced before the caller's promise resolves; the journal is replayed on the next start. When the
// journal grows past a threshold (and on open and clean close) the whole database is written as a snapshot — to a temp
// file, fsynced, renamed over `<file>` — and the journal is emptied. The snapshot records the last journal sequence
// number it contains, so a crash between the rename and the truncation never replays a statement twice. A torn last
// line (a crash mid-append) is dropped; any other unreadable line is an error naming the journal and the line.
import { closeSync, constants, fsyncSync, openSync } from 'node:fs';
import { open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type initSqlJs from 'sql.js';
import type { SqlJsDatabase, SqlValue } from './sqljs-adapter.js';

export const JOURNAL_SUFFIX = '-journal';
const META_TABLE = 'metagent_store_meta';
const SEQ_KEY = 'journal_seq';
/** Journal size that triggers a snapshot: replaying this much on start takes well under a second. */
export const DEFAULT_COMPACT_BYTES = 8 * 1024 * 1024;

type Encoded = number | string | null | { b: string };
interface Entry {
  s: number;
  q: string;
  p: Encoded[];
}

const encode = (v: SqlValue): Encoded => (v instanceof Uint8Array ? { b: Buffer.from(v).toString('base64') } : v);
const decode = (v: Encoded): SqlValue =>
  v !== null && typeof v === 'object' ? new Uint8Array(Buffer.from(v.b, 'base64')) : v;

async function readIfExists(path: string, what: string, file: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`SQLite store ${file}: ${path} is not a regular file`);
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as Error).message.startsWith('SQLite store')) throw err;
    throw new Error(`SQLite store ${file}: cannot read the ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Loads the snapshot and replays the journal after it. Throws errors that name the file at fault. */
export async function loadDatabase(
  SQL: initSqlJs.SqlJsStatic,
  file: string,
): Promise<{ db: SqlJsDatabase; seq: number; replayed: number }> {
  const snapshot = await readIfExists(file, 'database file', file);
  let db: SqlJsDatabase;
  try {
    db = new SQL.Database(snapshot ? new Uint8Array(snapshot) : null);
    // sql.js parses lazily: reading the schema is what reveals a file that is not a SQLite database.
    db.exec('select count(*) from sqlite_master');
  } catch (cause) {
    throw new Error(
      `SQLite store ${file} is not a readable SQLite database (${(cause as Error).message}); move it aside or point METAGENT_STORE at another file`,
      { cause },
    );
  }
  db.run(`create table if not exists ${META_TABLE} (k text primary key, v integer not null)`);
  const applied = Number(db.exec(`select v from ${META_TABLE} where k = '${SEQ_KEY}'`)[0]?.values[0]?.[0] ?? 0);

  const journalPath = file + JOURNAL_SUFFIX;
  const journal = (await readIfExists(journalPath, 'journal', file))?.toString('utf8') ?? '';
  const lines = journal.split('\n');
  lines.pop(); // after the last newline: empty, or a line torn by a crash mid-append (never acknowledged to a caller)
  let seq = applied;
  let replayed = 0;
  lines.forEach((line, i) => {
    let entry: Entry;
    try {
      entry = JSON.parse(line) as Entry;
      if (!Number.isInteger(entry.s) || typeof entry.q !== 'string' || !Array.isArray(entry.p))
        throw new Error('not a journal entry');
    } catch (cause) {
      db.close();
      throw new Error(
        `SQLite store ${file}: journal ${journalPath} line ${i + 1} is unreadable (${(cause as Error).message})`,
        { cause },
      );
    }
    if (entry.s <= applied) return; // already in the snapshot
    if (entry.s <= seq) {
      db.close();
      throw new Error(
        `SQLite store ${file}: journal ${journalPath} line ${i + 1} is out of order (sequence ${entry.s} after ${seq})`,
      );
    }
    try {
      db.run(entry.q, entry.p.map(decode));
    } catch (cause) {
      db.close();
      throw new Error(
        `SQLite store ${file}: journal ${journalPath} line ${i + 1} cannot be replayed: ${(cause as Error).message}`,
        { cause },
      );
    }
    seq = entry.s;
    replayed++;
  });
  return { db, seq, replayed };
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

export class JournaledFile {
  private pending: Entry[] = [];
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private inflight: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    private readonly db: SqlJsDatabase,
    readonly file: string,
    private seq: number,
    private readonly compactBytes = DEFAULT_COMPACT_BYTES,
  ) {}

  /** Called synchronously after each successful write statement, so journal order is execution order. */
  record(sql: string, params: SqlValue[]): void {
    this.pending.push({ s: ++this.seq, q: sql, p: params.map(encode) });
  }

  /** Writes a snapshot and opens an empty journal; called once after loading. */
  async open(): Promise<void> {
    await this.serialise(() => this.snapshot(this.takePending()));
    this.journal = await open(this.file + JOURNAL_SUFFIX, 'a', 0o600);
  }

  /**
   * Resolves once every statement recorded before the call is on disk. Callers that arrive while a write is in flight
   * share the one write queued behind it, so N concurrent saves cost at most two fsyncs.
   */
  flush(): Promise<void> {
    if (!this.queued) {
      this.queued = this.inflight
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          this.inflight = this.writePending();
          return this.inflight;
        });
    }
    return this.queued;
  }

  /** Flushes, writes a final snapshot (so the next start replays nothing) and closes the journal. */
  async close(): Promise<void> {
    try {
      await this.flush();
      await this.serialise(() => this.snapshot(this.takePending()));
    } finally {
      await this.journal?.close();
      this.journal = undefined;
    }
  }

  private serialise(fn: () => Promise<void>): Promise<void> {
    const run = this.inflight.catch(() => {}).then(fn);
    this.inflight = run;
    return run;
  }

  private takePending(): Entry[] {
    const batch = this.pending;
    this.pending = [];
    return batch;
  }

  private async writePending(): Promise<void> {
    const batch = this.takePending();
    if (batch.length === 0) return;
    const text = batch.map((e) => `${JSON.stringify(e)}\n`).join('');
    const bytes = Buffer.byteLength(text);
    if (this.journalBytes + bytes > this.compactBytes || !this.journal) return this.snapshot(batch);
    try {
      await this.journal.write(text);
      await this.journal.sync();
      this.journalBytes += bytes;
    } catch (cause) {
      // Cut a partial append so later lines never follow a torn one, and keep the batch for the next flush.
      await this.journal.truncate(this.journalBytes).catch(() => {});
      this.pending = batch.concat(this.pending);
      throw new Error(`SQLite store ${this.file}: cannot write the journal: ${(cause as Error).message}`, { cause });
    }
  }

  /** Writes the whole database (everything executed so far, `batch` included) and empties the journal. */
  private async snapshot(batch: Entry[]): Promise<void> {
    // Synchronous up to export(): the image holds exactly the statements numbered up to this.seq.
    this.db.run(
      `insert into ${META_TABLE} (k, v) values ('${SEQ_KEY}', ?) on conflict (k) do update set v = excluded.v`,
      [this.seq],
    );
    const image = this.db.export();
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      const handle = await open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(image);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
      syncDirectory(dirname(this.file));
      if (this.journal) {
        await this.journal.truncate(0);
        await this.journal.sync();
      }
      this.journalBytes = 0;
    } catch (cause) {
      this.pending = batch.concat(this.pending);
      throw new Error(`SQLite store ${this.file}: cannot write the database file: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}
