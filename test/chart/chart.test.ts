// The Helm chart (charts/metagent) with the Helm of .ci/steps/40-helm.sh: lint --strict; `helm template` against
// `kubectl kustomize manifests/` field by field, every difference named and intended; `metagent install --dry-run`
// against `helm template` for the same values; the schema refusing a bad value with its path; the Metacontroller
// check; and three renderings (defaults, cert-manager, every optional part on) accepted by the API server
// (`kubectl apply --dry-run=server`).
import { randomBytes } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../../crds/index.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { kubectl, kubectlOk } from '../cluster/kube.js';
import { runMetagent, repoDir } from '../metagent-cli.js';
import { diffObjects, identity, parseObjects, type Difference, type Obj } from './compare.js';
import { chartDir, helm, helmMissing } from './helm.js';
import { METACONTROLLER_SCALE_FLAGS, metacontrollerArgs } from '../../cli/install/metacontroller-flags.js';

const MC_API = 'metacontroller.k8s.io/v1alpha1/CompositeController';
const HELM_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
];

/** Every optional part on (cert-manager included), for the server-side dry run and the install comparison. */
const ALL_ON = [
  'certManager.enabled=true',
  'toolserver.enabled=true',
  'dashboard.enabled=true',
  'logLevel=debug',
  'image.registry=registry.example.com,image.digest=sha256:' + 'a'.repeat(64),
  'imagePullSecrets[0].name=pull',
  'webhooks.nodeSelector.role=control,webhooks.tolerations[0].key=dedicated,webhooks.tolerations[0].operator=Exists',
  'webhooks.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight=1',
  'webhooks.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key=role',
  'webhooks.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].operator=Exists',
  'webhooks.priorityClassName=system-cluster-critical,syncHooks.priorityClassName=system-cluster-critical',
  'webhooks.namespaceSelector.matchLabels.metagent=enabled',
  'syncHooks.replicas=3,syncHooks.proxyURL=http://proxy.kagent:8080,syncHooks.skillsInitImage=ghcr.io/kagent-dev/kagent/skills-init:0.10.0',
  'syncHooks.defaultServiceAccountName=workload-identity-sa,syncHooks.agentImagePullPolicy=Always,syncHooks.runtimeImage.tag=9.9.9',
  'toolserver.resources.requests.cpu=50m',
  'defaultModelConfig.enabled=true,defaultModelConfig.apiKey=sk-test,defaultModelConfig.model=gpt-4o',
];
const setArgs = (sets: string[]) => sets.flatMap((s) => ['--set', s]);

/** YAML as the API server reads it (YAML 1.1: an unquoted 2024-10-21 is a timestamp), then plain JSON. */
const parseK8s = (text: string): Obj[] => parseObjects(text).map((o) => JSON.parse(JSON.stringify(o)) as Obj);

