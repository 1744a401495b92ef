// `metagent webhooks --port N --tls-cert FILE --tls-key FILE`: the admission webhook server (webhooks/server.ts).
import type { Command } from 'commander';
import { parsePort } from '../lib/options.js';
import { logFatalErrors } from '../../lib/process-errors.js';
import { serveUntilSignal } from '../../lib/serve.js';

export function register(program: Command): void {
  program
    .command('webhooks')
    .description('serve the mutating (/mutate) and validating (/validate) admission webhooks over HTTPS')
    .option('--port <n>', 'port to listen on', parsePort, 8443)
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .requiredOption('--tls-cert <file>', 'PEM serving certificate (reloaded when the file changes)')
    .requiredOption('--tls-key <file>', 'PEM private key of the certificate')
    .action(async (opts: { port: number; host: string; tlsCert: string; tlsKey: string }) => {
      logFatalErrors('webhooks');
      const { startWebhookServer } = await import('../../webhooks/server.js');
      const server = await startWebhookServer({
        port: opts.port,
        host: opts.host,
        tlsCertFile: opts.tlsCert,
        tlsKeyFile: opts.tlsKey,
      });
      await serveUntilSignal('webhooks', server);
    });
}
