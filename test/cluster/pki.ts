// Certificates and keys for the test control plane, made with the openssl command (present on Debian and installed
// by .ci/run) so that the cluster needs nothing beyond the Kubernetes binaries. Loopback-only, test-only material.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const run = promisify(execFile);

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed in ${cwd}: ${e.stderr || e.message}`, { cause: err });
  }
}

/** A CA signs a client or serving certificate described by subject and optional subjectAltNames. */
async function issue(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  await openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
  await openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

export async function createPki(dir: string): Promise<Pki> {
  await openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
  await openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=metagent-test-ca', '-days', '30', '-out', 'ca.crt'],
    dir,
  );
  const sans = [
    'IP:127.0.0.1',
    'IP:10.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ].join(',');
  await issue(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`,
  );
  // system:masters makes the admin identity cluster-admin without any RBAC objects.
  await issue(
    dir,
    'admin',
    '/O=system:masters/CN=metagent-admin',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  await openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  await openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const p = (f: string) => join(dir, f);
  return {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
  };
}
