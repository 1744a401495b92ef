// The chart as `metagent install` reads it: manifests/ (the objects), charts/metagent/values.yaml (the defaults) and
// values.schema.json, from the package's own files. Thin file-reading shell around chart-render.ts and values.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateCerts } from '../../certs/generate.js';
import { EXTRA_KUSTOMIZATIONS } from './chart-generate.js';
import { renderChart, webhookCertificateSpec } from './chart-render.js';
import type { RenderContext } from './chart-rules.js';
import type { Values } from './chart-values.js';
import { readChartSources, type Obj, type SourceObject } from './manifests-source.js';
import { mergeValues, parseSet, validateValues } from './values.js';

/** The package root: the nearest folder above this file holding charts/metagent/ (source checkout or dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'charts', 'metagent', 'values.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find charts/metagent/ in the metagent package');
    dir = up;
  }
  return dir;
}

export interface Chart {
  sources: SourceObject[];
  defaults: Values;
  schema: object;
  name: string;
  version: string;
  appVersion: string;
}

export function loadChart(root = packageRoot()): Chart {
  const chartDir = join(root, 'charts', 'metagent');
  const meta = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as {
    name: string;
    version: string;
    appVersion: string;
  };
  return {
    name: meta.name,
    version: meta.version,
    appVersion: meta.appVersion,
    sources: readChartSources(join(root, 'manifests'), EXTRA_KUSTOMIZATIONS),
    defaults: parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Values,
    schema: JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as object,
  };
}

/**
 * metagent install never installs Metacontroller (its chart is Go templates only Helm renders): its default for
 * metacontroller.enabled is false, and asking for true is refused rather than ignored.
 */
export const INSTALL_OVERRIDES: Values = { metacontroller: { enabled: false } };

export function resolveValues(chart: Chart, valueFiles: string[], sets: string[]): Values {
  let values = mergeValues(chart.defaults, INSTALL_OVERRIDES);
  for (const file of valueFiles) {
    let parsed: unknown;
    try {
      parsed = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`--values ${file}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`--values ${file}: expected a map of values`);
    values = mergeValues(values, parsed as Values);
  }
  for (const s of sets) values = parseSet(s, values);
  const errors = validateValues(values, chart.schema);
  if (errors.length > 0) throw new Error(`values don't meet the chart's schema:\n  ${errors.join('\n  ')}`);
  if (values.metacontroller?.enabled) {
    throw new Error(
      'metacontroller.enabled=true: metagent install does not install Metacontroller. Install it first (its manifests/production kustomization or its Helm chart), or use `helm install` with charts/metagent',
    );
  }
  // Metacontroller's own values (the chart's defaults for them included) matter only when Helm installs it.
  const mc = (values.metacontroller ?? {}) as Values;
  const extra = Object.keys(mc).filter(
    (k) => k !== 'enabled' && JSON.stringify(mc[k]) !== JSON.stringify(chart.defaults.metacontroller?.[k]),
  );
  if (extra.length > 0)
    throw new Error(
      `metacontroller.${extra[0]}: Metacontroller's own values apply only with helm install (metagent install does not install Metacontroller)`,
    );
  return values;
}

/**
 * app.kubernetes.io/managed-by on what `metagent install` applies (Helm's is `Helm`). Not `metagent`: the sync hooks put
 * that on every Agent's children, and uninstall must never find those.
 */
export const INSTALL_MANAGER = 'metagent-install';

export type Tls = NonNullable<RenderContext['tls']>;

/** A fresh CA and serving certificate for the webhooks' DNS names (the chart's genCA/genSignedCert). */
export async function newWebhookTls(chart: Chart, values: Values, namespace: string): Promise<Tls> {
  const { dnsNames } = webhookCertificateSpec(chart.sources, namespace);
  const b = await generateCerts({
    dns: dnsNames,
    ip: [],
    days: values.certificate.validityDays,
    commonName: dnsNames[0],
  });
  return { ca: b.caCert, cert: b.cert, key: b.key };
}

export function renderForInstall(
  chart: Chart,
  values: Values,
  namespace: string,
  tls: Tls | undefined,
): { crds: Obj[]; objects: Obj[] } {
  const ctx: RenderContext = {
    namespace,
    releaseName: 'metagent',
    managedBy: INSTALL_MANAGER,
    chart: { name: chart.name, version: chart.version, appVersion: chart.appVersion },
    tls,
  };
  const crds = chart.sources.filter((s) => s.object.kind === 'CustomResourceDefinition').map((s) => s.object);
  return { crds, objects: renderChart(chart.sources, values, ctx) };
}
