// How a test file reaches the shared test control plane. vitest's global setup (global-setup.ts) starts it once
// per run (or reuses the one `npm run cluster:up` started) and provides its kubeconfig path.
import { inject, describe } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string | null;
    kubeBinDir: string | null;
  }
}

/** The kubeconfig of the running test cluster, or null when it could not start (outside CI only). */
export function clusterKubeconfig(): string | null {
  return inject('kubeconfig');
}

/** Directory holding kubectl, kube-apiserver, ... of the same version as the test cluster. */
export function kubeBinDir(): string | null {
  return inject('kubeBinDir');
}

/** `describe` that skips (loudly, in global setup) when there is no cluster; in CI global setup fails instead. */
export const describeWithCluster: typeof describe.skip = ((name: string, fn: () => void) =>
  describe.skipIf(!clusterKubeconfig())(name, fn)) as typeof describe.skip;
