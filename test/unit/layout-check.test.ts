// The layout check (scripts/check-layout.ts): the rules core on small graphs, the graph builder on files written to a
// temporary folder (each kind of import the compiler resolves), and the repository itself under layout.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayout, checkRules, cycles, roomOf, type LayoutRules } from '../../scripts/layout/check.js';
import { importGraph, sourceFiles } from '../../scripts/layout/graph.js';

const rules: LayoutRules = {
  rooms: {
    ground: { floor: 'ground', mayImport: [] },
    server: { floor: 'server', mayImport: ['ground'] },
    other: { floor: 'server', mayImport: ['ground'] },
    top: { floor: 'top', mayImport: ['ground', 'server', 'other'] },
    test: { floor: 'outside', mayImport: ['*'] },
  },
};
const edge = (from: string, to: string, line = 1) => ({ from, to, line });

describe('checkLayout', () => {
  it('allows imports down the floors, within a room, and anything from a "*" room', () => {
    const files = ['ground/a.ts', 'server/b.ts', 'server/c.ts', 'top/d.ts', 'test/e.ts'];
    const edges = [
      edge('server/b.ts', 'ground/a.ts'),
      edge('server/b.ts', 'server/c.ts'),
      edge('top/d.ts', 'server/b.ts'),
      edge('test/e.ts', 'top/d.ts'),
    ];
    expect(checkLayout(rules, files, edges)).toEqual([]);
  });

  it('names the file, line, both rooms and what is allowed for an import up a floor or sideways', () => {
    const files = ['ground/a.ts', 'server/b.ts', 'other/c.ts'];
    const problems = checkLayout(rules, files, [
      edge('ground/a.ts', 'server/b.ts', 7),
      edge('server/b.ts', 'other/c.ts', 3),
    ]);
    expect(problems).toEqual([
      {
        kind: 'forbidden-import',
        message: 'ground/a.ts:7 imports server/b.ts: ground/ (ground) may import nothing outside itself, not server/',
      },
      {
        kind: 'forbidden-import',
        message: 'server/b.ts:3 imports other/c.ts: server/ (server) may import ground, not other/',
      },
    ]);
  });

  it('reports a cycle inside one room with every file of the loop', () => {
    const files = ['server/a.ts', 'server/b.ts', 'server/c.ts'];
    const problems = checkLayout(rules, files, [
      edge('server/a.ts', 'server/b.ts'),
      edge('server/b.ts', 'server/c.ts'),
      edge('server/c.ts', 'server/a.ts'),
    ]);
    expect(problems).toEqual([
      { kind: 'cycle', message: 'import cycle: server/a.ts -> server/b.ts -> server/c.ts -> server/a.ts' },
    ]);
  });

  it('reports a cycle that crosses rooms even where each edge alone is allowed ("*" rooms)', () => {
    const problems = checkLayout(
      rules,
      ['test/a.ts', 'test/b.ts'],
      [edge('test/a.ts', 'test/b.ts'), edge('test/b.ts', 'test/a.ts')],
    );
    expect(problems.map((p) => p.kind)).toEqual(['cycle']);
  });

  it('refuses a file in a folder the rules do not name, so a new folder has to be placed', () => {
    expect(checkLayout(rules, ['newroom/x.ts', 'newroom/y.ts'], [])).toEqual([
      {
        kind: 'unknown-room',
        message: 'newroom/x.ts: folder "newroom" is not a room in layout.json; add it with the rooms it may import',
      },
    ]);
  });

  it('a room named in the rules that has no files yet is fine', () => {
    expect(
      checkLayout(
        { rooms: { ...rules.rooms, future: { floor: 'server', mayImport: ['ground'] } } },
        ['ground/a.ts'],
        [],
      ),
    ).toEqual([]);
  });
});

describe('checkRules', () => {
  it('refuses a rule naming a room that does not exist, and a malformed room', () => {
    expect(
      checkRules({ rooms: { a: { floor: 'x', mayImport: ['b'] }, c: { floor: 'x' } as never } }).map((p) => p.message),
    ).toEqual([
      'layout.json: rooms.a.mayImport names "b", which is not a room',
      'layout.json: rooms.c.mayImport must be a list of room names',
    ]);
  });

  it('refuses rooms allowed to import each other in a loop', () => {
    const problems = checkRules({
      rooms: { a: { floor: 'x', mayImport: ['b'] }, b: { floor: 'x', mayImport: ['a'] } },
    });
    expect(problems).toEqual([
      { kind: 'rules', message: 'layout.json: rooms allowed to import each other in a loop: a -> b -> a' },
    ]);
  });
});

