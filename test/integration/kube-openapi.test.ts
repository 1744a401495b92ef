// The embedded core/v1 structures on the real kube-apiserver, with NO webhook for the namespace: the committed fragment
// is what the test cluster's /openapi/v3 gives (same bytes), `kubectl explain` shows Kubernetes' descriptions inside
// an Agent, a bad toleration (or env, resources, container) is refused at `kubectl apply` with its field path, and
// every example in examples/ still applies.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { installCrds, KIND_NAMES } from '../../crds/index.js';
import { FRAGMENT_FILE, fetchFragment } from '../../crds/kube-openapi/generate.js';
import type { Fragment } from '../../crds/kube-openapi/structural.js';
import { clusterKubeconfig, describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubectl, webhooksSelecting, kubectlPath } from '../cluster/kube.js';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
type Obj = Record<string, any>;

const agent = (name: string, ns: string, deployment: Obj): Obj => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name, namespace: ns },
  spec: {
    type: 'Declarative',
    description: 'embedded core/v1 test',
    declarative: { modelConfig: 'model', systemMessage: 'hi', deployment },
  },
});

describeWithCluster('embedded core/v1 types in the CRDs, no webhook', () => {
  let ns: string;
  let fragment: Fragment;
  beforeAll(async () => {
    await installCrds(kubectl);
    ns = await createNamespace('kubetypes');
    fragment = JSON.parse(await readFile(FRAGMENT_FILE, 'utf8')) as Fragment;
    expect(await webhooksSelecting(ns)).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it('regenerating crds/kube-openapi/core-v1.json from the test cluster gives the same bytes', async () => {
    const live = await fetchFragment(kubectlPath(), clusterKubeconfig()!);
    expect(live).toBe(await readFile(FRAGMENT_FILE, 'utf8'));
  }, 60_000);

  it.each([
    ['agent.spec.declarative.deployment.tolerations', 'io.k8s.api.core.v1.Toleration', 'tolerationSeconds'],
    ['agent.spec.byo.deployment.extraContainers.env', 'io.k8s.api.core.v1.EnvVar', 'valueFrom'],
    [
      'agent.spec.declarative.deployment.affinity.nodeAffinity',
      'io.k8s.api.core.v1.NodeAffinity',
      'requiredDuringSchedulingIgnoredDuringExecution',
    ],
  ])(
    'kubectl explain %s prints the field descriptions',
    async (path, type, field) => {
      const r = await kubectl(['explain', path]);
      expect(r.stderr).toBe('');
      const description = (fragment.definitions[type].properties as Record<string, Obj>)[field].description as string;
      // kubectl explain re-wraps text; compare the first words of the field's own description.
      const words = description.split(/\s+/).slice(0, 8).join(' ');
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(words);
      expect(r.stdout).toMatch(new RegExp(`^ {2}${field}\\s`, 'm'));
    },
    30_000,
  );

  it.each([
    [
      'tolerationSeconds "abc"',
      { tolerations: [{ key: 'k', tolerationSeconds: 'abc' }] },
      'spec.declarative.deployment.tolerations[0].tolerationSeconds',
      'must be of type integer',
    ],
    [
      'operator 7',
      { tolerations: [{ key: 'k', operator: 7 }] },
      'spec.declarative.deployment.tolerations[0].operator',
      'must be of type string',
    ],
    [
      'an unknown effect',
      { tolerations: [{ key: 'k', effect: 'Sometimes' }] },
      'spec.declarative.deployment.tolerations[0].effect',
      'Unsupported value: "Sometimes"',
    ],
    [
      'a memory limit "lots"',
      { resources: { limits: { memory: 'lots' } } },
      'spec.declarative.deployment.resources.limits.memory',
      'should match',
    ],
    [
      'an env var without a name',
      { env: [{ value: 'v' }] },
      'spec.declarative.deployment.env[0].name',
      'Required value',
    ],
    [
      'a sidecar without a name',
      { extraContainers: [{ image: 'busybox' }] },
      'spec.declarative.deployment.extraContainers[0].name',
      'Required value',
    ],
    [
      'a volume mount without mountPath',
      { volumeMounts: [{ name: 'v' }] },
      'spec.declarative.deployment.volumeMounts[0].mountPath',
      'Required value',
    ],
  ])(
    'refuses %s at kubectl apply, naming the field',
    async (_what, deployment, path, message) => {
      const r = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(agent('bad', ns, deployment)) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toContain(message);
    },
    30_000,
  );

  it('accepts a deployment that uses the embedded types as Kubernetes defines them, and stores them as written', async () => {
    const deployment = {
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
      resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: 1 } },
      env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
          },
        },
      },
      volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
      extraContainers: [{ name: 'side', image: 'busybox', readinessProbe: { httpGet: { path: '/', port: 'http' } } }],
    };
    const r = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(agent('good', ns, deployment)) });
    expect(r.stderr).toBe('');
    const stored = JSON.parse((await kubectl(['get', 'agent', 'good', '-n', ns, '-o', 'json'])).stdout) as Obj;
    expect(stored.spec.declarative.deployment).toEqual(deployment);
  }, 30_000);

  it('applies every kagent.dev object in examples/', async () => {
    const objects: Obj[] = [];
    for (const dir of (await readdir(examplesDir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
      for (const file of (await readdir(join(examplesDir, dir.name))).filter((f) => f.endsWith('.yaml')).sort()) {
        for (const doc of parseAllDocuments(await readFile(join(examplesDir, dir.name, file), 'utf8'))) {
          const o = doc.toJS() as Obj | null;
          if (!o || !String(o.apiVersion).startsWith('kagent.dev/') || !KIND_NAMES.includes(o.kind)) continue;
          objects.push({
            ...o,
            metadata: { ...o.metadata, name: `${dir.name}-${o.metadata.name}`.slice(0, 63), namespace: ns },
          });
        }
      }
    }
    expect(objects.length).toBeGreaterThanOrEqual(4);
    const r = await kubectl(['apply', '-f', '-'], { input: objects.map((o) => JSON.stringify(o)).join('\n---\n') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);
});
