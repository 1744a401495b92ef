// `metagent webhooks --port N --tls-cert FILE --tls-key FILE`: the admission webhook server (webhooks/server.ts).
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('webhooks')
    .description('serve the mutating (/mutate) and validating (/validate) admission webhooks over HTTPS')
    .option('--port <n>', 'port to listen on', '8443')
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .requiredOption('--tls-cert <file>', 'PEM serving certificate (reloaded when the file changes)')
    .requiredOption('--tls-key <file>', 'PEM private key of the certificate')
    .action(async (opts: { port: string; host: string; tlsCert: string; tlsKey: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${opts.port}`);
      const { startWebhookServer } = await import('../../webhooks/server.js');
      const server = await startWebhookServer({ port, host: opts.host, tlsCertFile: opts.tlsCert, tlsKeyFile: opts.tlsKey });
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
