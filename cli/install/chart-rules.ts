// Where the chart's values change manifests/' objects: one table, read twice — chart-template.ts turns each rule into
// Go template text for charts/metagent/templates/, chart-render.ts applies the same rule in TypeScript for
// `metagent install`. Every rule carries both forms side by side; test/chart/ checks that `helm template` and
// `metagent install --dry-run` print the same objects for the same values.
import type { Obj } from './manifests-source.js';
import type { Values } from './chart-values.js';

/** The manifests' namespace; every occurrence in a string becomes the release namespace. */
export const SOURCE_NAMESPACE = 'metagent-system';

export interface RenderContext {
  namespace: string;
  releaseName: string;
  /** `Helm` under helm, `metagent` under `metagent install` (app.kubernetes.io/managed-by). */
  managedBy: string;
  chart: { name: string; version: string; appVersion: string };
  /** The webhook CA and serving certificate (PEM) when the chart generates them. */
  tls?: { ca: string; cert: string; key: string };
}

export type Path = (string | number)[];

export interface Rule {
  /** The object in manifests/ (kind and metadata.name). */
  kind: string;
  name: string;
  /** The key the rule sets; its parent must exist in the object. */
  path: Path;
  /** scalar: one value on the key's line; block: a map or list below the key. */
  shape: 'scalar' | 'block';
  /** The key is left out when the value is empty (false, 0, "", {} or []), as Helm's `with` does. */
  optional?: boolean;
  /** The values key whose default is what manifests/ has at this path (chart-values.ts FROM_MANIFESTS). */
  defaultOf?: string;
  /** Go template expression of the value; `orig` is a Go expression of the manifests' value at path. */
  go: (orig: string) => string;
  /** The same value in TypeScript; `orig` is the manifests' value at path (namespace already substituted). */
  ts: (v: Values, ctx: RenderContext, orig: unknown) => unknown;
}

/** An object kept only when a value is set (a whole optional part of the install). */
export interface Condition {
  match: (o: Obj, file: string) => boolean;
  go: string;
  ts: (v: Values) => boolean;
}

