// manifests/' objects as Helm templates: each rule of chart-rules.ts becomes Go template text at its key. Pure: takes
// the source objects, returns the template files' text (charts/metagent/templates/generated/...).
import { stringify } from 'yaml';
import { CONDITIONS, EXCLUDED, RULES, SOURCE_NAMESPACE, getPath, parentOf } from './chart-rules.js';
import type { Obj, SourceObject } from './manifests-source.js';
import { webhookCertificateSpec } from './chart-render.js';

const NS = '{{ .Release.Namespace }}';

/** A Go template expression for a JSON value, the manifests' namespace replaced by the release namespace. */
export function goLiteral(value: unknown): string {
  const str = (s: string) =>
    s.includes(SOURCE_NAMESPACE)
      ? `(replace "${SOURCE_NAMESPACE}" $.Release.Namespace ${JSON.stringify(s)})`
      : JSON.stringify(s);
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'nil';
  return Array.isArray(value)
    ? `(fromJsonArray ${str(JSON.stringify(value))})`
    : `(fromJson ${str(JSON.stringify(value))})`;
}

const marker = (i: number) => `zzR${i}zz`;
const LABELS = 'zzLABELSzz';

function ruleText(i: number, orig: string, indent: string, key: string): string {
  const rule = RULES[i];
  const n = indent.length + 2;
  const expr = rule.go(orig);
  if (rule.shape === 'scalar') {
    return rule.optional
      ? `${indent}{{- with ${expr} }}\n${indent}${key}: {{ . | toJson }}\n${indent}{{- end }}`
      : `${indent}${key}: {{ ${expr} | toJson }}`;
  }
  return rule.optional
    ? `${indent}{{- with ${expr} }}\n${indent}${key}:\n${indent}  {{- toYaml . | nindent ${n} }}\n${indent}{{- end }}`
    : `${indent}${key}:\n${indent}  {{- toYaml ${expr} | nindent ${n} }}`;
}

export function templateObject(source: SourceObject): string {
  const o = structuredClone(source.object);
  // The manifests' value at each rule's key, as Go literals, before the key is replaced by its marker.
  const origs = new Map<number, string>();
  RULES.forEach((rule, i) => {
    if (rule.kind !== o.kind || rule.name !== o.metadata?.name) return;
    const parent = parentOf(o, rule.path, `${rule.kind}/${rule.name} ${rule.path.join('.')}`);
    origs.set(i, goLiteral(getPath(o, rule.path)));
    parent[rule.path[rule.path.length - 1]] = marker(i);
  });
  o.metadata.labels = { ...(o.metadata.labels ?? {}), [LABELS]: '' };
  const text = stringify(o, { lineWidth: 0, version: '1.1' }).replaceAll(SOURCE_NAMESPACE, NS);
  const lines = text.split('\n').map((line) => {
    if (line.includes(LABELS))
      return `${line.slice(0, line.indexOf(LABELS))}{{- include "metagent.labels" $ | nindent ${line.indexOf(LABELS)} }}`;
    const m = /^(\s*)(- )?(.+?): zzR(\d+)zz$/.exec(line);
    if (!m) {
      if (/zzR\d+zz/.test(line)) throw new Error(`chart template: cannot place a rule on line ${JSON.stringify(line)}`);
      return line;
    }
    if (m[2])
      throw new Error(
        `chart template: rule at the first key of a list item is not supported (${source.file}: ${line.trim()})`,
      );
    return ruleText(Number(m[4]), origs.get(Number(m[4]))!, m[1], m[3]);
  });
  let doc = lines.join('\n').trimEnd();
  for (const c of CONDITIONS) if (c.match(source.object, source.file)) doc = `{{- if ${c.go} }}\n${doc}\n{{- end }}`;
  return doc;
}

/** The generated webhook certificate: computed once in the file that also holds both webhook configurations. */
function tlsPrelude(sources: SourceObject[]): string {
  const { secretName, dnsNames } = webhookCertificateSpec(sources, SOURCE_NAMESPACE);
  return [
    '{{- $tls := dict }}',
    '{{- if not .Values.certManager.enabled }}',
    `{{- $tls = include "metagent.webhookTLS" (dict "root" $ "secretName" ${goLiteral(secretName)} "dnsNames" ${goLiteral(dnsNames)}) | fromYaml }}`,
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${secretName.replaceAll(SOURCE_NAMESPACE, NS)}`,
    `  namespace: ${NS}`,
    '  labels:',
    '    {{- include "metagent.labels" $ | nindent 4 }}',
    'type: kubernetes.io/tls',
    'data:',
    '  ca.crt: {{ $tls.ca | b64enc }}',
    '  tls.crt: {{ $tls.cert | b64enc }}',
    '  tls.key: {{ $tls.key | b64enc }}',
    '{{- end }}',
  ].join('\n');
}

export interface TemplateFile {
  /** Path under charts/metagent/templates/generated/. */
  path: string;
  text: string;
}

/** One template file per manifests/ file (CRDs and excluded objects left out: they go to crds/ or nowhere). */
export function templateFiles(sources: SourceObject[]): TemplateFile[] {
  const byFile = new Map<string, SourceObject[]>();
  for (const s of sources) {
    if (s.object.kind === 'CustomResourceDefinition' || EXCLUDED.some((e) => e.match(s.object))) continue;
    byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  }
  return [...byFile].map(([file, objs]) => {
    const docs = objs.map(templateObject);
    if (objs.some((s) => s.object.kind === 'MutatingWebhookConfiguration')) docs.unshift(tlsPrelude(sources));
    const header = `# Generated from manifests/${file} by \`npm run generate:chart\` (cli/install/chart-rules.ts); do not edit.\n`;
    return { path: file, text: `${header}${docs.map((d) => `---\n${d}\n`).join('')}` };
  });
}

/** Objects of manifests/ the chart leaves out, for the chart README and the drift test. */
export function excludedObjects(sources: SourceObject[]): Obj[] {
  return sources.map((s) => s.object).filter((o) => EXCLUDED.some((e) => e.match(o)));
}
