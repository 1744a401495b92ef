// `npm run cluster:up` / `npm run cluster:down`. `up` prints KUBECONFIG=<path> as its last line, also when the
// cluster was already running; `down` stops exactly the processes `up` started and removes their state.
import { startCluster, stopCluster } from './cluster.js';

const command = process.argv[2];
try {
  if (command === 'up') {
    const started = Date.now();
    const cluster = await startCluster((line) => process.stderr.write(`${line}\n`));
    process.stderr.write(
      cluster.started
        ? `test cluster started in ${((Date.now() - started) / 1000).toFixed(1)}s at ${cluster.server} (state in ${cluster.dir})\n`
        : `test cluster already running at ${cluster.server}\n`,
    );
    process.stdout.write(`KUBECONFIG=${cluster.kubeconfig}\n`);
  } else if (command === 'down') {
    await stopCluster();
    process.stderr.write('test cluster stopped\n');
  } else {
    process.stderr.write('usage: tsx test/cluster/cli.ts up|down\n');
    process.exitCode = 2;
  }
} catch (err) {
  process.stderr.write(`cluster:${command}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
