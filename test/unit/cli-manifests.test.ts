// `-f` as kubectl reads it (cli/lib/manifests.ts), shared by render and run: files, folders in name order, -R, `-`,
// several -f, multi-document YAML, List objects, kagent test cases; and every error names the file and document.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandManifestPaths, readManifests, readManifestText } from '../../cli/lib/manifests.js';

const root = mkdtempSync(join(tmpdir(), 'manifests-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}}\n`;
const names = (paths: string[], opts = {}) => readManifests(paths, opts).objects.map((o) => o.object.metadata.name);

describe('a folder', () => {
  const dir = join(root, 'folder');
  write('folder/b.yaml', secret('b'));
  write('folder/a.yml', secret('a'));
  write('folder/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c' } }));
  write('folder/README.md', '# not a manifest\n');
  write('folder/notes.txt', 'kind: nothing\n');
  write('folder/B.yaml', secret('upper-b'));
  write('folder/sub/d.yaml', secret('d'));
  write('folder/sub/deeper/e.yaml', secret('e'));
  write('folder/z/f.yaml', secret('f'));

  it('stands for its .yaml, .yml and .json files in name order, not its sub-folders', () => {
    expect(names([dir])).toEqual(['upper-b', 'a', 'b', 'c']);
  });

  it('with -R also for its sub-folders, walked in name order like kubectl', () => {
    expect(names([dir], { recursive: true })).toEqual(['upper-b', 'a', 'b', 'c', 'd', 'e', 'f']);
    expect(expandManifestPaths([dir], { recursive: true }).map((p) => p.slice(dir.length + 1))).toEqual([
      'B.yaml',
      'a.yml',
      'b.yaml',
      'c.json',
      'sub/d.yaml',
      'sub/deeper/e.yaml',
      'z/f.yaml',
    ]);
  });

  it('a folder with no manifest files is an error naming it (and -R when sub-folders might hold some)', () => {
    const empty = join(root, 'only-sub');
    write('only-sub/x/y.yaml', secret('y'));
    write('only-sub/README.md', 'x');
    expect(() => readManifests([empty])).toThrow(
      `${empty}: no .yaml, .yml or .json files in this folder (use -R for its sub-folders)`,
    );
    expect(names([empty], { recursive: true })).toEqual(['y']);
  });

  it('follows a symlinked file inside a folder', () => {
    const linked = join(root, 'linked');
    mkdirSync(linked);
    symlinkSync(join(dir, 'a.yml'), join(linked, 'link.yaml'));
    expect(names([linked])).toEqual(['a']);
  });
});

describe('files, several -f and standard input', () => {
  it('a file is read whatever its name; several -f keep their order; a folder among them expands in place', () => {
    const f = write('odd-name.txt', secret('txt'));
    const g = write('g.yaml', secret('g'));
    expect(names([g, f, join(root, 'folder')])).toEqual(['g', 'txt', 'upper-b', 'a', 'b', 'c']);
  });

  it('- reads standard input once, named <stdin> in errors', () => {
    let reads = 0;
    const stdin = () => {
      reads++;
      return `${secret('in1')}---\n${secret('in2')}`;
    };
    const g = write('h.yaml', secret('h'));
    expect(readManifests([g, '-'], { stdin }).objects.map((o) => o.source)).toEqual([
      g,
      '<stdin> (document 1)',
      '<stdin> (document 2)',
    ]);
    expect(reads).toBe(1);
    expect(() => readManifests(['-'], { stdin: () => 'kind: [\n' })).toThrow(/^<stdin>: invalid YAML at line \d/);
    expect(() => readManifests(['-', '-'], { stdin })).toThrow('-f -: standard input can be read only once');
  });

  it('refuses what it cannot read, naming the path', () => {
    expect(() => readManifests([])).toThrow('no files given: use -f FILE, -f DIR or -f -');
    expect(() => readManifests([join(root, 'missing.yaml')])).toThrow(
      `${join(root, 'missing.yaml')}: no such file or directory`,
    );
    expect(() => readManifests(['https://example.com/a.yaml'])).toThrow(
      'https://example.com/a.yaml: reading manifests from a URL is not supported',
    );
    expect(() => readManifests([write('empty.yaml', '# nothing\n---\n')])).toThrow(
      'empty.yaml: contains no Kubernetes objects',
    );
  });
});

describe('documents and Lists', () => {
  it('reads several documents and List kinds, skipping empty documents; sources name document and item', () => {
    const text = `${secret('a')}---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n- {apiVersion: v1, kind: Secret, metadata: {name: c}}\n---\n---\napiVersion: v1\nkind: SecretList\nitems: [{apiVersion: v1, kind: Secret, metadata: {name: d}}]\n`;
    const { objects } = readManifestText(text, 'x.yaml');
    expect(objects.map((o) => [o.object.metadata.name, o.source])).toEqual([
      ['a', 'x.yaml (document 1)'],
      ['b', 'x.yaml (document 2, items[0])'],
      ['c', 'x.yaml (document 2, items[1])'],
      ['d', 'x.yaml (document 4, items[0])'],
    ]);
    expect(
      readManifestText(
        'apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Secret, metadata: {name: e}}]\n',
        'l.yaml',
      ).objects[0].source,
    ).toBe('l.yaml (items[0])');
  });

  it('names the file, the document and the item of what is wrong', () => {
    expect(() => readManifestText(`${secret('a')}---\nkind: [unclosed\n`, 'x.yaml')).toThrow(
      /^x\.yaml \(document 2\): invalid YAML at line \d/,
    );
    expect(() => readManifestText('- a\n- b\n', 'x.yaml')).toThrow(
      'x.yaml: not a Kubernetes object (expected a mapping)',
    );
    expect(() => readManifestText('kind: Agent\n', 'x.yaml')).toThrow(
      'x.yaml: not a Kubernetes object (apiVersion and kind are required)',
    );
    expect(() => readManifestText(`${secret('a')}---\napiVersion: v1\nkind: Secret\nmetadata: {}\n`, 'x.yaml')).toThrow(
      'x.yaml (document 2): Secret has no metadata.name',
    );
    expect(() =>
      readManifestText(
        'apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Secret, metadata: {name: ok}}, {kind: Secret}]\n',
        'x.yaml',
      ),
    ).toThrow('x.yaml (items[1]): not a Kubernetes object (apiVersion and kind are required)');
  });

  it("kagent's test-case files only when asked (render): their objects and namespace", () => {
    const text = 'namespace: test\nobjects:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n';
    const read = readManifestText(text, 'case.yaml', { testCases: true });
    expect(read.objects.map((o) => o.source)).toEqual(['case.yaml (objects[0])']);
    expect(read.caseNamespace).toBe('test');
    expect(() => readManifestText(text, 'case.yaml')).toThrow(
      'case.yaml: not a Kubernetes object (apiVersion and kind are required)',
    );
  });
});
