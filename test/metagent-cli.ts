// Runs the `metagent` bin as a real subprocess, the way a user does; never rejects, so tests assert on the exit code.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('../', import.meta.url));
export const metagentBin = join(repoDir, 'bin', 'metagent.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` is merged over this process's environment (a key set to undefined removes it); killed after timeoutMs. */
export function runMetagent(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [metagentBin, ...args], { cwd: repoDir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
