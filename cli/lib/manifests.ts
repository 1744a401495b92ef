// Reading Kubernetes YAML the user points the CLI at: several files, several documents each, errors that name the
// file, the document and the line.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface LoadedObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [k: string]: unknown };
  [field: string]: unknown;
}

export interface SourcedObject {
  object: LoadedObject;
  /** `file` or `file (document N)`, for messages. */
  source: string;
}

export function readManifestText(text: string, file: string): SourcedObject[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const out: SourcedObject[] = [];
  const many = docs.length > 1;
  docs.forEach((doc, i) => {
    const source = many ? `${file} (document ${i + 1})` : file;
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const line = e.linePos?.[0]?.line;
      throw new Error(`${file}: invalid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return; // empty document (e.g. a trailing ---)
    const items = isList(value) ? value.items : [value];
    for (const item of items) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error(`${source}: not a Kubernetes object (expected a mapping)`);
      const o = item as Record<string, unknown>;
      if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') throw new Error(`${source}: not a Kubernetes object (apiVersion and kind are required)`);
      const meta = o.metadata as Record<string, unknown> | undefined;
      if (!meta || typeof meta.name !== 'string' || !meta.name) throw new Error(`${source}: ${o.kind} has no metadata.name`);
      out.push({ object: o as LoadedObject, source });
    }
  });
  return out;
}

function isList(v: unknown): v is { items: unknown[] } {
  const o = v as Record<string, unknown>;
  return typeof o === 'object' && o !== null && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

export function readManifests(files: string[]): SourcedObject[] {
  if (files.length === 0) throw new Error('no files given: use -f FILE');
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `${file}: no such file` : code === 'EISDIR' ? `${file}: is a directory, expected a YAML file` : `${file}: cannot read (${code ?? String(err)})`);
    }
    const objects = readManifestText(text, file);
    if (objects.length === 0) throw new Error(`${file}: contains no Kubernetes objects`);
    return objects;
  });
}
