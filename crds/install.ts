// Installs the CRDs into a cluster and waits until they are Established. Used by integration tests (several test
// files may call it at once against the shared cluster, so it is idempotent and retries conflicts) and usable by
// anything that has a kubectl-like function.
import { allCrds } from './crd.js';
import { renderCrdYaml } from './generate.js';

export type KubectlFn = (
  args: string[],
  opts?: { input?: string },
) => Promise<{ code: number; stdout: string; stderr: string }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `kubectl apply --server-side` of every CRD (retried on conflicts), then `kubectl wait` for Established. */
export async function installCrds(kubectl: KubectlFn, opts: { attempts?: number } = {}): Promise<void> {
  const crds = allCrds();
  const input = crds.map(({ crd }) => renderCrdYaml(crd)).join('---\n');
  const attempts = opts.attempts ?? 5;
  let last = '';
  for (let i = 0; i < attempts; i++) {
    // Server-side apply with one field manager: concurrent installs of the same content converge instead of
    // failing on a stale resourceVersion as client-side apply can.
    const r = await kubectl(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=metagent-crds', '-f', '-'],
      { input },
    );
    if (r.code === 0) {
      last = '';
      break;
    }
    last = r.stderr.trim();
    await sleep(200 * (i + 1));
  }
  if (last) throw new Error(`installing CRDs failed after ${attempts} attempts: ${last}`);
  const names = crds.map(({ crd }) => `crd/${(crd.metadata as { name: string }).name}`);
  // `kubectl wait` fails at once (".status.conditions accessor error") on a CRD so new that the API server has not
  // written any condition yet, instead of waiting; so retry it until the deadline.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const w = await kubectl(['wait', '--for', 'condition=Established', '--timeout=30s', ...names]);
    if (w.code === 0) return;
    if (Date.now() > deadline) throw new Error(`CRDs did not become Established: ${w.stderr.trim()}`);
    await sleep(200);
  }
}
