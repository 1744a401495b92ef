// `metagent dashboard`: the web UI. Locally it acts as the kubeconfig's user; with --trusted-proxy (in cluster,
// behind oauth2-proxy or similar) it impersonates the user and groups the proxy forwards.
import { InvalidArgumentError, type Command } from 'commander';
import { collect, parsePort } from '../lib/options.js';
import { logFatalErrors } from '../../lib/process-errors.js';
import { serveUntilSignal } from '../../lib/serve.js';

interface DashboardFlags {
  port: number;
  host: string;
  kubeconfig?: string;
  context?: string;
  open?: boolean;
  agentPort: number;
  inCluster?: boolean;
  trustedProxy: string[];
  trustedClientName: string[];
  userHeader: string;
  groupsHeader: string;
  publicHost: string[];
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  webRoot?: string;
}

export function register(program: Command): void {
  program
    .command('dashboard')
    .description('Serve the web UI: agents, models, tool servers and chat, with Kubernetes RBAC deciding what you see')
    .option('--port <port>', 'port to listen on', parsePort, 8081)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--open', 'open the dashboard in the browser')
    .option('--agent-port <port>', "the agents' Service port", parsePort, 8080)
    .option('--in-cluster', "use the pod's service account (for the Deployment behind an authenticating proxy)")
    .option(
      '--trusted-proxy <ip-or-cidr>',
      'in-cluster: accept requests only from this proxy address (repeatable); every call impersonates the forwarded user',
      collect,
      [],
    )
    .option(
      '--trusted-client-name <cn>',
      'in-cluster with --client-ca: accept requests whose client certificate has this CN (repeatable)',
      collect,
      [],
    )
    .option('--user-header <name>', 'header with the authenticated user name', 'X-Forwarded-User')
    .option('--groups-header <name>', 'header with the user groups (comma-separated)', 'X-Forwarded-Groups')
    .option(
      '--public-host <host:port>',
      'Host header the proxy sends (repeatable; needed when binding a specific address)',
      collect,
      [],
    )
    .option('--tls-cert <file>', 'serve HTTPS with this certificate')
    .option('--tls-key <file>', 'the key of --tls-cert')
    .option('--client-ca <file>', "with --tls-cert: verify the proxy's client certificate against this CA (mTLS)")
    .option('--web-root <dir>', 'the built web app (default: dist/dashboard-web)')
    .addHelpText(
      'after',
      '\nExamples:\n  metagent dashboard --open\n  metagent dashboard --in-cluster --host 0.0.0.0 --trusted-proxy 10.0.0.12/32\n',
    )
    .action(async (opts: DashboardFlags) => {
      const proxied = opts.trustedProxy.length > 0 || opts.trustedClientName.length > 0;
      if (opts.inCluster && !proxied)
        throw new InvalidArgumentError(
          '--in-cluster needs --trusted-proxy or --trusted-client-name: in cluster the dashboard only serves through an authenticating proxy',
        );
      if (opts.trustedClientName.length && !opts.clientCa)
        throw new InvalidArgumentError('--trusted-client-name needs --client-ca (and --tls-cert/--tls-key)');
      if (!!opts.tlsCert !== !!opts.tlsKey) throw new InvalidArgumentError('--tls-cert and --tls-key go together');
      if (opts.clientCa && !opts.tlsCert) throw new InvalidArgumentError('--client-ca needs --tls-cert and --tls-key');
      logFatalErrors('dashboard');
      const { loadKubeConfig } = await import('../../lib/kube.js');
      const { startDashboard, kubeCall, defaultWebRoot } = await import('../../dashboard/server/index.js');
      const kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: opts.inCluster ? 'cluster' : 'default' });
      if (opts.context) {
        if (!kc.getContextObject(opts.context))
          throw new InvalidArgumentError(`--context: no context "${opts.context}" in the kubeconfig`);
        kc.setCurrentContext(opts.context);
      }
      const server = await startDashboard({
        port: opts.port,
        host: opts.host,
        call: kubeCall(kc),
        identity: proxied
          ? {
              mode: 'proxy',
              userHeader: opts.userHeader,
              groupsHeader: opts.groupsHeader,
              trustedAddresses: opts.trustedProxy,
              trustedClientNames: opts.trustedClientName,
            }
          : { mode: 'local' },
        webRoot: opts.webRoot ?? defaultWebRoot(),
        agentPort: opts.agentPort,
        contextName: opts.inCluster ? 'in-cluster' : kc.getCurrentContext(),
        publicHosts: opts.publicHost,
        ...(opts.tlsCert && opts.tlsKey
          ? { tls: { certFile: opts.tlsCert, keyFile: opts.tlsKey, clientCaFile: opts.clientCa } }
          : {}),
        log: (e) => process.stderr.write(`${JSON.stringify({ time: Date.now(), component: 'dashboard', ...e })}\n`),
      });
      process.stderr.write(
        `metagent dashboard: serving ${server.url} (${proxied ? 'impersonating the users the trusted proxy forwards' : `as ${kc.getCurrentUser()?.name ?? 'the kubeconfig user'}`})\n`,
      );
      if (!proxied && (opts.host === '0.0.0.0' || opts.host === '::')) {
        process.stderr.write(
          'metagent dashboard: warning: bound to all interfaces with your own credentials; anyone who reaches this port acts as you\n',
        );
      }
      if (opts.open) await openBrowser(server.url);
      await serveUntilSignal('dashboard', server);
    });
}

async function openBrowser(url: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(cmd, [url], { stdio: 'ignore', detached: true })
    .on('error', () => process.stderr.write(`metagent dashboard: could not start ${cmd}; open ${url} yourself\n`))
    .unref();
}
