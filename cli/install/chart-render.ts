// The chart rendered in TypeScript, for `metagent install` (no helm binary): manifests/' objects with the rules of
// chart-rules.ts applied, plus the chart's own objects (the generated webhook certificate Secret, the optional
// default ModelConfig). Pure: the certificate and the namespace come in through the context.
import {
  CONDITIONS,
  EXCLUDED,
  RULES,
  SOURCE_NAMESPACE,
  getPath,
  isEmpty,
  parentOf,
  type RenderContext,
} from './chart-rules.js';
import type { Obj, SourceObject } from './manifests-source.js';
import type { Values } from './chart-values.js';

export function standardLabels(ctx: RenderContext): Record<string, string> {
  return {
    'helm.sh/chart': `${ctx.chart.name}-${ctx.chart.version}`,
    'app.kubernetes.io/managed-by': ctx.managedBy,
    'app.kubernetes.io/instance': ctx.releaseName,
    'app.kubernetes.io/version': ctx.chart.appVersion,
  };
}

/** Replaces the manifests' namespace in every string of a JSON value. */
export function withNamespace<T>(value: T, namespace: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(SOURCE_NAMESPACE, namespace)) as T;
}

function keep(source: SourceObject, values: Values): boolean {
  if (EXCLUDED.some((e) => e.match(source.object))) return false;
  return CONDITIONS.every((c) => !c.match(source.object, source.file) || c.ts(values));
}

export function renderSourceObject(source: SourceObject, values: Values, ctx: RenderContext): Obj {
  const o = withNamespace(source.object, ctx.namespace);
  for (const rule of RULES) {
    if (rule.kind !== o.kind || rule.name !== source.object.metadata?.name) continue;
    const parent = parentOf(o, rule.path, `${rule.kind}/${rule.name} ${rule.path.join('.')}`);
    const key = rule.path[rule.path.length - 1];
    const value = rule.ts(values, ctx, getPath(o, rule.path));
    if (rule.optional && isEmpty(value)) delete parent[key];
    else parent[key] = value;
  }
  o.metadata.labels = { ...(o.metadata.labels ?? {}), ...standardLabels(ctx) };
  return o;
}

/** The webhook Certificate of manifests/ names the Secret and DNS names the generated certificate uses too. */
export function webhookCertificateSpec(
  sources: SourceObject[],
  namespace: string,
): { secretName: string; dnsNames: string[] } {
  const cert = sources.find(
    (s) => s.object.kind === 'Certificate' && String(s.object.apiVersion).startsWith('cert-manager.io/'),
  );
  if (!cert)
    throw new Error(
      'manifests/ has no cert-manager Certificate for the webhooks (the chart takes its Secret name and DNS names from it)',
    );
  const spec = withNamespace(cert.object.spec as Obj, namespace);
  return { secretName: spec.secretName, dnsNames: spec.dnsNames };
}

/** The chart's own objects (templates/ files not generated from manifests/). */
export function chartObjects(sources: SourceObject[], values: Values, ctx: RenderContext): Obj[] {
  const out: Obj[] = [];
  const labels = standardLabels(ctx);
  if (!values.certManager.enabled) {
    if (!ctx.tls) throw new Error('the webhook certificate is missing (certManager.enabled is false)');
    const { secretName } = webhookCertificateSpec(sources, ctx.namespace);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace: ctx.namespace, labels },
      type: 'kubernetes.io/tls',
      data: { 'ca.crt': b64(ctx.tls.ca), 'tls.crt': b64(ctx.tls.cert), 'tls.key': b64(ctx.tls.key) },
    });
  }
  const m = values.defaultModelConfig;
  if (m.enabled) {
    const namespace = m.namespace || 'default';
    const annotations = {
      'helm.sh/hook': 'post-install,post-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    };
    const secretName = m.apiKey ? `${m.name}-api-key` : m.apiKeySecret;
    if (m.apiKey) {
      out.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, namespace, labels, annotations },
        type: 'Opaque',
        data: { [m.apiKeySecretKey]: Buffer.from(m.apiKey).toString('base64') },
      });
    }
    out.push({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'ModelConfig',
      metadata: { name: m.name, namespace, labels, annotations },
      spec: {
        provider: m.provider,
        model: m.model,
        ...(secretName ? { apiKeySecret: secretName, apiKeySecretKey: m.apiKeySecretKey } : {}),
      },
    });
  }
  return out;
}

/** Every object `helm template` prints for these values (CRDs excluded: they come from the chart's crds/). */
export function renderChart(sources: SourceObject[], values: Values, ctx: RenderContext): Obj[] {
  const rendered = sources
    .filter((s) => s.object.kind !== 'CustomResourceDefinition' && keep(s, values))
    .map((s) => renderSourceObject(s, values, ctx));
  return [...rendered, ...chartObjects(sources, values, ctx)];
}
