// `metagent uninstall [--namespace metagent-system] [--crds [--yes]]`: removes what `metagent install` applied.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('uninstall')
    .description('remove what `metagent install` applied; the CRDs (and so every Agent) only with --crds')
    .option('-n, --namespace <ns>', 'namespace of the control plane', 'metagent-system')
    .option('--crds', 'also delete the CRDs, which deletes every Agent, ModelConfig and RemoteMCPServer (asks first)')
    .option('--yes', 'with --crds: do not ask')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .action(async (opts: { namespace: string; crds?: boolean; yes?: boolean; kubeconfig?: string }) => {
      const { uninstall } = await import('../install/apply.js');
      await uninstall(opts, (line) => process.stderr.write(`${line}\n`));
    });
}
