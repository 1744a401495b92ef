// The README test's pure parts (test/readme/): which lines of a README are commands, their output, and what a run's
// output is compared as.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extractCommands, extractSynopses, stripComment, unlabelledPrompts } from '../readme/extract.js';
import { normalise } from '../readme/normalise.js';
import { RULES, ruleFor } from '../readme/rules.js';

const md = [
  '# t', //                                                     1
  '```sh', //                                                   2
  '# a comment line', //                                        3
  'export A=1   # trailing comment', //                         4
  'helm install x \\', //                                       5
  '  --set a=b', //                                             6
  'echo "a # not a comment"', //                                7
  '```', //                                                     8
  '```console', //                                              9
  '$ metagent get agents', //                                   10
  'NAME   READY', //                                            11
  'a      True', //                                             12
  '', //                                                        13
  '$ true', //                                                  14
  '```', //                                                     15
  '```', //                                                     16
  'metagent runtime --filepath /config [--host H]', //          17
  '                 [--port 8080]', //                          18
  'kubectl apply ──► not a command', //                         19
  '```', //                                                     20
  '```ts', //                                                   21
  'const x = 1;', //                                            22
  '```', //                                                     23
].join('\n');

describe('README command extraction', () => {
  it('reads sh lines (comments, continuations, quotes) and console commands with their output', () => {
    expect(extractCommands(md, 'R.md')).toEqual([
      { file: 'R.md', line: 4, command: 'export A=1' },
      { file: 'R.md', line: 5, command: 'helm install x --set a=b' },
      { file: 'R.md', line: 7, command: 'echo "a # not a comment"' },
      { file: 'R.md', line: 10, command: 'metagent get agents', output: ['NAME   READY', 'a      True'] },
      { file: 'R.md', line: 14, command: 'true' },
    ]);
  });

  it('reads synopsis lines of unlabelled blocks with their flags, across wrapped lines', () => {
    expect(extractSynopses(md, 'R.md')).toEqual([
      { file: 'R.md', line: 17, command: 'runtime', flags: ['--filepath', '--host', '--port'] },
    ]);
  });

  it('keeps # inside quotes and words', () => {
    expect(stripComment("a 'b # c' d#e # f")).toBe("a 'b # c' d#e");
  });

  it('normalises per-run values and leaves out JSON log lines and blank lines', () => {
    expect(
      normalise(
        'config: /tmp/metagent-run-j6UoPg\n{"level":30,"msg":"x"}\n\nAGE 12s  \ncontext: 3f6c2a1e-8d4b-4f0a-9c1e-2b7d5e9a4c60',
      ),
    ).toBe('config: /tmp/metagent-run-<random>\nAGE <duration>\ncontext: <uuid>');
  });

  it('every rule says why it skips, adapts or stands in, and the first match wins', () => {
    for (const r of RULES) {
      const why = r.skip ?? r.append?.why ?? r.instead?.why ?? r.after?.why ?? (r.serves ? 'serves' : '');
      expect(why, String(r.match)).not.toBe('');
    }
    expect(ruleFor({ file: 'README.md', line: 1, command: 'npm test' })?.skip).toBe('the suite this test is part of');
    expect(ruleFor({ file: 'README.md', line: 1, command: 'metagent run -f x/' })?.append).toBeDefined();
    expect(ruleFor({ file: 'README.md', line: 1, command: 'metagent run -f x/ --port 1' })?.append).toBeUndefined();
    expect(ruleFor({ file: 'README.md', line: 1, command: 'kubectl get pods' })).toBeUndefined();
  });

  it('no README hides a `$ ` command in an unlabelled block (the test runs console blocks only)', () => {
    expect(unlabelledPrompts('```\n$ echo hi\n```\n```console\n$ echo ok\n```\n')).toEqual([2]);
    const root = new URL('../../', import.meta.url).pathname;
    const files = execFileSync('git', ['ls-files', '*README.md'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const hidden = files.flatMap((f) => unlabelledPrompts(readFileSync(root + f, 'utf8')).map((l) => `${f}:${l}`));
    expect(hidden).toEqual([]);
  });
});
