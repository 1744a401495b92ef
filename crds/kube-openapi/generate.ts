// `npm run generate:kube-openapi`: reads the OpenAPI v3 of core/v1 from a running kube-apiserver (the test cluster's:
// `npm run cluster:up`, then KUBECONFIG=<its kubeconfig>) and writes crds/kube-openapi/core-v1.json, the embedded
// core/v1 structures crds/schema/kube.ts builds its schemas from. Run `npm run generate` afterwards for the CRD YAML.
// test/integration/kube-openapi.test.ts fails when the committed file differs from what the test cluster serves.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderFragment, toFragment, type OpenApiDocument } from './structural.js';

/** The core/v1 (and meta/v1) types kagent's API embeds; kube.ts exports one schema per entry. */
export const ROOTS = [
  'io.k8s.api.core.v1.Affinity',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.Container',
  'io.k8s.api.core.v1.EnvFromSource',
  'io.k8s.api.core.v1.EnvVar',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.PodSecurityContext',
  'io.k8s.api.core.v1.ResourceRequirements',
  'io.k8s.api.core.v1.SecurityContext',
  'io.k8s.api.core.v1.Toleration',
  'io.k8s.api.core.v1.Volume',
  'io.k8s.api.core.v1.VolumeMount',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
];
export const OPENAPI_PATH = '/openapi/v3/api/v1';
export const FRAGMENT_FILE = fileURLToPath(new URL('./core-v1.json', import.meta.url));

const execFileP = promisify(execFile);

/** The fragment's bytes as the API server behind `kubeconfig` serves them, fetched with `kubectl`. */
export async function fetchFragment(kubectl: string, kubeconfig: string): Promise<string> {
  const run = async (args: string[]) =>
    (await execFileP(kubectl, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const doc = JSON.parse(await run(['get', '--raw', OPENAPI_PATH])) as OpenApiDocument;
  const version = JSON.parse(await run(['version', '-o', 'json'])) as { serverVersion?: { gitVersion?: string } };
  const kubernetesVersion = version.serverVersion?.gitVersion;
  if (!kubernetesVersion) throw new Error(`kubectl version -o json gave no serverVersion.gitVersion`);
  return renderFragment(toFragment(doc, ROOTS, { kubernetesVersion, path: OPENAPI_PATH }));
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) {
    process.stderr.write('generate:kube-openapi: set KUBECONFIG to the test cluster (npm run cluster:up prints it)\n');
    process.exit(2);
  }
  const text = await fetchFragment(process.env.KUBECTL ?? 'kubectl', kubeconfig);
  writeFileSync(FRAGMENT_FILE, text);
  process.stdout.write(`wrote crds/kube-openapi/core-v1.json (${text.length} bytes)\n`);
}
