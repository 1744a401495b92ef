// Every room of layout.json has a README that says what it may import — the same rooms layout.json allows, so the
// prose cannot drift from the check — and where to start reading (files that exist).
//   May import: `crds/`, `lib/` (layout.json) ...      → ['crds', 'lib']; "packages only" → []; `*` → ['*']
//   Start reading at `server.ts`, then `admission.ts`.  → each named path exists, in the room or from the root
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const layout = JSON.parse(readFileSync(join(root, 'layout.json'), 'utf8')) as {
  rooms: Record<string, { mayImport: string[] }>;
};
const rooms = Object.keys(layout.rooms).filter((r) => r !== '(root)');

/** The rooms named on the README's `May import:` line, up to the first parenthesis or the line's end. */
function mayImportOf(readme: string): string[] | undefined {
  const line = /^May import: ([^(\n]*)/m.exec(readme)?.[1];
  if (line === undefined) return undefined;
  return [...line.matchAll(/`([^`]+?)\/?`/g)].map((m) => m[1]!).sort();
}

/** The paths named in the README's `Start reading at ...` sentence. */
function startReadingOf(readme: string): string[] | undefined {
  const sentence = /Start reading at\s((?:[^.`]|`[^`]*`)*)/.exec(readme)?.[1];
  if (sentence === undefined) return undefined;
  return [...sentence.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

describe('folder READMEs', () => {
  it('parses the two lines', () => {
    expect(mayImportOf('x\nMay import: `crds/`, `lib/` (`layout.json`). Start ...')).toEqual(['crds', 'lib']);
    expect(mayImportOf('May import: packages only (`layout.json`).')).toEqual([]);
    expect(mayImportOf('May import: any room (`*`).')).toEqual([]);
    expect(mayImportOf('May import: any room, `*` (layout.json).')).toEqual(['*']);
    expect(mayImportOf('no such line')).toBeUndefined();
    expect(startReadingOf('Start reading at `a.ts`, then `b/c.ts`. Later `d.ts`.')).toEqual(['a.ts', 'b/c.ts']);
  });

  for (const room of rooms) {
    it(`${room}/README.md says what ${room}/ may import (as layout.json) and where to start`, () => {
      const file = join(root, room, 'README.md');
      expect(existsSync(file), `${room}/README.md is missing`).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(mayImportOf(text), `${room}/README.md has no "May import:" line`).toEqual(
        [...layout.rooms[room]!.mayImport].sort(),
      );
      const start = startReadingOf(text);
      expect(start, `${room}/README.md has no "Start reading at" sentence`).toBeDefined();
      expect(start!.length, `${room}/README.md: "Start reading at" names no file`).toBeGreaterThan(0);
      for (const p of start!)
        expect(
          existsSync(join(root, room, p)) || existsSync(join(root, p)),
          `${room}/README.md: start file ${p} does not exist`,
        ).toBe(true);
    });
  }
});
