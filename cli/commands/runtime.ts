// `metagent runtime --filepath /config [--host 0.0.0.0] [--port 8080]`: the agent runtime (kagent's flags).
// A thin shell: startRuntime does the work; serveUntilSignal wires SIGTERM/SIGINT to a graceful stop and exit 0.
import type { Command } from 'commander';
import { parsePort } from '../lib/options.js';
import { logFatalErrors } from '../../lib/process-errors.js';
import { serveUntilSignal } from '../../lib/serve.js';

export function register(program: Command): void {
  program
    .command('runtime')
    .description('serve an agent over A2A from kagent config.json + agent-card.json')
    .option('--filepath <dir>', 'directory holding config.json and agent-card.json', '/config')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'port to listen on', parsePort, 8080)
    .action(async (opts: { filepath: string; host: string; port: number }) => {
      logFatalErrors('runtime', { survivesRejections: true });
      const { startRuntime } = await import('../../runtime/index.js');
      const { consoleToLog } = await import('../../runtime/console-log.js');
      const runtime = await startRuntime({
        filepath: opts.filepath,
        host: opts.host,
        port: opts.port,
        // The A2A SDK writes some errors with console.*; in the agent's own process they become JSON log lines too.
        // Set here at the process's entry, never by the runtime module (tests run several runtimes in one process),
        // and before the server listens, so no request's message slips out as plain text.
        onLogger: (log) => {
          globalThis.console = consoleToLog(log.child({ source: 'console' }), globalThis.console);
        },
      });
      await serveUntilSignal('runtime', runtime);
    });
}
