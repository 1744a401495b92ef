// The generated parts of charts/metagent/, as text (pure): Chart.yaml, values.yaml, values.schema.json, crds/ and
// templates/generated/. `npm run generate:chart` writes them; test/unit/chart-generate.test.ts fails when the
// committed files differ from what manifests/ and the rules give now.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { FROM_MANIFESTS, valuesSchema, type SchemaNode, type Values } from './chart-values.js';
import { RULES, getPath } from './chart-rules.js';
import { templateFiles } from './chart-template.js';
import { readChartSources, type SourceObject } from './manifests-source.js';

/** manifests/ folders applied separately from the main kustomization, which the chart includes too (dashboard/ only
 * when dashboard.enabled). */
export const EXTRA_KUSTOMIZATIONS = ['metacontroller', 'dashboard'];

export const METACONTROLLER_CHART = {
  name: 'metacontroller-helm',
  version: '4.17.2',
  repository: 'oci://ghcr.io/metacontroller',
};

export interface GeneratedFile {
  path: string;
  text: string;
}

/** The default of each FROM_MANIFESTS value: the manifests' value where its rule applies. */
function manifestDefaults(sources: SourceObject[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const rule of RULES) {
    if (!rule.defaultOf) continue;
    const src = sources.find((s) => s.object.kind === rule.kind && s.object.metadata?.name === rule.name);
    if (!src) throw new Error(`chart rule ${rule.kind}/${rule.name}: no such object in manifests/`);
    const v = getPath(src.object, rule.path);
    if (v === undefined)
      throw new Error(
        `chart rule ${rule.kind}/${rule.name}: ${rule.path.join('.')} is not set in manifests/ (it is the default of ${rule.defaultOf})`,
      );
    const seen = out.get(rule.defaultOf);
    if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(v))
      throw new Error(`chart value ${rule.defaultOf}: manifests/ disagree on its default`);
    out.set(rule.defaultOf, v);
  }
  return out;
}

/** A group of values (no default of its own), as opposed to a value that happens to be an object. */
const isGroup = (node: SchemaNode) => node.properties !== undefined && node.default === undefined;

/** The default values (the contents of values.yaml), FROM_MANIFESTS markers resolved. */
export function defaultValues(sources: SourceObject[]): Values {
  const fromManifests = manifestDefaults(sources);
  const walk = (node: SchemaNode, path: string[]): unknown => {
    if (isGroup(node)) {
      return Object.fromEntries(Object.entries(node.properties!).map(([k, child]) => [k, walk(child, [...path, k])]));
    }
    if (node.default === FROM_MANIFESTS) {
      const key = path.join('.');
      if (!fromManifests.has(key))
        throw new Error(`chart value ${key}: its default comes from manifests/ but no rule says where`);
      return fromManifests.get(key);
    }
    return node.default;
  };
  return walk(valuesSchema, []) as Values;
}

/** values.yaml: every value with its description as a comment. */
export function valuesYaml(defaults: Values): string {
  const lines = [
    '# metagent chart values. Generated from cli/install/chart-values.ts by `npm run generate:chart`; do not edit.',
    '',
  ];
  const emit = (node: SchemaNode, value: any, key: string, indent: string) => {
    if (node.description) for (const l of node.description.split('\n')) lines.push(`${indent}# ${l}`);
    if (isGroup(node)) {
      lines.push(`${indent}${key}:`);
      for (const [k, child] of Object.entries(node.properties!)) emit(child, value[k], k, `${indent}  `);
      return;
    }
    const text = stringify({ [key]: value }, { lineWidth: 0, version: '1.1' }).trimEnd();
    for (const l of text.split('\n')) lines.push(`${indent}${l}`);
  };
  for (const [k, child] of Object.entries(valuesSchema.properties!)) {
    emit(child, defaults[k], k, '');
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** values.schema.json: the schema without descriptions' FROM_MANIFESTS defaults (JSON Schema defaults are not applied by Helm). */
export function valuesSchemaJson(): string {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node)
          .filter(([k]) => k !== 'default')
          .map(([k, v]) => [k, strip(v)]),
      );
    }
    return node;
  };
  return `${JSON.stringify(strip(valuesSchema), null, 2)}\n`;
}

export function chartYaml(version: string): string {
  return stringify(
    {
      apiVersion: 'v2',
      name: 'metagent',
      description:
        "AI agents as Kubernetes objects: kagent's v1alpha2 API, admission webhooks, Metacontroller sync hooks, an A2A runtime",
      type: 'application',
      version,
      appVersion: version,
      kubeVersion: '>=1.30.0-0',
      home: 'https://github.com/metagent/metagent',
      sources: ['https://github.com/metagent/metagent'],
      dependencies: [{ ...METACONTROLLER_CHART, alias: 'metacontroller', condition: 'metacontroller.enabled' }],
    },
    { lineWidth: 0, version: '1.1' },
  ).replace(/^/, '# Generated by `npm run generate:chart` from package.json; do not edit.\n');
}

export function generateChart(manifestsDir: string, packageJson: string): GeneratedFile[] {
  const sources = readChartSources(manifestsDir, EXTRA_KUSTOMIZATIONS);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const files: GeneratedFile[] = [
    { path: 'Chart.yaml', text: chartYaml(version) },
    { path: 'values.yaml', text: valuesYaml(defaultValues(sources)) },
    { path: 'values.schema.json', text: valuesSchemaJson() },
  ];
  const crdFiles = new Set(sources.filter((s) => s.object.kind === 'CustomResourceDefinition').map((s) => s.file));
  for (const file of crdFiles) {
    files.push({ path: `crds/${file.split('/').pop()}`, text: readFileSync(`${manifestsDir}/${file}`, 'utf8') });
  }
  for (const t of templateFiles(sources)) files.push({ path: `templates/generated/${t.path}`, text: t.text });
  return files;
}
