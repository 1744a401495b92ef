// `metagent runtime --filepath /config [--host 0.0.0.0] [--port 8080]`: the agent runtime (kagent's flags).
// A thin shell: startRuntime does the work; this wires SIGTERM/SIGINT to a graceful stop and exits 0.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('runtime')
    .description('serve an agent over A2A from kagent config.json + agent-card.json')
    .option('--filepath <dir>', 'directory holding config.json and agent-card.json', '/config')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'port to listen on', '8080')
    .action(async (opts: { filepath: string; host: string; port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${opts.port}`);
      // A stray rejection in a client library (an MCP stream closing, a socket error) must not take the agent down:
      // Node's default for an unhandled rejection is to exit.
      process.on('unhandledRejection', (reason) => {
        process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: 'unhandled rejection', err: String((reason as Error)?.message ?? reason).slice(0, 300) })}\n`);
      });
      const { startRuntime } = await import('../../runtime/index.js');
      const runtime = await startRuntime({ filepath: opts.filepath, host: opts.host, port });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`metagent runtime: ${signal}, stopping\n`);
          runtime.close().then(resolve, (err) => {
            process.stderr.write(`metagent runtime: shutdown error: ${(err as Error).message}\n`);
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      // Keep-alive timers of SDK clients must not hold the process after a clean stop.
      process.exit(0);
    });
}
