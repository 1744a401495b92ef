import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateCerts, serviceDnsNames, writeCerts } from '../../certs/generate.js';
import { verifyPair } from '../../webhooks/cert-reloader.js';

const bin = fileURLToPath(new URL('../../bin/metagent.js', import.meta.url));

describe('certs', () => {
  it('issues a serving certificate for the given names, signed by a fresh CA', async () => {
    const b = await generateCerts({ dns: serviceDnsNames('hooks', 'sys'), ip: ['127.0.0.1', '::1'], days: 2 });
    const ca = new X509Certificate(b.caCert);
    const cert = new X509Certificate(b.cert);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:hooks, DNS:hooks.sys, DNS:hooks.sys.svc, DNS:hooks.sys.svc.cluster.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('hooks.sys.svc')).toBe('hooks.sys.svc');
    expect(new Date(cert.validTo).getTime() - Date.now()).toBeLessThan(2 * 86_400_000 + 60_000);
    expect(() => verifyPair({ cert: b.cert, key: b.key })).not.toThrow();
    expect(() => verifyPair({ cert: b.cert, key: b.caKey })).toThrow(/do not match/);
    expect(() => verifyPair({ cert: '', key: '' })).toThrow();
  });

  it('refuses to issue a certificate without names', async () => {
    await expect(generateCerts({ dns: [], ip: [] })).rejects.toThrow(/at least one --dns name or --ip address/);
  });

  it('`metagent certs` writes the files with private keys 0600 and prints the caBundle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metagent-certs-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [
        bin,
        'certs',
        '--out',
        dir,
        '--dns',
        'a.b.svc',
        '--ip',
        '10.1.2.3',
      ]);
      const caPem = await readFile(join(dir, 'ca.crt'), 'utf8');
      expect(stdout).toContain(`caBundle: ${Buffer.from(caPem).toString('base64')}`);
      expect((await stat(join(dir, 'tls.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
      expect(new X509Certificate(await readFile(join(dir, 'tls.crt'))).subjectAltName).toBe(
        'DNS:a.b.svc, IP Address:10.1.2.3',
      );
      const again = await writeCerts(dir, await generateCerts({ ip: ['127.0.0.1'] }));
      expect(again.cert).toBe(join(dir, 'tls.crt'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
