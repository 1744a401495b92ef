// `metagent sync-hooks`: the Metacontroller hook server. A thin wrapper around startSyncHookServer.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('sync-hooks')
    .description('serve the Metacontroller hooks (Agent customize/sync, ModelConfig and RemoteMCPServer status)')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--runtime-image <image>', 'agent runtime image for declarative Agents')
    .option('--image-pull-policy <policy>', 'imagePullPolicy of the runtime container')
    .option('--max-in-flight <n>', 'hook requests handled at once before answering 429', '64')
    .option('--max-probes-in-flight <n>', 'RemoteMCPServer syncs (MCP connections) handled at once before answering 429', '16')
    .action(async (o: { port: string; host: string; runtimeImage?: string; imagePullPolicy?: string; maxInFlight: string; maxProbesInFlight: string }) => {
      const { startSyncHookServer } = await import('../../sync-hooks/server.js');
      const port = Number(o.port);
      const maxInFlight = Number(o.maxInFlight);
      const maxProbesInFlight = Number(o.maxProbesInFlight);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${o.port}`);
      if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`--max-in-flight: not a positive integer: ${o.maxInFlight}`);
      if (!Number.isInteger(maxProbesInFlight) || maxProbesInFlight < 1) {
        throw new Error(`--max-probes-in-flight: not a positive integer: ${o.maxProbesInFlight}`);
      }
      if (o.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(o.imagePullPolicy)) {
        throw new Error(`--image-pull-policy: must be Always, IfNotPresent or Never, got ${o.imagePullPolicy}`);
      }
      const server = await startSyncHookServer({
        port,
        host: o.host,
        runtimeImage: o.runtimeImage ?? process.env.METAGENT_RUNTIME_IMAGE,
        imagePullPolicy: o.imagePullPolicy,
        maxInFlight,
        maxProbesInFlight,
      });
      process.stderr.write(`metagent sync-hooks listening on ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await server.close();
    });
}
