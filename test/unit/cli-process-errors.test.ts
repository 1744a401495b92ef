// The long-running commands' last-resort handlers (lib/process-errors.ts), in a child process each: an uncaught
// exception is one JSON line at pino's fatal level and exit code 1; an unhandled rejection too, unless the command
// survives rejections (the runtime, the sync hooks), where it is an error line and the process goes on.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function runChild(body: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const script = `import { logFatalErrors } from './lib/process-errors.ts';\n${body}`;
  return new Promise((res) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot },
      (err, stdout, stderr) => {
        res({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
  });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('logFatalErrors', () => {
  it('an uncaught exception: one fatal JSON line with the frames but not the data, then exit 1', async () => {
    const r = await runChild(
      `logFatalErrors('webhooks'); setTimeout(() => { throw new TypeError('cannot read "x" of undefined'); }, 10);`,
    );
    expect(r.code).toBe(1);
    const [line, ...rest] = jsonLines(r.stderr);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      level: 60,
      component: 'webhooks',
      msg: 'uncaught exception',
      err: 'TypeError: cannot read "x" of undefined',
    });
    expect((line.frames as string[])[0]).toMatch(/^at /);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no plain-text stack besides the line
  });

  it('an unhandled rejection ends a command that does not survive them, with exit 1', async () => {
    const r = await runChild(
      `logFatalErrors('toolserver'); Promise.reject(new Error('lost')); setTimeout(() => process.stdout.write('still here'), 200);`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(jsonLines(r.stderr)).toEqual([
      expect.objectContaining({ level: 60, component: 'toolserver', msg: 'unhandled rejection', err: 'Error: lost' }),
    ]);
  });

  it('a command that survives rejections logs an error line and goes on; a non-Error reason is logged as text, cut short', async () => {
    const r = await runChild(
      `logFatalErrors('runtime', { survivesRejections: true }); Promise.reject('x'.repeat(1000)); setTimeout(() => process.stdout.write('still here'), 100);`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('still here');
    const [line] = jsonLines(r.stderr);
    expect(line).toMatchObject({ level: 50, component: 'runtime', msg: 'unhandled rejection' });
    expect(line.err).toBe('x'.repeat(300));
    expect(line.frames).toBeUndefined();
  });
});
