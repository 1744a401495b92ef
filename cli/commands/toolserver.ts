// `metagent toolserver`: the Kubernetes MCP tool server (toolserver/), a thin wrapper.
import type { Command } from 'commander';
import { parsePort } from '../lib/options.js';
import { logFatalErrors } from '../../lib/process-errors.js';
import { serveUntilSignal } from '../../lib/serve.js';
import { DEFAULT_TOOLSERVER_AUDIENCE } from '../../lib/service-account-token.js';

export function register(program: Command): void {
  program
    .command('toolserver')
    .description(
      'Serve read-only Kubernetes tools (list_pods, get_pod_logs, describe_pod, ...) over MCP at /mcp and /sse',
    )
    .option('--port <port>', 'port to listen on', parsePort, 8084)
    .option('--host <host>', 'address to bind', '0.0.0.0')
    .option('--kubeconfig <file>', 'kubeconfig file (default: the in-cluster service account)')
    .option(
      '--audience <audience>',
      "the audience callers' ServiceAccount tokens must be bound to (tool calls run as the caller's ServiceAccount)",
      DEFAULT_TOOLSERVER_AUDIENCE,
    )
    .option(
      '--act-as-kubeconfig-user',
      "no caller authentication: every tool call reads the cluster as the kubeconfig's user (your own machine only; needs a loopback --host)",
    )
    .option('--log-level <level>', 'pino log level', 'info')
    .action(
      async (opts: {
        port: number;
        host: string;
        kubeconfig?: string;
        audience: string;
        actAsKubeconfigUser?: boolean;
        logLevel: string;
      }) => {
        logFatalErrors('toolserver');
        const { startToolServer } = await import('../../toolserver/index.js');
        const server = await startToolServer({
          port: opts.port,
          host: opts.host,
          kubeconfig: opts.kubeconfig,
          audience: opts.audience,
          actAsKubeconfigUser: opts.actAsKubeconfigUser === true,
          logLevel: opts.logLevel,
        });
        await serveUntilSignal('toolserver', server);
      },
    );
}
