// `metagent sync-hooks`: the Metacontroller hook server. A thin wrapper around startSyncHookServer.
import { InvalidArgumentError, type Command } from 'commander';
import { parsePort, parsePositiveInt } from '../lib/options.js';
import { serveUntilSignal } from '../lib/serve.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function parsePullPolicy(value: string): string {
  if (!PULL_POLICIES.includes(value)) throw new InvalidArgumentError(`must be ${PULL_POLICIES.join(', ')}; got "${value}"`);
  return value;
}

export function register(program: Command): void {
  program
    .command('sync-hooks')
    .description('serve the Metacontroller hooks (Agent customize/sync, ModelConfig and RemoteMCPServer status)')
    .option('--port <n>', 'port to listen on', parsePort, 8080)
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--runtime-image <image>', 'agent runtime image for declarative Agents (default: $METAGENT_RUNTIME_IMAGE)')
    .option('--image-pull-policy <policy>', 'imagePullPolicy of the runtime container', parsePullPolicy)
    .option('--max-in-flight <n>', 'hook requests handled at once before answering 429', parsePositiveInt, 64)
    .option('--max-probes-in-flight <n>', 'RemoteMCPServer syncs (MCP connections) handled at once before answering 429', parsePositiveInt, 16)
    .action(async (o: { port: number; host: string; runtimeImage?: string; imagePullPolicy?: string; maxInFlight: number; maxProbesInFlight: number }) => {
      const { startSyncHookServer } = await import('../../sync-hooks/server.js');
      const server = await startSyncHookServer({
        port: o.port,
        host: o.host,
        runtimeImage: o.runtimeImage ?? process.env.METAGENT_RUNTIME_IMAGE,
        imagePullPolicy: o.imagePullPolicy,
        maxInFlight: o.maxInFlight,
        maxProbesInFlight: o.maxProbesInFlight,
      });
      process.stderr.write(`metagent sync-hooks listening on ${server.url}\n`);
      await serveUntilSignal('sync-hooks', server);
    });
}
