// The Node.js release the runtime image is built on, for tests that run the runtime the way the image does. The
// major version is read from the Dockerfile's NODE_IMAGE default (the one place it is stated); the binary comes
// from the npm registry's node-<platform>-<arch> package and is cached beside the test cluster's binaries.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The major version in `ARG NODE_IMAGE=node:<major>-slim`; an error names the file when the line is missing. */
export async function dockerfileNodeMajor(dockerfile: string): Promise<number> {
  const text = await readFile(dockerfile, 'utf8');
  const m = /^ARG NODE_IMAGE=(?:\S*\/)?node:(\d+)[-\w.]*$/m.exec(text);
  if (!m) throw new Error(`${dockerfile}: no "ARG NODE_IMAGE=node:<major>-slim" line to take the Node.js version from`);
  return Number(m[1]);
}

function cacheRoot(): string {
  return process.env.METAGENT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'metagent');
}

/**
 * The path of a `node` binary of this major version, downloaded once with `npm pack` (npm resolves the highest
 * release of the major) and unpacked into the cache; concurrent callers each unpack and the first rename wins.
 */
export async function ensureNode(major: number): Promise<string> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(cacheRoot(), `${pkg}-${major}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return bin;
  await mkdir(cacheRoot(), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'metagent-node-'));
  try {
    const { stdout } = await run('npm', ['pack', '--silent', `${pkg}@${major}`, '--pack-destination', work], { cwd: work });
    const tarball = stdout.trim().split('\n').pop()!;
    await run('tar', ['-xzf', join(work, tarball), '-C', work]);
    await rename(join(work, 'package'), dir).catch((err: NodeJS.ErrnoException) => {
      if (!existsSync(bin)) throw err; // another worker unpacked it first
    });
  } catch (err) {
    throw new Error(`could not fetch Node.js ${major} (npm package ${pkg}@${major}): ${(err as Error).message}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const { stdout } = await run(bin, ['--version']);
  if (!stdout.startsWith(`v${major}.`)) throw new Error(`${bin} reports ${stdout.trim()}, not Node.js ${major}`);
  return bin;
}
