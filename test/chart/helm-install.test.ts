// A real `helm install` of charts/metagent into a test cluster of its own (a running Metacontroller reconciles every
// Agent of its cluster, so never the shared one), with the real Metacontroller (built from ../shared/metacontroller/,
// run on the host with the chart's own commandArgs) and the webhook and hook servers run on the host the way the
// other integration tests run them: the chart's webhook Service points there (webhooks.service.externalName, TLS
// still verified against metagent-webhooks.<ns>.svc with the chart's generated certificate) and Metacontroller calls
// the hooks at syncHooks.externalURL. Then the README's Agent through the installed webhooks, `helm upgrade` keeping
// the certificate, `helm uninstall` leaving only the CRDs; and the same cycle with `metagent install` / `uninstall`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { freePort, repoRoot, startCluster, type RunningCluster } from '../cluster/cluster.js';
import { ensureMetacontroller, startMetacontroller, type RunningMetacontroller } from '../cluster/metacontroller.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { runMetagent } from '../metagent-cli.js';
import { kubectlFor } from '../metacontroller/real-env.js';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';
import { chartDir, helm, helmMissing } from './helm.js';
import { parseObjects, type Obj } from './compare.js';

const NS = 'metagent-system';
const noHelm = helmMissing() !== null;

describeWithCluster('helm install into a cluster with the real Metacontroller', () => {
  let cluster: RunningCluster;
  let metacontroller: RunningMetacontroller | undefined;
  let hooks: SyncHookServer;
  let webhooks: WebhookServer | undefined;
  let work: string;
  let webhookPort: number;

  const k = (args: string[], input?: string) => kubectlFor(cluster)(args, { input });
  const kOk = async (args: string[], input?: string) => {
    const r = await k(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const getJson = async (args: string[]) => JSON.parse(await kOk([...args, '-o', 'json'])) as Obj;
  const h = (args: string[]) => helm([...args, '--kubeconfig', cluster.kubeconfig]);
  const until = async (what: string, check: () => Promise<boolean>, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  /** The webhook server on the host, serving the certificate the chart (or metagent install) put in the Secret. */
  async function serveWebhooksFromSecret(): Promise<string> {
    const secret = await getJson(['get', 'secret', 'metagent-webhooks-tls', '-n', NS]);
    const dec = (key: string) => Buffer.from(secret.data[key], 'base64').toString();
    await writeFile(join(work, 'tls.crt'), dec('tls.crt'));
    await writeFile(join(work, 'tls.key'), dec('tls.key'), { mode: 0o600 });
    if (webhooks) await webhooks.reloadCertificates();
    else
      webhooks = await startWebhookServer({
        port: webhookPort,
        host: '127.0.0.1',
        tlsCertFile: join(work, 'tls.crt'),
        tlsKeyFile: join(work, 'tls.key'),
        logger: pino({ level: 'silent' }),
      });
    return dec('tls.crt');
  }

  const hostValues = () => [
    '--set',
    `webhooks.service.externalName=127.0.0.1,webhooks.service.port=${webhookPort}`,
    '--set',
    `syncHooks.externalURL=${hooks.url}`,
  ];

  beforeAll(async () => {
    if (noHelm) return;
    work = await mkdtemp(join(tmpdir(), 'metagent-helm-install-'));
    cluster = await startCluster(() => {}, join(work, 'cluster'));
    hooks = await startSyncHookServer({ port: 0, host: '127.0.0.1', logLevel: false });
    webhookPort = await freePort();
  }, 300_000);

  afterAll(async () => {
    await metacontroller?.stop();
    await webhooks?.close();
    await hooks?.close();
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  let installedCert = '';
  let manifest: Obj[] = [];

  it.skipIf(noHelm)(
    'installs with helm, Metacontroller included, and serves the README Agent through its webhooks',
    async () => {
      const r = await h(['install', 'metagent', chartDir, '--namespace', NS, '--create-namespace', ...hostValues()]);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('metagent get agents');
      manifest = parseObjects((await h(['get', 'manifest', 'metagent', '--namespace', NS])).stdout);
      expect(manifest.some((o) => o.kind === 'StatefulSet' && o.metadata.name === 'metagent-metacontroller')).toBe(
        true,
      );

      installedCert = await serveWebhooksFromSecret();
      // The real Metacontroller with the arguments the chart gives its StatefulSet (the listen addresses are the helper's).
      const sts = manifest.find((o) => o.kind === 'StatefulSet')!;
      const flags = (sts.spec.template.spec.containers[0].args as string[]).filter(
        (a) => !a.startsWith('--health-probe-bind-address'),
      );
      expect(flags).toEqual(expect.arrayContaining([expect.stringMatching(/^--workers=\d+$/)]));
      metacontroller = await startMetacontroller(await ensureMetacontroller(), {
        kubeconfig: cluster.kubeconfig,
        flags,
        logFile: join(work, 'metacontroller.log'),
      });

      // The README's Agent: the namespace, the API-key Secret, then examples/k8s-ops-agent/.
      await kOk(['create', 'namespace', 'kagent']);
      await kOk(['create', 'secret', 'generic', 'openai-api-key', '-n', 'kagent', '--from-literal=api-key=sk-test']);
      const applied = await k(['apply', '-f', join(repoRoot, 'examples', 'k8s-ops-agent')]);
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      // Through the installed validating webhook: our message, not the CRD schema's.
      const bad = await k(
        ['apply', '-f', '-'],
        'apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: bad, namespace: kagent}\nspec: {type: BYO}\n',
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('spec.byo: is required when type is BYO');

      await until(
        "the Agent's Deployment and config Secret (Metacontroller through the hooks)",
        async () => {
          const d = await k(['get', 'deployment', 'k8s-ops-agent', '-n', 'kagent']);
          const s = await k(['get', 'secret', 'k8s-ops-agent', '-n', 'kagent']);
          return d.code === 0 && s.code === 0;
        },
        90_000,
      );
      const deployment = await getJson(['get', 'deployment', 'k8s-ops-agent', '-n', 'kagent']);
      expect(deployment.metadata.ownerReferences[0]).toMatchObject({
        kind: 'Agent',
        name: 'k8s-ops-agent',
        controller: true,
      });
      await until("the Agent's Accepted condition", async () => {
        const a = await getJson(['get', 'agent', 'k8s-ops-agent', '-n', 'kagent']);
        return (a.status?.conditions ?? []).some((c: Obj) => c.type === 'Accepted' && c.status === 'True');
      });
      const agents = await runMetagent(['get', 'agents', '-n', 'kagent', '--kubeconfig', cluster.kubeconfig]);
      expect(agents.code).toBe(0);
      expect(agents.stdout).toMatch(/^NAME\s+.*\nk8s-ops-agent\s/);
    },
    240_000,
  );

  it.skipIf(noHelm)(
    'keeps the generated certificate and caBundle across helm upgrade',
    async () => {
      const before = await getJson(['get', 'validatingwebhookconfiguration', 'metagent-webhooks']);
      const r = await h([
        'upgrade',
        'metagent',
        chartDir,
        '--namespace',
        NS,
        '--reuse-values',
        '--set',
        'syncHooks.replicas=3',
      ]);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.code).toBe(0);
      const secret = await getJson(['get', 'secret', 'metagent-webhooks-tls', '-n', NS]);
      expect(Buffer.from(secret.data['tls.crt'], 'base64').toString()).toBe(installedCert);
      const after = await getJson(['get', 'validatingwebhookconfiguration', 'metagent-webhooks']);
      expect(after.webhooks[0].clientConfig.caBundle).toBe(before.webhooks[0].clientConfig.caBundle);
      expect((await getJson(['get', 'deployment', 'metagent-sync-hooks', '-n', NS])).spec.replicas).toBe(3);
      // Still admitting through the same certificate.
      const edit = await k(['label', 'agent', 'k8s-ops-agent', '-n', 'kagent', 'upgraded=yes']);
      expect(edit.stderr).toBe('');
    },
    120_000,
  );

  it.skipIf(noHelm)(
    'helm uninstall leaves nothing but the CRDs',
    async () => {
      await metacontroller?.stop();
      metacontroller = undefined;
      const r = await h(['uninstall', 'metagent', '--namespace', NS, '--wait']);
      expect(r.code).toBe(0);
      const left: string[] = [];
      for (const o of manifest) {
        const args = [
          'get',
          `${o.kind}.${String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : ''}`.replace(
            /\.$/,
            '',
          ),
          o.metadata.name,
          '--ignore-not-found',
          '-o',
          'name',
        ];
        if (o.metadata.namespace) args.push('-n', o.metadata.namespace);
        const out = (await kOk(args)).trim();
        if (out) left.push(out);
      }
      expect(left).toEqual([]);
      // Nothing else of the release either: no Helm release Secrets, nothing labelled with the release.
      expect((await kOk(['get', 'secrets', '-n', NS, '-o', 'name'])).trim()).toBe('');
      const labelled = await kOk([
        'get',
        'clusterroles,clusterrolebindings,mutatingwebhookconfigurations,validatingwebhookconfigurations,compositecontrollers',
        '-l',
        'app.kubernetes.io/instance=metagent',
        '-o',
        'name',
      ]);
      expect(labelled.trim()).toBe('');
      const crds = await kOk(['get', 'crds', '-o', 'name']);
      for (const name of [
        'agents.kagent.dev',
        'modelconfigs.kagent.dev',
        'remotemcpservers.kagent.dev',
        'compositecontrollers.metacontroller.k8s.io',
      ]) {
        expect(crds).toContain(`customresourcedefinition.apiextensions.k8s.io/${name}`);
      }
    },
    120_000,
  );

  it.skipIf(noHelm)(
    'metagent install and uninstall do the same without Helm (Metacontroller already installed)',
    async () => {
      const env = { KUBECONFIG: cluster.kubeconfig };
      const r = await runMetagent(['install', ...hostValues()], env, 120_000);
      expect(r.stderr).toContain('metagent 0.1.0 installed in namespace metagent-system');
      expect(r.code).toBe(0);
      // Applied with server-side apply under metagent's field manager, webhook configurations after the server.
      const dep = await getJson(['get', 'deployment', 'metagent-webhooks', '-n', NS, '--show-managed-fields']);
      expect(dep.metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`)).toContain('metagent/Apply');
      const lines = r.stderr.split('\n');
      expect(lines.findIndex((l) => l.startsWith('validatingwebhookconfiguration/'))).toBeGreaterThan(
        lines.findIndex((l) => l.startsWith('deployment/metagent-webhooks')),
      );
      const cert = await serveWebhooksFromSecret();
      const bad = await k(
        ['apply', '-f', '-'],
        'apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: bad, namespace: kagent}\nspec: {type: BYO}\n',
      );
      expect(bad.stderr).toContain('spec.byo: is required when type is BYO');
      // A second install is an upgrade: the certificate stays.
      const again = await runMetagent(['install', ...hostValues()], env, 120_000);
      expect(again.code).toBe(0);
      const secret = await getJson(['get', 'secret', 'metagent-webhooks-tls', '-n', NS]);
      expect(Buffer.from(secret.data['tls.crt'], 'base64').toString()).toBe(cert);

      const crdsRefused = await runMetagent(['uninstall', '--crds'], env);
      expect(crdsRefused.code).toBe(1);
      expect(crdsRefused.stderr).toContain('--crds needs a confirmation');
      expect(crdsRefused.stderr).not.toContain('deleted');
      expect((await kOk(['get', 'validatingwebhookconfiguration', 'metagent-webhooks', '-o', 'name'])).trim()).not.toBe(
        '',
      );
      const u = await runMetagent(['uninstall'], env, 120_000);
      expect(u.stderr.split('\n').filter((l) => l.startsWith('metagent:'))).toEqual([]);
      expect(u.code).toBe(0);
      expect(u.stderr).toMatch(/\d+ objects deleted; the CRDs are kept/);
      const labelled = await kOk([
        'get',
        'clusterroles,clusterrolebindings,mutatingwebhookconfigurations,validatingwebhookconfigurations,compositecontrollers,deployments,services,secrets,serviceaccounts,networkpolicies,poddisruptionbudgets',
        '-A',
        '-l',
        'app.kubernetes.io/managed-by=metagent-install',
        '-o',
        'name',
      ]);
      expect(labelled.trim()).toBe('');
      // The Agent and its children (labelled managed-by=metagent by the sync hooks) are the user's: untouched.
      expect(
        (await kOk(['get', 'agent,deployment,secret', 'k8s-ops-agent', '-n', 'kagent', '-o', 'name']))
          .trim()
          .split('\n'),
      ).toHaveLength(3);
      expect(await kOk(['get', 'crd', 'agents.kagent.dev', '-o', 'name'])).toContain('agents.kagent.dev');
    },
    240_000,
  );
});
