// Helpers for test files that use the shared test cluster: its kubectl, a client-node KubeConfig, and unique
// namespaces so test files running in parallel never see each other's objects.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { clusterKubeconfig, kubeBinDir } from './vitest.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

function requireCluster(): { kubeconfig: string; binDir: string } {
  const kubeconfig = clusterKubeconfig();
  const binDir = kubeBinDir();
  if (!kubeconfig || !binDir) throw new Error('no test cluster: use describeWithCluster from test/cluster/vitest.ts');
  return { kubeconfig, binDir };
}

/** Path of the kubectl built at the API server's version. */
export function kubectlPath(): string {
  return join(requireCluster().binDir, 'kubectl');
}

/** Runs kubectl against the test cluster; never rejects, so tests can assert on refusals. */
export function kubectl(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const { kubeconfig, binDir } = requireCluster();
  return new Promise((resolve) => {
    const child = spawn(join(binDir, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** kubectl that throws with its stderr when it fails; for setup steps that must succeed. */
export async function kubectlOk(args: string[], opts: { input?: string } = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(requireCluster().kubeconfig);
  return kc;
}

/**
 * The admission webhooks that could intercept objects in `ns` (one that names no namespace selects every namespace):
 * a test of what the API server enforces alone expects none.
 */
export async function webhooksSelecting(ns: string): Promise<string[]> {
  type Webhooks = {
    metadata: { name: string };
    webhooks?: { namespaceSelector?: { matchLabels?: Record<string, string> } }[];
  };
  const hooks = await kubectl(['get', 'mutatingwebhookconfigurations,validatingwebhookconfigurations', '-o', 'json']);
  const found: string[] = [];
  for (const c of (JSON.parse(hooks.stdout) as { items: Webhooks[] }).items)
    for (const w of c.webhooks ?? []) {
      const name = w.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      if (name === undefined) found.push(`${c.metadata.name} selects every namespace`);
      else if (name === ns) found.push(`${c.metadata.name} selects ${ns}`);
    }
  return found;
}

/**
 * Creates a namespace with a unique name and waits until the controller manager has given it its default
 * ServiceAccount (the ServiceAccount admission plugin refuses pods before that).
 */
export async function createNamespace(prefix: string, labels: Record<string, string> = {}): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase().slice(0, 63);
  const core = kubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { 'metagent.test/ns': 'true', ...labels } } } });
  await waitUntil(`default ServiceAccount in ${name}`, 30_000, async () => {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return true;
    } catch {
      return false;
    }
  });
  return name;
}

/**
 * Deletes a test namespace without waiting for its finalization (the namespace controller finishes it). Its pods go
 * first with a zero grace period: with no kubelet, a pod bound to a node never finishes a graceful delete, and the
 * namespace would stay Terminating for ever.
 */
export async function deleteNamespace(name: string): Promise<void> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  await core.deleteCollectionNamespacedPod({ namespace: name, gracePeriodSeconds: 0 });
  await core.deleteNamespace({ name });
}

/** Polls until check() is true; throws naming what it waited for. */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
