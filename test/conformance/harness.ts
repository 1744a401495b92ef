// kagent's golden translator cases (../shared/conformance/kagent-v0.10, see its README) and how to run one through
// our Agent sync hook, shared by the conformance test and the tests that compare renderings of the same case.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';

const root = new URL('../../../shared/conformance/kagent-v0.10/', import.meta.url);
export const read = (rel: string) => readFileSync(fileURLToPath(new URL(rel, root)), 'utf8');
export const cases = JSON.parse(read('cases.json')) as { required: string[]; optional: Record<string, string> };

export interface CaseInput {
  targetObject: string;
  namespace: string;
  objects: KubeObject[];
  /** kagent's controller options these cases set (its --proxy-url and --default-service-account-name). */
  proxyURL?: string;
  defaultServiceAccountName?: string;
}

export function loadCase(name: string) {
  const input = parse(read(`inputs/${name}.yaml`)) as CaseInput;
  const output = JSON.parse(read(`outputs/${name}.json`)) as { manifest: KubeObject[] };
  return { input, output };
}

/**
 * The Namespaces kagent's golden-test harness creates in its fake cluster (adk_translator_golden_test.go): every
 * object's namespace, and the second label of each RemoteMCPServer URL's host. kagent's translator asks the cluster
 * whether such a namespace exists (to tell in-cluster URLs for its proxy option); ours gets them as related objects,
 * as the customize hook asks for Namespaces when a proxy is set.
 */
function harnessNamespaces(objects: KubeObject[]): KubeObject[] {
  const names = new Set<string>();
  for (const o of objects) {
    if (o.metadata.namespace) names.add(o.metadata.namespace);
    const url = o.kind === 'RemoteMCPServer' ? (o.spec as { url?: string } | undefined)?.url : undefined;
    const label = url ? URL.canParse(url) && new URL(url).hostname.split('.')[1] : undefined;
    if (label) names.add(label);
  }
  return [...names].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

export function runCase(input: CaseInput) {
  const parent = input.objects.find(
    (o) =>
      o.kind === 'Agent' &&
      o.metadata.name === input.targetObject &&
      (o.metadata.namespace ?? input.namespace) === input.namespace,
  )!;
  const related = [...input.objects.filter((o) => o !== parent), ...harnessNamespaces(input.objects)];
  const req: SyncRequest = {
    controller: {
      apiVersion: 'metacontroller.k8s.io/v1alpha1',
      kind: 'CompositeController',
      metadata: { name: 'agents' },
    },
    parent,
    children: {},
    related: toObjectMap(related),
  };
  return syncAgent(req, {
    runtimeImage: 'ghcr.io/example/metagent-runtime:test',
    imagePullPolicy: 'IfNotPresent',
    proxyUrl: input.proxyURL,
    defaultServiceAccountName: input.defaultServiceAccountName,
    // The image kagent's golden test harness configures (its version "dev"); like the proxy URL, a controller option.
    skillsInitImage: KAGENT_TEST_SKILLS_INIT_IMAGE,
  });
}

const KAGENT_TEST_SKILLS_INIT_IMAGE = 'ghcr.io/kagent-dev/kagent/skills-init:dev';
