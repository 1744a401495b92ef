// The `metagent` command. Each sub-command lives in cli/commands/<name>.ts and is loaded only when used, so the
// runtime's cold start does not pay for the webhook server or the Kubernetes client.
import { Command, CommanderError } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}

const commandModules = [
  'webhooks',
  'sync-hooks',
  'runtime',
  'toolserver',
  'render',
  'run',
  'invoke',
  'get',
  'certs',
  'install',
  'uninstall',
  'dashboard',
];

/** Which module defines a sub-command; a lookup so only that module is imported. */
async function loadCommand(program: Command, name: string): Promise<void> {
  const mod = (await import(`./commands/${name}.js`)) as CommandModule;
  mod.register(program);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('metagent')
    .description(
      'AI agents as Kubernetes objects: admission webhooks, Metacontroller hooks, the agent runtime and tools',
    )
    .exitOverride()
    .showHelpAfterError();
  const wanted = argv[2];
  const toLoad = wanted && commandModules.includes(wanted) ? [wanted] : commandModules;
  for (const name of toLoad) {
    try {
      await loadCommand(program, name);
    } catch (err) {
      if (toLoad.length === 1) throw err;
      // A command whose module is missing should not hide the others from --help.
    }
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`metagent: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
if (code !== 0) process.exitCode = code;
