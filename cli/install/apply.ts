// The cluster side of `metagent install` / `metagent uninstall`: server-side apply in a safe order, waits, and
// removal of exactly what install applies (found by the labels every rendered object carries; never an Agent's children).
import { createInterface } from 'node:readline/promises';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject, type KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../lib/kube.js';
import { stringify } from 'yaml';
import {
  INSTALL_MANAGER,
  loadChart,
  newWebhookTls,
  renderForInstall,
  resolveValues,
  type Chart,
  type Tls,
} from './chart.js';
import { webhookCertificateSpec } from './chart-render.js';
import type { Obj } from './manifests-source.js';
import type { Values } from './chart-values.js';

type Log = (line: string) => void;

export interface InstallOptions {
  values: string[];
  set: string[];
  namespace: string;
  dryRun?: boolean;
  kubeconfig?: string;
  timeout: string;
}

export const FIELD_MANAGER = 'metagent';

/** The objects as YAML documents, the way `helm template` prints them. */
export function toDocuments(objects: object[]): string {
  // YAML 1.1 quoting: kubectl and Helm read YAML 1.1, where an unquoted n is false and 2024-10-21 a timestamp.
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, version: '1.1' })}`).join('');
}

export function parseDuration(text: string, flag = '--timeout'): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`${flag}: expected a duration such as 90s or 5m, got "${text}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

const isWebhookConfig = (o: Obj) =>
  o.kind === 'MutatingWebhookConfiguration' || o.kind === 'ValidatingWebhookConfiguration';
const isHook = (o: Obj) => typeof o.metadata?.annotations?.['helm.sh/hook'] === 'string';
const describe = (o: Obj) =>
  `${o.kind.toLowerCase()}/${o.metadata.name}${o.metadata.namespace ? ` -n ${o.metadata.namespace}` : ''}`;

function statusCode(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number; response?: { statusCode?: number } };
  return e.code ?? e.statusCode ?? e.response?.statusCode;
}

/** The API server answers 429 under load (priority and fairness): wait as it says (Retry-After, else 1 s) and retry. */
async function retry429<T>(what: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (statusCode(err) !== 429 || attempt >= 10) {
        if (statusCode(err) === 404) throw err;
        throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
      }
      const after = Number((err as { headers?: Record<string, string> }).headers?.['retry-after']);
      await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? after * 1000 : 1000));
    }
  }
}

async function readOrNull(api: KubernetesObjectApi, o: Obj): Promise<Obj | null> {
  try {
    return (await api.read({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
    })) as Obj;
  } catch (err) {
    if (statusCode(err) === 404) return null;
    throw err;
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function apply(api: KubernetesObjectApi, objects: Obj[], log: Log): Promise<void> {
  for (const o of objects) {
    try {
      await api.patch(o as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    } catch (err) {
      const body = (err as { body?: string | { message?: string } }).body;
      const message =
        typeof body === 'string' ? (safeJson(body)?.message ?? body) : (body?.message ?? (err as Error).message);
      throw new Error(`applying ${describe(o)}: ${message}`, { cause: err });
    }
    log(`${describe(o)} serverside-applied`);
  }
}

function safeJson(text: string): { message?: string } | undefined {
  try {
    return JSON.parse(text) as { message?: string };
  } catch {
    return undefined;
  }
}

/** The webhook certificate of an earlier install (kept across upgrades, as the chart's lookup keeps it), or a new one. */
async function webhookTls(api: KubernetesObjectApi, chart: Chart, values: Values, namespace: string): Promise<Tls> {
  const { secretName } = webhookCertificateSpec(chart.sources, namespace);
  const existing = await readOrNull(api, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace },
  });
  const data = existing?.data as Record<string, string> | undefined;
  if (data?.['ca.crt'] && data['tls.crt'] && data['tls.key']) {
    const dec = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    return { ca: dec(data['ca.crt']), cert: dec(data['tls.crt']), key: dec(data['tls.key']) };
  }
  return newWebhookTls(chart, values, namespace);
}

export async function install(opts: InstallOptions, log: Log, out: (text: string) => void): Promise<void> {
  const timeoutMs = parseDuration(opts.timeout);
  const chart = loadChart();
  const values = resolveValues(chart, opts.values, opts.set);
  const namespace = opts.namespace;
  if (opts.dryRun) {
    const tls = values.certManager.enabled ? undefined : await newWebhookTls(chart, values, namespace);
    const { crds, objects } = renderForInstall(chart, values, namespace, tls);
    out(toDocuments([...crds, ...objects]));
    return;
  }
  const kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: 'default' });
  const api = KubernetesObjectApi.makeApiClient(kc);
  await requireMetacontroller(api);
  const nsObject = chart.sources.find((s) => s.object.kind === 'Namespace')?.object;
  await apply(
    api,
    [
      {
        ...(nsObject ?? { apiVersion: 'v1', kind: 'Namespace' }),
        metadata: { ...(nsObject?.metadata ?? {}), name: namespace },
      },
    ],
    log,
  );
  const tls = values.certManager.enabled ? undefined : await webhookTls(api, chart, values, namespace);
  const { crds, objects } = renderForInstall(chart, values, namespace, tls);

  await apply(api, crds, log);
  await until('the CRDs to be Established', timeoutMs, async () => {
    for (const crd of crds) {
      const live = await readOrNull(api, crd);
      if (!live?.status?.conditions?.some((c: Obj) => c.type === 'Established' && c.status === 'True')) return false;
    }
    return true;
  });
  await apply(
    api,
    objects.filter((o) => !isWebhookConfig(o) && !isHook(o)),
    log,
  );
  await waitForWebhookServer(api, namespace, timeoutMs, log);
  await apply(api, objects.filter(isWebhookConfig), log);
  await apply(api, objects.filter(isHook), log);
  log(`metagent ${chart.appVersion} installed in namespace ${namespace}`);
}