export interface ImageValues {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

/** registry/repository:tag@digest, the tag defaulting to the chart's appVersion (the Go form is metagent.image). */
export function imageRef(img: ImageValues, appVersion: string): string {
  const repo = img.registry ? `${img.registry}/${img.repository}` : img.repository;
  return `${repo}:${img.tag || appVersion}${img.digest ? `@${img.digest}` : ''}`;
}

const goImage = (values: string) =>
  `(include "metagent.image" (dict "image" ${values} "appVersion" $.Chart.AppVersion))`;
/** A Go list holding one element when cond holds, none otherwise (for concat). */
const goMaybe = (cond: string, elem: string) => `(ternary (list ${elem}) (list) ${cond})`;
const notEmpty = (expr: string) => `(not (empty ${expr}))`;

const POD: Path = ['spec', 'template', 'spec'];
const C0: Path = [...POD, 'containers', 0];

/** Sizing, scheduling and image rules of one control-plane Deployment. */
function deploymentRules(name: string, key: string): Rule[] {
  const at = (...p: Path): Path => p;
  const vals = `$.Values.${key}`;
  const scheduling = (field: string, shape: Rule['shape']): Rule => ({
    kind: 'Deployment',
    name,
    path: at(...POD, field),
    shape,
    optional: true,
    go: () => `${vals}.${field}`,
    ts: (v) => v[key][field],
  });
  return [
    {
      kind: 'Deployment',
      name,
      path: at('spec', 'replicas'),
      shape: 'scalar',
      defaultOf: `${key}.replicas`,
      go: () => `${vals}.replicas`,
      ts: (v) => v[key].replicas,
    },
    {
      kind: 'Deployment',
      name,
      path: at(...C0, 'image'),
      shape: 'scalar',
      go: () => goImage('$.Values.image'),
      ts: (v, ctx) => imageRef(v.image, ctx.chart.appVersion),
    },
    {
      kind: 'Deployment',
      name,
      path: at(...C0, 'imagePullPolicy'),
      shape: 'scalar',
      go: () => '$.Values.imagePullPolicy',
      ts: (v) => v.imagePullPolicy,
    },
    {
      kind: 'Deployment',
      name,
      path: at(...C0, 'resources'),
      shape: 'block',
      defaultOf: `${key}.resources`,
      go: () => `${vals}.resources`,
      ts: (v) => v[key].resources,
    },
    {
      kind: 'Deployment',
      name,
      path: at(...POD, 'imagePullSecrets'),
      shape: 'block',
      optional: true,
      go: () => '$.Values.imagePullSecrets',
      ts: (v) => v.imagePullSecrets,
    },
    scheduling('nodeSelector', 'block'),
    scheduling('tolerations', 'block'),
    scheduling('affinity', 'block'),
    scheduling('priorityClassName', 'scalar'),
  ];
}

/** An env var carrying the log level, for servers that read it from the environment. */
function logLevelEnv(name: string, variable: string): Rule {
  return {
    kind: 'Deployment',
    name,
    path: [...C0, 'env'],
    shape: 'block',
    optional: true,
    go: () => goMaybe(notEmpty('$.Values.logLevel'), `(dict "name" "${variable}" "value" $.Values.logLevel)`),
    ts: (v) => (v.logLevel ? [{ name: variable, value: v.logLevel }] : []),
  };
}

/** The hook server's flags: the manifests' arguments with the image flags set from values and kagent's options added. */
const SYNC_HOOK_FLAGS: {
  flag: string;
  go: string;
  ts: (v: Values, ctx: RenderContext) => string;
  optional?: boolean;
}[] = [
  {
    flag: '--runtime-image',
    go: goImage('$.Values.syncHooks.runtimeImage'),
    ts: (v, ctx) => imageRef(v.syncHooks.runtimeImage, ctx.chart.appVersion),
  },
  {
    flag: '--image-pull-policy',
    go: '$.Values.syncHooks.agentImagePullPolicy',
    ts: (v) => v.syncHooks.agentImagePullPolicy,
  },
  {
    flag: '--skills-init-image',
    go: '$.Values.syncHooks.skillsInitImage',
    ts: (v) => v.syncHooks.skillsInitImage,
    optional: true,
  },
  { flag: '--proxy-url', go: '$.Values.syncHooks.proxyURL', ts: (v) => v.syncHooks.proxyURL, optional: true },
  {
    flag: '--default-service-account-name',
    go: '$.Values.syncHooks.defaultServiceAccountName',
    ts: (v) => v.syncHooks.defaultServiceAccountName,
    optional: true,
  },
];

const flagName = (arg: string) => arg.split('=')[0];

const syncHooksArgs: Rule = {
  kind: 'Deployment',
  name: 'metagent-sync-hooks',
  path: [...C0, 'args'],
  shape: 'block',
  go: (orig) => {
    const parts = SYNC_HOOK_FLAGS.map((f) =>
      f.optional
        ? goMaybe(notEmpty(f.go), `(printf "${f.flag}=%s" ${f.go})`)
        : `(list (printf "${f.flag}=%s" ${f.go}))`,
    );
    // The manifests' own arguments minus the flags set here, kept in their order.
    const kept = `(include "metagent.withoutFlags" (dict "args" ${orig} "flags" (list ${SYNC_HOOK_FLAGS.map((f) => `"${f.flag}"`).join(' ')})) | fromJsonArray)`;
    return `(concat ${kept} ${parts.join(' ')})`;
  },
  ts: (v, ctx, orig) => {
    const flags = new Set(SYNC_HOOK_FLAGS.map((f) => f.flag));
    const kept = (orig as string[]).filter((a) => !flags.has(flagName(a)));
    for (const f of SYNC_HOOK_FLAGS) {
      const value = f.ts(v, ctx);
      if (!f.optional || value) kept.push(`${f.flag}=${value}`);
    }
    return kept;
  },
};

const toolserverArgs: Rule = {
  kind: 'Deployment',
  name: 'metagent-toolserver',
  path: [...C0, 'args'],
  shape: 'block',
  go: (orig) => `(concat ${orig} ${goMaybe(notEmpty('$.Values.logLevel'), '"--log-level" $.Values.logLevel')})`,
  ts: (v, _ctx, orig) => [...(orig as string[]), ...(v.logLevel ? ['--log-level', v.logLevel] : [])],
};

/** Metacontroller reaches the hooks through the Service, or at syncHooks.externalURL when that is set. */
function hookWebhookRules(): Rule[] {
  const out: Rule[] = [];
  for (const name of ['agents.kagent.dev', 'modelconfigs.kagent.dev', 'remotemcpservers.kagent.dev']) {
    for (const hook of ['customize', 'sync']) {
      out.push({
        kind: 'CompositeController',
        name,
        path: ['spec', 'hooks', hook, 'webhook'],
        shape: 'block',
        go: (orig) =>
          `(ternary (dict "url" (printf "%s%s" (trimSuffix "/" $.Values.syncHooks.externalURL) (get ${orig} "path")) "timeout" (get ${orig} "timeout")) ${orig} ${notEmpty('$.Values.syncHooks.externalURL')})`,
        ts: (v, _ctx, orig) => {
          const o = orig as Obj;
          const base = String(v.syncHooks.externalURL ?? '');
          return base ? { url: `${base.replace(/\/$/, '')}${o.path}`, timeout: o.timeout } : o;
        },
      });
    }
  }
  return out;
}

/** Both webhook configurations: caBundle, cert-manager's injection, the Service port, the namespace selector. */
function webhookConfigurationRules(): Rule[] {
  const out: Rule[] = [];
  for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
    const hook: Path = ['webhooks', 0];
    out.push(
      {
        kind,
        name: 'metagent-webhooks',
        path: ['metadata', 'annotations'],
        shape: 'block',
        optional: true,
        go: (orig) => `(ternary ${orig} (dict) $.Values.certManager.enabled)`,
        ts: (v, _ctx, orig) => (v.certManager.enabled ? orig : {}),
      },
      {
        kind,
        name: 'metagent-webhooks',
        path: [...hook, 'clientConfig', 'caBundle'],
        shape: 'scalar',
        optional: true,
        go: () => '(ternary "" ($tls.ca | default "" | b64enc) $.Values.certManager.enabled)',
        ts: (v, ctx) => (v.certManager.enabled || !ctx.tls ? '' : Buffer.from(ctx.tls.ca).toString('base64')),
      },
      {
        kind,
        name: 'metagent-webhooks',
        path: [...hook, 'clientConfig', 'service', 'port'],
        shape: 'scalar',
        go: () => '$.Values.webhooks.service.port',
        ts: (v) => v.webhooks.service.port,
      },
      {
        kind,
        name: 'metagent-webhooks',
        path: [...hook, 'namespaceSelector'],
        shape: 'block',
        go: (orig) =>
          `(ternary $.Values.webhooks.namespaceSelector ${orig} ${notEmpty('$.Values.webhooks.namespaceSelector')})`,
        ts: (v, _ctx, orig) => (isEmpty(v.webhooks.namespaceSelector) ? orig : v.webhooks.namespaceSelector),
      },
    );
  }
  return out;
}

