// `metagent toolserver`: the Kubernetes MCP tool server (toolserver/), a thin wrapper.
import type { Command } from 'commander';
import { parsePort } from '../lib/options.js';
import { logFatalErrors } from '../../lib/process-errors.js';
import { serveUntilSignal } from '../../lib/serve.js';

export function register(program: Command): void {
  program
    .command('toolserver')
    .description(
      'Serve read-only Kubernetes tools (list_pods, get_pod_logs, describe_pod, ...) over MCP at /mcp and /sse',
    )
    .option('--port <port>', 'port to listen on', parsePort, 8084)
    .option('--host <host>', 'address to bind', '0.0.0.0')
    .option('--kubeconfig <file>', 'kubeconfig file (default: the in-cluster service account)')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (opts: { port: number; host: string; kubeconfig?: string; logLevel: string }) => {
      logFatalErrors('toolserver');
      const { startToolServer } = await import('../../toolserver/index.js');
      const server = await startToolServer({
        port: opts.port,
        host: opts.host,
        kubeconfig: opts.kubeconfig,
        logLevel: opts.logLevel,
      });
      await serveUntilSignal('toolserver', server);
    });
}
