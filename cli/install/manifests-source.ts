// manifests/ as the chart's source: the objects of its kustomizations, each with the file it came from. Only
// plain `resources:` kustomizations are read (files and sub-folders); anything else kustomize would transform is
// refused, so the chart can never silently differ from what `kubectl apply -k` installs.
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export type Obj = Record<string, any>;

export interface SourceObject {
  object: Obj;
  /** Path under manifests/, e.g. `webhooks/deployment.yaml`. */
  file: string;
}

const ALLOWED_KUSTOMIZATION_KEYS = new Set(['apiVersion', 'kind', 'resources']);

/** The objects a kustomization folder lists, in kustomize's order (resources in the order given, recursively). */
export function readKustomization(root: string, dir = root): SourceObject[] {
  const file = join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as Obj;
  for (const key of Object.keys(k)) {
    if (!ALLOWED_KUSTOMIZATION_KEYS.has(key)) {
      throw new Error(
        `${relative(root, file) || file}: "${key}" is not supported by the chart generator (only resources:)`,
      );
    }
  }
  const out: SourceObject[] = [];
  for (const entry of (k.resources ?? []) as string[]) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...readKustomization(root, path));
    else out.push(...readManifestFile(root, path));
  }
  return out;
}

function readManifestFile(root: string, path: string): SourceObject[] {
  const file = relative(root, path);
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`manifests/${file}: ${d.errors[0].message}`);
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null)
    .map((object) => ({ object, file }));
}

/** Every object the chart is made of: the main kustomization and the separately applied Metacontroller one. */
export function readChartSources(manifestsDir: string, extraDirs: string[]): SourceObject[] {
  const out = readKustomization(manifestsDir);
  for (const d of extraDirs) out.push(...readKustomization(manifestsDir, join(manifestsDir, d)));
  return out;
}