const webhookServiceRules: Rule[] = [
  {
    kind: 'Service',
    name: 'metagent-webhooks',
    path: ['spec', 'ports', 0, 'port'],
    shape: 'scalar',
    defaultOf: 'webhooks.service.port',
    go: () => '$.Values.webhooks.service.port',
    ts: (v) => v.webhooks.service.port,
  },
  {
    kind: 'Service',
    name: 'metagent-webhooks',
    path: ['spec', 'type'],
    shape: 'scalar',
    optional: true,
    go: () => `(ternary "ExternalName" "" ${notEmpty('$.Values.webhooks.service.externalName')})`,
    ts: (v) => (v.webhooks.service.externalName ? 'ExternalName' : ''),
  },
  {
    kind: 'Service',
    name: 'metagent-webhooks',
    path: ['spec', 'externalName'],
    shape: 'scalar',
    optional: true,
    go: () => '$.Values.webhooks.service.externalName',
    ts: (v) => v.webhooks.service.externalName,
  },
];

/** The dashboard's second container, the authenticating proxy, from a mirror if need be. */
const dashboardProxyImage: Rule = {
  kind: 'Deployment',
  name: 'metagent-dashboard',
  path: [...POD, 'containers', 1, 'image'],
  shape: 'scalar',
  defaultOf: 'dashboard.proxyImage',
  go: () => '$.Values.dashboard.proxyImage',
  ts: (v) => v.dashboard.proxyImage,
};

