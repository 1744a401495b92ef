// The dashboard's web app built for a test, in a child process (node only: test/runtime/dist.test.ts uses it too,
// outside the browser tests' own tsconfig).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

/** vite build of dashboard/web into `outDir`; each test file builds its own, so parallel files never share one. */
export async function buildWeb(outDir: string): Promise<string> {
  // A child process: under vitest NODE_ENV is "test", which would give React's development build.
  const { execFileSync } = await import('node:child_process');
  execFileSync(
    process.execPath,
    [
      join(repo, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(repo, 'dashboard/web/vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return outDir;
}
