// The long-running commands share their flag parsing and their lifetime (cli/lib/options.ts, lib/serve.ts):
// bad flags name the option and exit 1; SIGTERM closes the server and exits 0.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../cluster/cluster.js';

const bin = join(repoRoot, 'bin', 'metagent.js');

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<number>((res) => child.on('exit', (code) => res(code ?? -1)));
  return { child, exit, stderr: () => stderr };
}

describe('metagent sync-hooks as a process', () => {
  it.each([
    [['--port', '99999'], `option '--port <n>' argument '99999' is invalid. not a port number: "99999"`],
    [['--max-in-flight', '0'], `option '--max-in-flight <n>' argument '0' is invalid. not a positive integer: "0"`],
    [
      ['--image-pull-policy', 'Sometimes'],
      `argument 'Sometimes' is invalid. must be Always, IfNotPresent, Never; got "Sometimes"`,
    ],
  ])(
    'refuses %j naming the option',
    async (args, message) => {
      const p = start(['sync-hooks', ...args]);
      expect(await p.exit).toBe(1);
      expect(p.stderr()).toContain(message);
      expect(p.stderr()).not.toMatch(/\n\s+at \S+ \(?\S+:\d+:\d+\)?/); // no stack trace
    },
    30_000,
  );

  it('serves until SIGTERM, then stops gracefully with exit code 0', async () => {
    const p = start(['sync-hooks', '--port', '0', '--host', '127.0.0.1']);
    await expect.poll(() => p.stderr(), { timeout: 20_000 }).toMatch(/listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(p.stderr())![1];
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.stderr()).toContain('metagent sync-hooks: SIGTERM, stopping');
  }, 30_000);
});