describe('cycles', () => {
  it('finds a self-import and separate loops, each once, starting at its first file', () => {
    const g = new Map([
      ['x', ['x']],
      ['b', ['a']],
      ['a', ['b', 'c']],
      ['c', []],
      ['q', ['p']],
      ['p', ['q']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b'], ['p', 'q'], ['x']]);
  });

  it('shows the shortest loop back to the first file of a larger component', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c', 'a']],
      ['c', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b']]);
  });

  it('no loop, no report', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('importGraph', () => {
  const root = mkdtempSync(join(tmpdir(), 'layout-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('sees static, type-only, re-export, dynamic and import-type references, and skips packages', () => {
    write('ground/a.ts', 'export const a = 1;\nexport type A = number;\n');
    write('ground/b.ts', 'export const b = 2;\n');
    write('ground/c.ts', 'export const c = 3;\n');
    write('ground/d.ts', 'export type D = string;\n');
    write(
      'server/s.ts',
      [
        "import { a } from '../ground/a.js';",
        "import type { A } from '../ground/a.js';",
        "export { b } from '../ground/b.js';",
        "const m = await import('../ground/c.js');",
        "let d: import('../ground/d.js').D;",
        "import { join } from 'node:path';",
      ].join('\n'),
    );
    const files = sourceFiles(root, ['ground', 'server', 'missing']);
    const edges = importGraph(root, files);
    expect(edges.map((e) => `${e.from}:${e.line} -> ${e.to}`)).toEqual([
      'server/s.ts:1 -> ground/a.ts',
      'server/s.ts:2 -> ground/a.ts',
      'server/s.ts:3 -> ground/b.ts',
      'server/s.ts:4 -> ground/c.ts',
      'server/s.ts:5 -> ground/d.ts',
    ]);
    expect(roomOf('server/s.ts')).toBe('server');
    expect(roomOf('vitest.config.ts')).toBe('(root)');
  });
});

describe('check-layout.ts', () => {
  const repo = join(dirname(new URL(import.meta.url).pathname), '..', '..');
  const run = (dir?: string) => {
    try {
      return {
        code: 0,
        out: execFileSync(
          process.execPath,
          ['--import', 'tsx', join(repo, 'scripts/check-layout.ts'), ...(dir ? [dir] : [])],
          { cwd: repo, encoding: 'utf8', stdio: 'pipe' },
        ),
      };
    } catch (err) {
      const e = err as { status: number; stderr: string };
      return { code: e.status, out: e.stderr };
    }
  };

  it('fails with exit 1, naming the file, on a forbidden import and on a cycle', () => {
    const root = mkdtempSync(join(tmpdir(), 'layout-repo-'));
    try {
      writeFileSync(join(root, 'layout.json'), JSON.stringify(rules));
      mkdirSync(join(root, 'ground'));
      mkdirSync(join(root, 'server'));
      writeFileSync(join(root, 'ground/a.ts'), "import { b } from '../server/b.js';\nexport const a = b;\n");
      writeFileSync(join(root, 'server/b.ts'), "import { c } from './c.js';\nexport const b = c;\n");
      writeFileSync(join(root, 'server/c.ts'), "import { b } from './b.js';\nexport const c = 1 + b;\n");
      const { code, out } = run(root);
      expect(code).toBe(1);
      expect(out).toContain(
        'layout: ground/a.ts:1 imports server/b.ts: ground/ (ground) may import nothing outside itself, not server/\n',
      );
      expect(out).toContain('layout: import cycle: server/b.ts -> server/c.ts -> server/b.ts\n');
      expect(out).toContain('layout: 2 problem(s)');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('passes on this repository (npm run check:layout)', () => {
    const { code, out } = run();
    expect(out).toMatch(/^layout: \d+ files, \d+ imports between them, no forbidden import, no cycle\n$/);
    expect(code).toBe(0);
  });
});

describe('layout.json', () => {
  it('every room of layout.json says what it may import, and each folder with sources is a room', () => {
    const parsed = JSON.parse(readFileSync(new URL('../../layout.json', import.meta.url), 'utf8')) as LayoutRules;
    expect(checkRules(parsed)).toEqual([]);
    for (const room of [
      'crds',
      'contract',
      'lib',
      'webhooks',
      'sync-hooks',
      'runtime',
      'toolserver',
      'dashboard',
      'cli',
      'test',
      'bench',
    ]) {
      expect(parsed.rooms[room], room).toBeDefined();
    }
  });
});