async function requireMetacontroller(api: KubernetesObjectApi): Promise<void> {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'compositecontrollers.metacontroller.k8s.io' },
  };
  if (!(await readOrNull(api, crd))) {
    throw new Error(
      'the cluster has no Metacontroller CRDs (compositecontrollers.metacontroller.k8s.io): install Metacontroller first (its manifests/production kustomization or its Helm chart), or use `helm install` with charts/metagent, which installs it',
    );
  }
}

/** A ready pod behind the webhook Service: its Deployment reports one ready replica (or it runs elsewhere: ExternalName). */
async function waitForWebhookServer(
  api: KubernetesObjectApi,
  namespace: string,
  timeoutMs: number,
  log: Log,
): Promise<void> {
  const svc = await readOrNull(api, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metagent-webhooks', namespace },
  });
  if (svc?.spec?.type === 'ExternalName') {
    log(`webhooks Service points at ${svc.spec.externalName}: not waiting for a pod`);
    return;
  }
  log('waiting for the webhook server to be ready before registering the webhooks');
  await until('deployment/metagent-webhooks to have a ready replica', timeoutMs, async () => {
    const d = await readOrNull(api, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'metagent-webhooks', namespace },
    });
    return (d?.status?.readyReplicas ?? 0) >= 1;
  });
}

export interface UninstallOptions {
  namespace: string;
  crds?: boolean;
  yes?: boolean;
  kubeconfig?: string;
}

/**
 * Removes every object install applies: the kinds of a rendering with all optional parts on, found by the labels
 * install puts on each (managed-by metagent-install, instance metagent). Webhook configurations go first so nothing is
 * refused while the server goes away. CRDs only with --crds (and a confirmation), since deleting them deletes
 * every Agent, ModelConfig and RemoteMCPServer. The namespace is left in place.
 */
export async function uninstall(
  opts: UninstallOptions,
  log: Log,
  confirm: (question: string) => Promise<boolean> = ask,
): Promise<void> {
  const chart = loadChart();
  // Asked before anything is deleted, so a refusal leaves the installation whole.
  let crdNames: string[] | undefined;
  if (opts.crds) {
    crdNames = chart.sources
      .filter((s) => s.object.kind === 'CustomResourceDefinition')
      .map((s) => s.object.metadata.name as string);
    const ok =
      opts.yes ||
      (await confirm(
        `Delete the CRDs ${crdNames.join(', ')}? This deletes every Agent, ModelConfig and RemoteMCPServer in the cluster. Type "yes": `,
      ));
    if (!ok) throw new Error('not deleting the CRDs (not confirmed); nothing was deleted');
  }
  const kc: KubeConfig = loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: 'default' });
  const api = KubernetesObjectApi.makeApiClient(kc);
  const all = resolveValues(
    chart,
    [],
    ['toolserver.enabled=true,defaultModelConfig.enabled=true,defaultModelConfig.apiKey=x'],
  );
  const tls = { ca: '', cert: '', key: '' };
  const kinds = new Map<string, Obj>();
  for (const certManager of [false, true]) {
    const { objects } = renderForInstall(chart, { ...all, certManager: { enabled: certManager } }, opts.namespace, tls);
    for (const o of objects) kinds.set(`${o.apiVersion} ${o.kind}`, o);
  }
  const ordered = [...kinds.values()].sort((a, b) => Number(isWebhookConfig(b)) - Number(isWebhookConfig(a)));
  const selector = `app.kubernetes.io/managed-by=${INSTALL_MANAGER},app.kubernetes.io/instance=metagent`;
  let deleted = 0;
  for (const sample of ordered) {
    let items: Obj[];
    try {
      const list = await retry429(`listing ${sample.kind}`, () =>
        api.list(sample.apiVersion, sample.kind, undefined, undefined, undefined, undefined, undefined, selector),
      );
      items = list.items as Obj[];
    } catch (err) {
      if (statusCode(err) === 404) continue; // the kind is not served (cert-manager absent): nothing of it was installed
      throw err;
    }
    for (const item of items) {
      const o = { ...item, apiVersion: sample.apiVersion, kind: sample.kind };
      try {
        await retry429(`deleting ${describe(o)}`, () =>
          api.delete(o as KubernetesObject, undefined, undefined, undefined, undefined, 'Background'),
        );
      } catch (err) {
        if (statusCode(err) === 404) continue; // already gone (garbage-collected meanwhile)
        throw err;
      }
      log(`${describe(o)} deleted`);
      deleted++;
    }
  }
  if (crdNames) {
    for (const name of crdNames) {
      const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } };
      if (await readOrNull(api, crd)) {
        await api.delete(crd as KubernetesObject);
        log(`customresourcedefinition/${name} deleted`);
        deleted++;
      }
    }
  }
  log(`${deleted} objects deleted${opts.crds ? '' : '; the CRDs are kept (--crds removes them and every Agent)'}`);
}

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error('--crds needs a confirmation: run in a terminal, or add --yes');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === 'yes';
  } finally {
    rl.close();
  }
}
