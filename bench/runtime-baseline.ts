// The BASELINE runtime of bench:runtime: the runtime as it was before its LLM calls moved to the openai SDK (our own
// chat-completions client over undici's request(), runtime/models/chat-client.ts), built from git for the comparison
// only. Nothing of it is imported: the bench spawns it as a process, like the runtime under test.
// The commit is the parent of the one that deleted chat-client.ts (BENCH_BASELINE_REF overrides); its sources are
// extracted with `git archive` into a temporary folder (cached by commit), given this checkout's node_modules, and
// compiled with tsc to dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function git(repoRoot: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

export interface Baseline {
  /** A folder holding bin/metagent.js and dist/ of the baseline commit. */
  root: string;
  commit: string;
  subject: string;
}

export function buildBaseline(repoRoot: string): Baseline {
  const ref =
    process.env.BENCH_BASELINE_REF ??
    `${git(repoRoot, ['rev-list', '-1', 'HEAD', '--', 'runtime/models/chat-client.ts'])}^`;
  const commit = git(repoRoot, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const subject = git(repoRoot, ['log', '-1', '--format=%s', commit]).slice(0, 100);
  const root = join(tmpdir(), `metagent-bench-baseline-${commit.slice(0, 12)}`);
  if (existsSync(join(root, 'dist/cli/main.js'))) return { root, commit, subject };
  mkdirSync(root, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', commit], { cwd: repoRoot, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${commit}: ${archive.stderr.toString()}`);
  const tar = spawnSync('tar', ['-x', '-C', root], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar: ${tar.stderr.toString()}`);
  // The baseline's dependencies are a subset of today's (it used undici where today uses the openai SDK).
  if (!existsSync(join(root, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  const built = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (!existsSync(join(root, 'dist/cli/main.js')))
    throw new Error(`the baseline did not compile: ${built.stdout}${built.stderr}`);
  return { root, commit, subject };
}
