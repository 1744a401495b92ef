// `-f` as kubectl reads it, for every command that takes manifests (render, run, install): a file (any name), a
// folder (its .json, .yaml and .yml files in name order; with -R its sub-folders too), `-` for standard input, and
// several -f in the order given. Each file may hold several YAML documents and `List` objects (kind `List` or
// `*List` with `items`). Errors name the file, the document (1-based, as `kubectl` counts them) and the List item.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../crds/kube-object.js';

export interface SourcedObject {
  object: KubeObject;
  /** `file`, `file (document N)` or `file (document N, items[I])`, for messages. */
  source: string;
}

export interface ReadOptions {
  /** kubectl's -R: a folder's sub-folders are read too. */
  recursive?: boolean;
  /** Standard input for `-`; read once, on demand. */
  stdin?: () => string;
  /**
   * Also accept kagent's translator test-case files: a document without apiVersion holding `objects: [...]` (and
   * perhaps `namespace:`) stands for those objects. Used by `render`, which can print a kagent golden case.
   */
  testCases?: boolean;
}

export interface ReadResult {
  objects: SourcedObject[];
  /** The `namespace:` of the first test-case document read (testCases only). */
  caseNamespace?: string;
}

/** Manifest files a folder stands for, kubectl's extensions. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;
export const STDIN_NAME = '<stdin>';

/** The files the -f values stand for, in kubectl's order; `-` stays `-`. Errors name the path. */
export function expandManifestPaths(paths: readonly string[], opts: Pick<ReadOptions, 'recursive'> = {}): string[] {
  if (paths.length === 0) throw new Error('no files given: use -f FILE, -f DIR or -f -');
  if (paths.filter((p) => p === '-').length > 1) throw new Error('-f -: standard input can be read only once');
  const out: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push(path);
      continue;
    }
    if (/^https?:\/\//.test(path))
      throw new Error(`${path}: reading manifests from a URL is not supported; download the file and pass it with -f`);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT' ? `${path}: no such file or directory` : `${path}: cannot read (${code ?? String(err)})`,
        { cause: err },
      );
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    const inside = folderFiles(path, opts.recursive === true);
    if (inside.length === 0)
      throw new Error(
        `${path}: no .yaml, .yml or .json files in this folder${opts.recursive ? ' or below it' : ' (use -R for its sub-folders)'}`,
      );
    out.push(...inside);
  }
  return out;
}

function folderFiles(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  // Name order (byte order of the names, as Go's filepath.Walk that kubectl uses), files and folders interleaved.
  const names = readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (recursive) out.push(...folderFiles(path, true));
    } else if (MANIFEST_FILE.test(name)) out.push(path);
  }
  return out;
}

/** Reads every -f value (see expandManifestPaths) and returns its objects in order. A file without any object fails. */
export function readManifests(paths: readonly string[], opts: ReadOptions = {}): ReadResult {
  const result: ReadResult = { objects: [] };
  for (const file of expandManifestPaths(paths, opts)) {
    const name = file === '-' ? STDIN_NAME : file;
    let text: string;
    try {
      text = file === '-' ? (opts.stdin ?? readStdin)() : readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
    const read = readManifestText(text, name, opts);
    if (read.objects.length === 0) throw new Error(`${name}: contains no Kubernetes objects`);
    result.objects.push(...read.objects);
    if (result.caseNamespace === undefined) result.caseNamespace = read.caseNamespace;
  }
  return result;
}

function readStdin(): string {
  return readFileSync(0, 'utf8');
}

/** The objects of one file's text; `file` names it in errors. */
export function readManifestText(text: string, file: string, opts: Pick<ReadOptions, 'testCases'> = {}): ReadResult {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const result: ReadResult = { objects: [] };
  const many = docs.length > 1;
  docs.forEach((doc, i) => {
    const docLabel = many ? `document ${i + 1}` : '';
    const at = many ? `${file} (${docLabel})` : file;
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const line = e.linePos?.[0]?.line;
      throw new Error(`${at}: invalid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing ---)
    let items: unknown[];
    let listed = false;
    if (opts.testCases && isTestCase(value)) {
      items = value.objects;
      listed = true;
      if (result.caseNamespace === undefined && typeof value.namespace === 'string')
        result.caseNamespace = value.namespace;
    } else if (isList(value)) {
      items = value.items;
      listed = true;
    } else items = [value];
    const key = isList(value) ? 'items' : 'objects';
    items.forEach((item, j) => {
      const source = listed ? `${file} (${[docLabel, `${key}[${j}]`].filter(Boolean).join(', ')})` : at;
      result.objects.push({ object: checkObject(item, source), source });
    });
  });
  return result;
}

function checkObject(item: unknown, source: string): KubeObject {
  if (!item || typeof item !== 'object' || Array.isArray(item))
    throw new Error(`${source}: not a Kubernetes object (expected a mapping)`);
  const o = item as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string')
    throw new Error(`${source}: not a Kubernetes object (apiVersion and kind are required)`);
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object' || typeof meta.name !== 'string' || !meta.name)
    throw new Error(`${source}: ${o.kind} has no metadata.name`);
  return o as KubeObject;
}

function isList(v: unknown): v is { items: unknown[] } {
  const o = v as Record<string, unknown>;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.kind === 'string' &&
    o.kind.endsWith('List') &&
    Array.isArray(o.items)
  );
}

function isTestCase(v: unknown): v is { objects: unknown[]; namespace?: unknown } {
  const o = v as Record<string, unknown>;
  return typeof o === 'object' && o !== null && !Array.isArray(o) && !('apiVersion' in o) && Array.isArray(o.objects);
}
