// `<file>.lock` holding the owner's pid keeps a second runtime from opening the same SQLite store: two writers would
// each replay and rewrite the file, silently losing the other's changes.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** Takes the lock or throws naming the holder. A lock whose process is gone (or is us: pid 1 after a container restart) is stale. */
export function acquireFileLock(file: string): () => void {
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
        throw new Error(`SQLite store ${file}: cannot create lock file ${lock}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const holder = Number.parseInt(readOrEmpty(lock), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new Error(
          `SQLite store ${file} is in use by process ${holder} (lock file ${lock}); two runtimes must not share one SQLite file — use PostgreSQL for replicas`,
          { cause: err },
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

function readOrEmpty(path: string): string {
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
