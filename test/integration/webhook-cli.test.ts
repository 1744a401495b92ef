// `metagent webhooks` as a process: it serves HTTPS with the given certificate, logs JSON, stops on SIGTERM, and
// refuses bad flags with a message.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts, writeCerts, type CertFiles } from '../../certs/generate.js';

const bin = fileURLToPath(new URL('../../bin/metagent.js', import.meta.url));
let dir: string;
let files: CertFiles;
let caCert: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metagent-webhook-cli-'));
  const bundle = await generateCerts({ ip: ['127.0.0.1'] });
  caCert = bundle.caCert;
  files = await writeCerts(dir, bundle);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('metagent webhooks', () => {
  it('serves until SIGTERM, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'webhooks', '--port', '0', '--host', '127.0.0.1', '--tls-cert', files.cert, '--tls-key', files.key],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        for (const line of out.split('\n')) {
          try {
            const rec = JSON.parse(line) as { msg?: string; port?: number };
            if (rec.msg === 'webhook server listening' && rec.port) resolve(rec.port);
          } catch {
            // not a complete JSON line yet
          }
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
    });
    const agent = new Agent({ connect: { ca: caCert } });
    const res = await request(`https://127.0.0.1:${port}/readyz`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: 'ready' });
    await agent.close();
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 30_000);

  it('refuses bad flags and unreadable certificates with a message', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [bin, 'webhooks', ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const noCert = await run(['--tls-key', files.key]);
    expect(noCert.code).not.toBe(0);
    expect(noCert.stderr).toContain("required option '--tls-cert <file>' not specified");
    const badPort = await run(['--port', 'x', '--tls-cert', files.cert, '--tls-key', files.key]);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain(`option '--port <n>' argument 'x' is invalid. not a port number: "x"`);
    const missing = await run(['--port', '0', '--tls-cert', join(dir, 'nope.crt'), '--tls-key', files.key]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read TLS certificate');
  }, 30_000);
});
