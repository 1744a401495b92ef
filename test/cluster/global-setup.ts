// vitest global setup: one test control plane for the whole run. A cluster that `npm run cluster:up` started is
// reused and left running; one started here is stopped at teardown. With CI=true a cluster that cannot start fails
// the run; elsewhere (a contributor without Go) the cluster tests skip with one loud line.
import type { TestProject } from 'vitest/node';
import { startCluster, type RunningCluster } from './cluster.js';

let cluster: RunningCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    cluster = await startCluster((line) => process.stderr.write(`${line}\n`));
    project.provide('kubeconfig', cluster.kubeconfig);
    project.provide('kubeBinDir', cluster.binDir);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (process.env.CI === 'true')
      throw new Error(`test cluster could not start (CI=true makes this fatal): ${reason}`, { cause: err });
    process.stderr.write(
      `\n!!! SKIPPING ALL CLUSTER TESTS: the test cluster could not start: ${reason.split('\n')[0]}\n\n`,
    );
    project.provide('kubeconfig', null);
    project.provide('kubeBinDir', null);
  }
}

export async function teardown(): Promise<void> {
  if (cluster?.started) await cluster.stop();
}
