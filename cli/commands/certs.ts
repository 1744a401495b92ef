// `metagent certs --out DIR [--dns NAME...] [--ip ADDR...]`: a CA and a webhook serving certificate for local
// development and tests. Prints the caBundle to paste into the webhook configurations.
import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command): void {
  program
    .command('certs')
    .description('write a CA and a webhook serving certificate (ca.crt, ca.key, tls.crt, tls.key) into a directory')
    .requiredOption('--out <dir>', 'directory to write the files into')
    .option(
      '--dns <name>',
      'a DNS subject alternative name (repeatable); default: metagent-webhooks.metagent-system.svc and variants',
      collect,
    )
    .option('--ip <addr>', 'an IP subject alternative name (repeatable); default: 127.0.0.1', collect)
    .option('--days <n>', 'validity in days', '365')
    .action(async (opts: { out: string; dns?: string[]; ip?: string[]; days: string }) => {
      const { generateCerts, writeCerts } = await import('../../certs/generate.js');
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1) throw new Error(`--days must be a positive integer, got ${opts.days}`);
      const bundle = await generateCerts({ dns: opts.dns, ip: opts.ip, days });
      const files = await writeCerts(opts.out, bundle);
      process.stdout.write(
        `wrote ${files.caCert}, ${files.caKey}, ${files.cert}, ${files.key}\n` +
          `caBundle: ${Buffer.from(bundle.caCert).toString('base64')}\n`,
      );
    });
}