async function helmTemplate(namespace: string, sets: string[], extra: string[] = []): Promise<Obj[]> {
  const r = await helm([
    'template',
    'metagent',
    chartDir,
    '--namespace',
    namespace,
    '--include-crds',
    ...setArgs(sets),
    ...extra,
  ]);
  if (r.code !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseK8s(r.stdout);
}

interface Intended {
  why: string;
  matches: (d: Difference, helmSide: Obj | undefined) => boolean;
}

const isHelmLabels = (v: unknown) =>
  !!v && typeof v === 'object' && Object.keys(v).every((k) => HELM_LABELS.includes(k));
const fromMetacontrollerChart = (o: Obj | undefined) =>
  !!o &&
  (/^metacontroller(-helm)?-\d/.test(String(o.metadata?.labels?.['helm.sh/chart'])) ||
    String(o.metadata?.name).endsWith('.metacontroller.k8s.io'));

/** helm template (defaults) vs kubectl kustomize manifests/ + manifests/metacontroller/: what may differ, and why. */
const INTENDED_VS_KUSTOMIZE: Intended[] = [
  {
    why: "Helm's standard labels on every object",
    matches: (d) =>
      (HELM_LABELS.some((l) => d.path === `metadata.labels["${l}"]`) && d.left === undefined) ||
      (d.path === 'metadata.labels' && d.left === undefined && isHelmLabels(d.right)),
  },
  {
    why: 'the release namespace is created by helm install --create-namespace',
    matches: (d) => d.object === 'Namespace/metagent-system' && d.path === '',
  },
  {
    why: 'cert-manager objects only with certManager.enabled (off by default)',
    matches: (d) => /^(Issuer|Certificate)\/metagent-system\//.test(d.object) && d.path === '' && d.right === undefined,
  },
  {
    why: "the chart's generated webhook certificate (certManager.enabled=false)",
    matches: (d) =>
      d.object === 'Secret/metagent-system/metagent-webhooks-tls' && d.path === '' && d.left === undefined,
  },
  {
    why: "the generated CA's caBundle instead of cert-manager's CA injection",
    matches: (d) =>
      /^(Mutating|Validating)WebhookConfiguration\/metagent-webhooks$/.test(d.object) &&
      (d.path === 'metadata.annotations' || d.path === 'webhooks[0].clientConfig.caBundle'),
  },
  {
    why: 'Metacontroller, installed by the chart, runs in the release namespace (manifests/ expect it in "metacontroller")',
    matches: (d) =>
      d.object === 'NetworkPolicy/metagent-system/metagent-sync-hooks' &&
      d.path.endsWith('namespaceSelector.matchLabels["kubernetes.io/metadata.name"]') &&
      d.right === 'metagent-system',
  },
  {
    why: 'the imagePullPolicy value (IfNotPresent, what the API server defaults a tagged image to)',
    matches: (d) =>
      d.object.startsWith('Deployment/') &&
      /^spec\.template\.spec\.containers\[0\]\.imagePullPolicy$/.test(d.path) &&
      d.right === 'IfNotPresent',
  },
  {
    why: "Metacontroller's own chart (metacontroller.enabled) and its CRDs",
    matches: (d, h) => d.path === '' && d.left === undefined && fromMetacontrollerChart(h),
  },
];

function unexplained(
  diffs: Difference[],
  helmObjects: Obj[],
  intended: Intended[],
): { unexplained: Difference[]; unused: string[] } {
  const byId = new Map(helmObjects.map((o) => [identity(o), o]));
  const used = new Set<string>();
  const rest = diffs.filter((d) => {
    const hit = intended.find((i) => i.matches(d, byId.get(d.object)));
    if (hit) used.add(hit.why);
    return !hit;
  });
  return { unexplained: rest, unused: intended.filter((i) => !used.has(i.why)).map((i) => i.why) };
}

const show = (ds: Difference[]) =>
  ds.map((d) => `${d.object} ${d.path || '(whole object)'}: ${JSON.stringify(d.left)} → ${JSON.stringify(d.right)}`);

const noHelm = helmMissing() !== null;

describe.skipIf(noHelm)('the Helm chart', () => {
  it('passes helm lint --strict', async () => {
    const r = await helm(['lint', '--strict', chartDir]);
    expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.code).toBe(0);
  });

  it('refuses a bad value through values.schema.json, naming its path', async () => {
    const r = await helm([
      'template',
      'metagent',
      chartDir,
      '--set',
      'webhooks.replicas=two',
      '--set',
      'toolserver.enable=false',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("at '/webhooks/replicas'");
    expect(r.stderr).toMatch(/got string, want integer/);
    expect(r.stderr).toMatch(
      /toolserver.*additional properties 'enable' not allowed|additional properties 'enable' not allowed/s,
    );
    const install = await runMetagent(['install', '--dry-run', '--set', 'webhooks.replicas=two']);
    expect(install.code).toBe(1);
    expect(install.stderr).toContain('webhooks.replicas: must be integer');
    expect(install.stdout).toBe('');
  });

  it('fails clearly with metacontroller.enabled=false when Metacontroller is not installed', async () => {
    const r = await helm(['template', 'metagent', chartDir, '--set', 'metacontroller.enabled=false']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('metacontroller.enabled is false, but the cluster has no Metacontroller CRDs');
    const ok = await helm([
      'template',
      'metagent',
      chartDir,
      '--set',
      'metacontroller.enabled=false',
      '--api-versions',
      MC_API,
    ]);
    expect(ok.code).toBe(0);
    expect(parseK8s(ok.stdout).some((o) => fromMetacontrollerChart(o))).toBe(false);
  });

  it('passes Metacontroller the recommended scale flags', async () => {
    const objects = await helmTemplate('metagent-system', []);
    const sts = objects.find((o) => o.kind === 'StatefulSet' && fromMetacontrollerChart(o))!;
    const args = sts.spec.template.spec.containers[0].args as string[];
    // Exactly the recommended values of cli/install/metacontroller-flags.ts, each given once.
    expect(args.filter((a) => /^--(client-go-qps|client-go-burst|workers)=/.test(a))).toEqual(
      metacontrollerArgs(METACONTROLLER_SCALE_FLAGS),
    );
    expect(sts.metadata.namespace).toBe('metagent-system');
    expect(sts.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('metacontroller');
  });

  it.each([
    ['defaults', [] as string[]],
    ['cert-manager on', ['certManager.enabled=true']],
    ['every optional part on', ALL_ON],
  ])(
    'metagent install --dry-run prints the objects helm template prints (%s, Metacontroller off)',
    async (_name, sets) => {
      const all = [...sets, 'metacontroller.enabled=false'];
      const fromHelm = await helmTemplate('metagent-system', all, ['--api-versions', MC_API]);
      const r = await runMetagent(['install', '--dry-run', ...setArgs(sets)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const fromInstall = parseK8s(r.stdout);
      const intended: Intended[] = [
        {
          why: 'app.kubernetes.io/managed-by says who applied it',
          matches: (d) =>
            d.path === 'metadata.labels["app.kubernetes.io/managed-by"]' &&
            d.left === 'metagent-install' &&
            d.right === 'Helm',
        },
        {
          why: 'each rendering generates its own CA and certificate',
          matches: (d) =>
            (d.object === 'Secret/metagent-system/metagent-webhooks-tls' &&
              /^data\["(ca|tls)\.(crt|key)"\]$/.test(d.path)) ||
            d.path === 'webhooks[0].clientConfig.caBundle',
        },
      ];
      const { unexplained: rest } = unexplained(diffObjects(fromInstall, fromHelm), fromHelm, intended);
      expect(show(rest)).toEqual([]);
      expect(fromInstall.length).toBe(fromHelm.length);
    },
  );

  it("metagent install --dry-run's generated certificate is for the webhook Service and signed by the caBundle's CA", async () => {
    const r = await runMetagent(['install', '--dry-run', '--namespace', 'ops']);
    const objects = parseK8s(r.stdout);
    const secret = objects.find((o) => o.kind === 'Secret')!;
    const dec = (k: string) => Buffer.from(secret.data[k], 'base64').toString();
    const cert = new X509Certificate(dec('tls.crt'));
    const ca = new X509Certificate(dec('ca.crt'));
    expect(cert.subjectAltName).toBe('DNS:metagent-webhooks.ops.svc, DNS:metagent-webhooks.ops.svc.cluster.local');
    expect(cert.verify(ca.publicKey)).toBe(true);
    const hook = objects.find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
    expect(Buffer.from(hook.webhooks[0].clientConfig.caBundle, 'base64').toString()).toBe(dec('ca.crt'));
  });
});

describeWithCluster('the Helm chart against the API server', () => {
  const namespaces: string[] = [];

  beforeAll(async () => {
    if (!noHelm) await installCrds(kubectl);
  });
  afterAll(async () => {
    for (const ns of namespaces) await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  it.skipIf(noHelm)('renders the objects manifests/ holds, differing only where a value is templated', async () => {
    const fromHelm = await helmTemplate('metagent-system', []);
    const main = await kubectlOk(['kustomize', `${repoDir}manifests`]);
    const mc = await kubectlOk(['kustomize', `${repoDir}manifests/metacontroller`]);
    const fromKustomize = [...parseK8s(main), ...parseK8s(mc)];
    const { unexplained: rest, unused } = unexplained(
      diffObjects(fromKustomize, fromHelm),
      fromHelm,
      INTENDED_VS_KUSTOMIZE,
    );
    // Anything here is drift between the chart and manifests/ (run `npm run generate:chart`) or an unlisted change.
    expect(show(rest)).toEqual([]);
    // And the table of intended differences names nothing that no longer happens.
    expect(unused).toEqual([]);
  });

  it.skipIf(noHelm).each([
    ['defaults', [] as string[]],
    ['cert-manager on', ['certManager.enabled=true']],
    ['every optional part on', ALL_ON],
  ])('%s: the API server accepts every object (kubectl apply --dry-run=server)', async (_name, sets) => {
    const ns = `metagent-chart-${randomBytes(3).toString('hex')}`;
    namespaces.push(ns);
    await kubectlOk(['create', 'namespace', ns]);
    const objects = await helmTemplate(ns, [...sets, `defaultModelConfig.namespace=${ns}`]);
    // Metacontroller's CRDs for real (the CompositeControllers' kind must be served for their dry run); harmless
    // on the shared cluster, where no Metacontroller runs.
    const mcCrds = objects.filter((o) => o.kind === 'CustomResourceDefinition' && fromMetacontrollerChart(o));
    expect(mcCrds.length).toBe(3);
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=metagent-chart-test', '-f', '-'], {
      input: mcCrds.map((o) => JSON.stringify(o)).join('\n---\n'),
    });
    await kubectlOk([
      'wait',
      '--for',
      'condition=Established',
      '--timeout',
      '60s',
      ...mcCrds.map((o) => `crd/${o.metadata.name}`),
    ]);
    // cert-manager's kinds cannot be checked: the test cluster has no cert-manager CRDs (and no registry to get them).
    const checkable = objects.filter((o) => !String(o.apiVersion).startsWith('cert-manager.io/'));
    expect(objects.length - checkable.length).toBe(sets.some((s) => s.includes('certManager.enabled=true')) ? 2 : 0);
    const dry = await kubectl(
      [
        'apply',
        '--server-side',
        '--force-conflicts',
        '--dry-run=server',
        '--field-manager=metagent-chart-test',
        '-f',
        '-',
      ],
      {
        input: checkable.map((o) => JSON.stringify(o)).join('\n---\n'),
      },
    );
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim().split('\n')).toHaveLength(checkable.length);
  });
});