/** With Metacontroller installed by this chart it runs in the release namespace, else where its own manifests put it. */
const hookIngressRule: Rule = {
  kind: 'NetworkPolicy',
  name: 'metagent-sync-hooks',
  path: ['spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchLabels'],
  shape: 'block',
  go: (orig) =>
    `(ternary (dict "kubernetes.io/metadata.name" $.Release.Namespace) ${orig} $.Values.metacontroller.enabled)`,
  ts: (v, ctx, orig) => (v.metacontroller.enabled ? { 'kubernetes.io/metadata.name': ctx.namespace } : orig),
};

export const RULES: Rule[] = [
  ...deploymentRules('metagent-webhooks', 'webhooks'),
  logLevelEnv('metagent-webhooks', 'LOG_LEVEL'),
  ...deploymentRules('metagent-sync-hooks', 'syncHooks'),
  logLevelEnv('metagent-sync-hooks', 'METAGENT_LOG_LEVEL'),
  syncHooksArgs,
  ...deploymentRules('metagent-toolserver', 'toolserver'),
  toolserverArgs,
  ...deploymentRules('metagent-dashboard', 'dashboard'),
  dashboardProxyImage,
  ...webhookServiceRules,
  ...webhookConfigurationRules(),
  ...hookWebhookRules(),
  hookIngressRule,
];

const inDir = (dir: string) => (_o: Obj, file: string) => file.startsWith(`${dir}/`);
const isCertManager = (o: Obj) => String(o.apiVersion).startsWith('cert-manager.io/');

/** Whole objects that depend on a value. */
export const CONDITIONS: Condition[] = [
  { match: inDir('toolserver'), go: '.Values.toolserver.enabled', ts: (v) => v.toolserver.enabled === true },
  { match: inDir('dashboard'), go: '.Values.dashboard.enabled', ts: (v) => v.dashboard.enabled === true },
  { match: isCertManager, go: '.Values.certManager.enabled', ts: (v) => v.certManager.enabled === true },
];

/** Objects of manifests/ the chart leaves out, with the reason (Helm creates the release namespace itself). */
export const EXCLUDED: { match: (o: Obj) => boolean; why: string }[] = [
  {
    match: (o) => o.kind === 'Namespace',
    why: 'the release namespace is created by `helm install --create-namespace` (or `metagent install`)',
  },
];

/** Go's `empty`: false, 0, "", nil, and empty maps and lists. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

export function getPath(o: unknown, path: Path): unknown {
  let cur: any = o;
  for (const k of path) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** The object a rule's key lives in; its parent must exist (a rule never invents structure). */
export function parentOf(o: Obj, path: Path, what: string): Record<string | number, unknown> {
  const parent = getPath(o, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') {
    throw new Error(
      `chart rule ${what}: ${path.slice(0, -1).join('.')} does not exist in manifests/ (was the object changed?)`,
    );
  }
  return parent as Record<string | number, unknown>;
}
