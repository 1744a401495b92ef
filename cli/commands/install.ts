// `metagent install [--values F] [--set k=v] [--namespace metagent-system] [--dry-run]`: the Helm chart's objects,
// rendered in-process (cli/install/) and applied with server-side apply (field manager "metagent"), for clusters
// without Helm. Order: CRDs (until Established), the control plane, then — once the webhook Deployment has a ready
// pod — the webhook configurations, so a fresh install never blocks writes with failurePolicy Fail; the optional
// default ModelConfig last, through those webhooks.
import type { Command } from 'commander';
import { collect } from '../lib/options.js';
import type { InstallOptions } from '../install/apply.js';

export function register(program: Command): void {
  program
    .command('install')
    .description(
      "install metagent from its Helm chart's objects without Helm (server-side apply); Metacontroller must already be installed",
    )
    .option('-f, --values <file>', 'a values file (repeatable; later ones win)', collect, [])
    .option('--set <key=value>', 'set a value, Helm syntax (repeatable; wins over --values)', collect, [])
    .option('-n, --namespace <ns>', 'namespace of the control plane', 'metagent-system')
    .option(
      '--dry-run',
      'print the objects instead of applying them (no cluster needed; a new certificate each time, as helm template)',
    )
    .option('--timeout <duration>', 'how long to wait for the CRDs and the webhook server (e.g. 90s, 5m)', '5m')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .action(async (opts: InstallOptions) => {
      const { install } = await import('../install/apply.js');
      await install(
        opts,
        (line) => process.stderr.write(`${line}\n`),
        (text) => process.stdout.write(text),
      );
    });
}
