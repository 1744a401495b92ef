// What the dashboard's browser tests share: the web app built once per file into a temp folder, the system
// Chromium driven by playwright-core, axe-core injected into a page, and an agent's Service made reachable through
// the API server's service proxy although the test cluster has no kubelet (as test/e2e does it: a pod whose status IP
// is this host's, and Endpoints pointing at the runtime's port).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Browser, Page } from 'playwright-core';
import { createPodWithState } from '../e2e/pods.js';
import { repo } from './build-web.js';

export { buildWeb, repo } from './build-web.js';

export const CHROMIUM = process.env.METAGENT_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots land here (gitignored), one per page the scenario visits. */
export const ARTIFACTS = join(repo, 'test-artifacts', 'dashboard');

export const haveChromium = () => existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  // Root in a container has no user namespace sandbox; the pages are our own app on loopback.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  })) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const describeViolations = (v: AxeViolation[]) =>
  v.map((x) => `${x.id} (${x.impact}): ${x.help} at ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

export function nonLoopbackIp(): string {
  const ip = Object.values(networkInterfaces())
    .flat()
    .find((n) => n && n.family === 'IPv4' && !n.internal)?.address;
  if (!ip) throw new Error('no non-loopback IPv4 address to put into Endpoints');
  return ip;
}

/** Points the agent's Service at `port` on this host, so the API server's service proxy reaches a local runtime. */
export async function exposeLocally(kc: KubeConfig, ns: string, service: string, port: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const svc = await core.readNamespacedService({ namespace: ns, name: service });
  const svcPort = svc.spec!.ports!.find((p) => p.port === 8080)!;
  const ip = nonLoopbackIp();
  const podName = `${service}-local`;
  const pod = await createPodWithState(kc, ns, podName, 'running');
  pod.status = { ...pod.status, podIP: ip, podIPs: [{ ip }] };
  await core.replaceNamespacedPodStatus({ namespace: ns, name: podName, body: pod });
  await core.createNamespacedEndpoints({
    namespace: ns,
    body: {
      metadata: { name: service },
      subsets: [
        {
          addresses: [{ ip, targetRef: { kind: 'Pod', name: podName, namespace: ns } }],
          ports: [{ name: svcPort.name, port, protocol: 'TCP' }],
        },
      ],
    },
  });
}

/** The runtime started from the Agent's generated Secret exactly as the pod would mount it (as test/e2e does). */
export async function startRuntimeFromSecret(kc: KubeConfig, ns: string, name: string, dir: string) {
  const { AppsV1Api } = await import('@kubernetes/client-node');
  const { rmSync, writeFileSync } = await import('node:fs');
  const { planLocalRun } = await import('../../cli/lib/local-run.js');
  const { startRuntime } = await import('../../runtime/index.js');
  const core = kc.makeApiClient(CoreV1Api);
  const secret = await core.readNamespacedSecret({ namespace: ns, name });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, b64] of Object.entries(secret.data ?? {}))
    writeFileSync(join(dir, file), Buffer.from(b64, 'base64'));
  const deploy = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: ns, name });
  // The pod's projected ServiceAccount tokens (the tool server reads the cluster as the agent), as kubelet writes them.
  const { mountProjectedTokens } = await import('../cluster/identity.js');
  await mountProjectedTokens(deploy, dir, `${dir}-tokens`);
  const keyName = deploy.spec?.template?.spec?.containers?.[0]?.env?.find((e) => e.valueFrom?.secretKeyRef)?.valueFrom
    ?.secretKeyRef?.name;
  const keys = keyName ? [await core.readNamespacedSecret({ namespace: ns, name: keyName })] : [];
  const plan = planLocalRun(
    [deploy as never, { apiVersion: 'v1', kind: 'Secret', metadata: {}, data: secret.data } as never],
    keys.map((k) => ({
      ...k,
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: k.metadata!.name!, namespace: ns },
    })) as never,
    { namespace: ns, name },
    {},
  );
  return startRuntime({
    filepath: dir,
    host: '0.0.0.0',
    port: 0,
    env: { ...process.env, LOG_LEVEL: 'warn', ...plan.env },
    publicUrl: 'listen',
  });
}
