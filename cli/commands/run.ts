// `metagent run -f agent.yaml -f modelconfig.yaml`: an Agent on this machine, no cluster. The same translation as the
// sync hook writes the config Secret's files into a temporary directory and the runtime serves them on localhost.
import type { Command } from 'commander';
import type { KubeObject } from '../../crds/kube-object.js';
import { collect, parsePort } from '../lib/options.js';

interface RunOptions {
  filename: string[];
  recursive: boolean;
  mcpUrl: string[];
  logLevel: string;
  port: number;
  host: string;
  agent?: string;
  namespace: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Run an Agent locally: translate it like the cluster would, then serve it over A2A on localhost')
    .requiredOption(
      '-f, --filename <path>',
      'a file, a folder of .yaml/.yml/.json files, or - for standard input, with the Agent and what it refers to (ModelConfig, RemoteMCPServer, Secret); repeatable',
      collect,
      [],
    )
    .option('-R, --recursive', 'read the sub-folders of -f folders too', false)
    .option('--port <port>', 'port for the A2A server (0 = any free port)', parsePort, 8080)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--agent <name>', 'which Agent to run when the files hold several')
    .option('-n, --namespace <ns>', 'namespace for objects that name none', 'default')
    .option(
      '--mcp-url <name=url>',
      'use this URL for the RemoteMCPServer NAME (e.g. a local `metagent toolserver`); repeatable',
      collect,
      [],
    )
    .option('--log-level <level>', "the runtime's log level (LOG_LEVEL wins when set)", 'warn')
    .addHelpText(
      'after',
      '\nAPI keys come from your environment under the names the Deployment would use (e.g. OPENAI_API_KEY),\n' +
        'or from a Secret manifest passed with -f. OPENAI_BASE_URL points an OpenAI ModelConfig at a compatible server.\n\n' +
        'Example:\n  OPENAI_API_KEY=sk-... metagent run -f examples/k8s-ops-agent/ --mcp-url k8s-toolserver=http://127.0.0.1:8084/mcp\n',
    )
    .action(async (opts: RunOptions) => {
      const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { readManifests } = await import('../lib/manifests.js');
      const {
        pickAgent,
        planLocalRun,
        apiKeySecretStandIns,
        toolAgentsFirst,
        pointToolAgentsAt,
        withoutServiceAccountTokens,
      } = await import('../lib/local-run.js');
      const { validate, formatFieldError, KIND_NAMES } = await import('../../crds/index.js');
      const { renderObjects } = await import('../../sync-hooks/render.js');

      const { objects } = readManifests(opts.filename, { recursive: opts.recursive });
      for (const { object, source } of objects) {
        object.metadata.namespace ??= opts.namespace;
        if ((KIND_NAMES as readonly string[]).includes(object.kind)) {
          const errors = validate(object.kind as (typeof KIND_NAMES)[number], object);
          if (errors.length)
            throw new Error(
              `${source}: ${object.kind} ${object.metadata.name} is invalid:\n  ${errors.map(formatFieldError).join('\n  ')}`,
            );
        }
      }
      for (const pair of opts.mcpUrl) {
        const at = pair.indexOf('=');
        const [name, url] = at > 0 ? [pair.slice(0, at), pair.slice(at + 1)] : ['', ''];
        if (!name || !/^https?:\/\//.test(url))
          throw new Error(`--mcp-url: expected NAME=http(s)://..., got "${pair}"`);
        const server = objects.find((o) => o.object.kind === 'RemoteMCPServer' && o.object.metadata.name === name);
        if (!server) throw new Error(`--mcp-url: no RemoteMCPServer named "${name}" in the given files`);
        (server.object.spec as { url?: string }).url = url;
      }
      const chosen = pickAgent(objects, opts.agent).object;
      const given = objects.map((o) => o.object);
      const rendered = renderObjects([...given, ...apiKeySecretStandIns(given, opts.namespace)], {
        runtimeImage: 'metagent-runtime:local',
        imagePullPolicy: 'IfNotPresent',
        namespace: opts.namespace,
      });
      const ref = (o: Pick<KubeObject, 'metadata'>) => ({
        namespace: o.metadata.namespace ?? opts.namespace,
        name: o.metadata.name ?? '',
      });
      // The chosen Agent and, served first, the Agents it uses as tools that the files also hold (each on a free port).
      const order = toolAgentsFirst(given as never, ref(chosen), opts.namespace);
      const { startRuntime } = await import('../../runtime/index.js');
      const served: Array<{
        agent: { namespace: string; name: string };
        url: string;
        dir: string;
        close(): Promise<void>;
      }> = [];
      const stopAll = async () => {
        for (const s of [...served].reverse()) await s.close().catch(() => undefined);
        for (const s of served) rmSync(s.dir, { recursive: true, force: true });
      };
      try {
        for (const agent of order) {
          const object = given.find(
            (o) => o.kind === 'Agent' && ref(o).name === agent.name && ref(o).namespace === agent.namespace,
          )!;
          if ((object.spec as { type?: string } | undefined)?.type === 'BYO') {
            throw new Error(
              `Agent ${agent.name} is BYO: it runs its own image; metagent run serves Declarative agents`,
            );
          }
          // Only this Agent's problems matter; other Agents in the same files may refer to things not given here.
          const mine = rendered.problems.filter((p) => p.startsWith(`Agent ${agent.namespace}/${agent.name} `));
          if (mine.length) throw new Error(mine.join('\n'));
          // Children are named after their Agent (as kagent names them); with several Agents rendered, keep this one's.
          const children = rendered.items.filter(
            (c) => c.metadata?.name === agent.name && (c.metadata?.namespace ?? agent.namespace) === agent.namespace,
          );
          const plan = planLocalRun(children as never, given, agent, process.env);
          // Agents used as tools that are served here are called on their local address instead of the cluster's.
          plan.files['config.json'] = pointToolAgentsAt(plan.files['config.json'], served);
          const tokenless = withoutServiceAccountTokens(plan.files['config.json']);
          plan.files['config.json'] = tokenless.configJson;
          for (const url of tokenless.servers) {
            process.stderr.write(
              `metagent run: ${agent.name} calls ${url} without a ServiceAccount token (there is none outside a pod); ` +
                `a local tool server needs --act-as-kubeconfig-user\n`,
            );
          }
          const dir = mkdtempSync(join(tmpdir(), 'metagent-run-'));
          for (const [name, content] of Object.entries(plan.files))
            writeFileSync(join(dir, name), content, { mode: 0o600 });
          const isChosen = agent === order[order.length - 1];
          let runtime;
          try {
            runtime = await startRuntime({
              filepath: dir,
              host: opts.host,
              port: isChosen ? opts.port : 0,
              env: { LOG_LEVEL: opts.logLevel, ...process.env, ...plan.env },
              publicUrl: 'listen',
            });
          } catch (err) {
            rmSync(dir, { recursive: true, force: true });
            throw err;
          }
          served.push({ agent, url: runtime.url, dir, close: runtime.close });
        }
      } catch (err) {
        await stopAll();
        throw err;
      }
      const main = served[served.length - 1];
      const tools = served.slice(0, -1);
      process.stdout.write(
        `Agent ${main.agent.namespace}/${main.agent.name} is serving A2A at ${main.url}\n` +
          `  card:   ${main.url.replace(/\/$/, '')}/.well-known/agent-card.json\n` +
          `  config: ${main.dir}\n` +
          tools.map((t) => `  tool:   Agent ${t.agent.namespace}/${t.agent.name} at ${t.url}\n`).join('') +
          `  try:    metagent invoke --agent ${main.agent.namespace}/${main.agent.name} --url ${main.url} --task "hello"\n` +
          'Press Ctrl-C to stop.\n',
      );
      const stop = () => {
        void stopAll().finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
