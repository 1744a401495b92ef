// Development and test certificates for the webhook server: a CA and a serving certificate it signs. Clusters use
// cert-manager instead (manifests/webhooks/cert-manager.yaml). EC P-256 keys: quick to generate and cheap to handshake.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface CertBundle {
  /** PEM CA certificate: the webhook configurations' caBundle (base64 of this). */
  caCert: string;
  caKey: string;
  /** PEM serving certificate and key. */
  cert: string;
  key: string;
}

export interface CertOptions {
  dns?: string[];
  ip?: string[];
  /** Validity in days (default 365). */
  days?: number;
  commonName?: string;
}

/** The DNS names a Service is reached by from the API server. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

export const DEFAULT_SERVICE = 'metagent-webhooks';
export const DEFAULT_NAMESPACE = 'metagent-system';

export async function generateCerts(opts: CertOptions = {}): Promise<CertBundle> {
  const dns = opts.dns ?? serviceDnsNames(DEFAULT_SERVICE, DEFAULT_NAMESPACE);
  const ip = opts.ip ?? ['127.0.0.1'];
  if (dns.length + ip.length === 0) throw new Error('certs: at least one --dns name or --ip address is needed');
  const notBeforeDate = new Date(Date.now() - 60_000); // tolerate small clock skew
  const notAfterDate = new Date(notBeforeDate.getTime() + (opts.days ?? 365) * 86_400_000);
  const common = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256', notBeforeDate, notAfterDate };
  const ca = await generate([{ name: 'commonName', value: 'metagent-webhooks-ca' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const serving = await generate([{ name: 'commonName', value: opts.commonName ?? dns[0] ?? ip[0] }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...dns.map((value) => ({ type: 2 as const, value })),
          ...ip.map((addr) => ({ type: 7 as const, ip: addr })),
        ],
      },
    ],
  });
  return { caCert: ca.cert, caKey: ca.private, cert: serving.cert, key: serving.private };
}

export interface CertFiles {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/** Writes ca.crt, ca.key, tls.crt, tls.key (the names a kubernetes.io/tls Secret mounts) into dir; keys are 0600. */
export async function writeCerts(dir: string, bundle: CertBundle): Promise<CertFiles> {
  await mkdir(dir, { recursive: true });
  const files: CertFiles = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    cert: join(dir, 'tls.crt'),
    key: join(dir, 'tls.key'),
  };
  await writeFile(files.caCert, bundle.caCert);
  await writeFile(files.cert, bundle.cert);
  for (const [path, pem] of [
    [files.caKey, bundle.caKey],
    [files.key, bundle.key],
  ] as const) {
    await writeFile(path, pem, { mode: 0o600 });
    await chmod(path, 0o600);
  }
  return files;
}
