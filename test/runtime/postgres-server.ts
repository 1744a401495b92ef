// A real PostgreSQL server on loopback for store tests, from Debian's `postgresql` package (apt-get install -y
// postgresql): initdb + pg_ctl start in a temp dir, as the `postgres` OS user when running as root. Shared by
// test/runtime/store.test.ts and test/unit/store-retention.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../cluster/cluster.js';

const run = promisify(execFile);

/** Debian installs the server binaries under /usr/lib/postgresql/<major>/bin, off PATH. */
export function findPgBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const majors = readdirSync(base)
      .filter((d) => existsSync(join(base, d, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length > 0) return join(base, majors[0], 'bin');
  }
  return undefined;
}

export interface PgServer {
  url: string;
  stop(): Promise<void>;
}

/** initdb + pg_ctl start into a temp dir, as the `postgres` OS user when we are root (PostgreSQL refuses root). */
export async function startPostgres(bin: string): Promise<PgServer> {
  const dir = await mkdtemp(join(tmpdir(), 'metagent-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const pgUser = asRoot ? await run('id', ['-u', 'postgres']).then((r) => Number(r.stdout.trim())) : undefined;
  if (asRoot) {
    await chown(dir, pgUser!, Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
    await chmod(dir, 0o700);
  }
  const as = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  await as(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'metagent', '--no-sync', '-E', 'UTF8']);
  await as(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  return {
    url: `postgres://metagent@127.0.0.1:${port}/postgres`,
    async stop() {
      await as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a server for the calling test file (beforeAll) and stops it (afterAll). `url()` is the server's URL, or
 * undefined with `skipReason()` saying why — except under CI, which installs PostgreSQL: there skipReason throws.
 */
export function usePostgres(): { url(): string | undefined; skipReason(): string | undefined } {
  let server: PgServer | undefined;
  let error: string | undefined;
  beforeAll(async () => {
    const bin = findPgBin();
    if (!bin) return;
    try {
      server = await startPostgres(bin);
    } catch (err) {
      error = `PostgreSQL from ${bin} did not start: ${(err as Error).message}`;
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    url: () => server?.url,
    skipReason() {
      if (server) return undefined;
      const reason = error ?? 'no PostgreSQL server binaries (apt-get install -y postgresql)';
      if (process.env.CI) throw new Error(reason);
      return reason;
    },
  };
}
