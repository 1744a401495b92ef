// `metagent sync-hooks`: the Metacontroller hook server. A thin wrapper around startSyncHookServer.
import { InvalidArgumentError, type Command } from 'commander';
import { flagChecked, parsePort, parsePositiveInt } from '../lib/options.js';
import { logFatalErrors } from '../../lib/process-errors.js';
import { serveUntilSignal } from '../../lib/serve.js';
import { checkProxyUrl } from '../../sync-hooks/agent/proxy.js';
import { checkServiceAccountName } from '../../sync-hooks/agent/children.js';
import { checkRefreshSeconds } from '../../sync-hooks/refresh/probe-cache.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function parsePullPolicy(value: string): string {
  if (!PULL_POLICIES.includes(value))
    throw new InvalidArgumentError(`must be ${PULL_POLICIES.join(', ')}; got "${value}"`);
  return value;
}

const parseResyncSeconds = (flag: string) => (value: string) => {
  try {
    return checkRefreshSeconds(value, flag);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

export function register(program: Command): void {
  program
    .command('sync-hooks')
    .description(
      'serve the Metacontroller hooks (Agent customize/sync, ModelConfig, RemoteMCPServer and ModelProviderConfig status)',
    )
    .option('--port <n>', 'port to listen on', parsePort, 8080)
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--runtime-image <image>', 'agent runtime image for declarative Agents (default: $METAGENT_RUNTIME_IMAGE)')
    .option('--image-pull-policy <policy>', 'imagePullPolicy of the runtime container', parsePullPolicy)
    .option(
      '--proxy-url <url>',
      "kagent's gateway proxy: in-cluster agent and MCP traffic goes here with an x-kagent-host header (default: $METAGENT_PROXY_URL)",
      flagChecked(checkProxyUrl, '--proxy-url'),
    )
    .option(
      '--default-service-account-name <name>',
      'pods of Agents that name no service account run as this existing one (default: $METAGENT_DEFAULT_SERVICE_ACCOUNT_NAME)',
      flagChecked(checkServiceAccountName, '--default-service-account-name'),
    )
    .option(
      '--skills-init-image <image>',
      "kagent's skills-init image, the init container that fetches spec.skills into /skills (default: $METAGENT_SKILLS_INIT_IMAGE, else kagent's release image)",
    )
    .option('--max-in-flight <n>', 'hook requests handled at once before answering 429', parsePositiveInt, 64)
    .option(
      '--max-probes-in-flight <n>',
      'RemoteMCPServer and ModelProviderConfig syncs (MCP connections, model listings) handled at once before answering 429',
      parsePositiveInt,
      16,
    )
    .option(
      '--tools-resync-seconds <n>',
      "RemoteMCPServer tools are listed again every this many seconds (kagent's 60)",
      parseResyncSeconds('--tools-resync-seconds'),
      60,
    )
    .option(
      '--models-resync-seconds <n>',
      'ModelProviderConfig models are listed again every this many seconds',
      parseResyncSeconds('--models-resync-seconds'),
      60,
    )
    .action(
      async (o: {
        toolsResyncSeconds: number;
        modelsResyncSeconds: number;
        port: number;
        host: string;
        runtimeImage?: string;
        imagePullPolicy?: string;
        proxyUrl?: string;
        defaultServiceAccountName?: string;
        skillsInitImage?: string;
        maxInFlight: number;
        maxProbesInFlight: number;
      }) => {
        // It probes RemoteMCPServers with the MCP SDK's client, whose streams can reject where nothing awaits.
        logFatalErrors('sync-hooks', { survivesRejections: true });
        const env = (name: string, check: (v: string, what: string) => string) =>
          process.env[name] ? check(process.env[name]!, `$${name}`) : undefined;
        const { startSyncHookServer } = await import('../../sync-hooks/server.js');
        const server = await startSyncHookServer({
          port: o.port,
          host: o.host,
          runtimeImage: o.runtimeImage ?? process.env.METAGENT_RUNTIME_IMAGE,
          imagePullPolicy: o.imagePullPolicy,
          proxyUrl: o.proxyUrl ?? env('METAGENT_PROXY_URL', checkProxyUrl),
          defaultServiceAccountName:
            o.defaultServiceAccountName ?? env('METAGENT_DEFAULT_SERVICE_ACCOUNT_NAME', checkServiceAccountName),
          skillsInitImage: o.skillsInitImage ?? (process.env.METAGENT_SKILLS_INIT_IMAGE || undefined),
          maxInFlight: o.maxInFlight,
          maxProbesInFlight: o.maxProbesInFlight,
          toolsResyncSeconds: o.toolsResyncSeconds,
          modelsResyncSeconds: o.modelsResyncSeconds,
        });
        process.stderr.write(`metagent sync-hooks listening on ${server.url}\n`);
        await serveUntilSignal('sync-hooks', server);
      },
    );
}
