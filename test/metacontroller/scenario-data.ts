// The objects and reads the real-Metacontroller suite and the differential test share: the seed objects (Secret,
// ModelConfig, RemoteMCPServer, an Agent with skills -> five children), a snapshot of a namespace's parents and
// children, and the normalisation that compares two clusters' objects field by field.
import type { KubeObject } from '../../sync-hooks/protocol.js';
import type { KubeRest } from './kube-rest.js';

export const MCP_TOOLS = [
  { name: 'get_pods', description: 'List pods' },
  { name: 'get_logs', description: 'Read pod logs' },
  { name: 'get_events', description: 'List events' },
];

export interface SeedOptions {
  model?: string;
  systemMessage?: string;
  toolNames?: string[];
  replicas?: number;
}

export const modelConfigYaml = (model = 'gpt-4o') => `apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: {name: model}
spec: {provider: OpenAI, model: ${model}, apiKeySecret: openai, apiKeySecretKey: api-key}
`;

export const secretYaml = (key = 'sk-test-not-a-real-key') => `apiVersion: v1
kind: Secret
metadata: {name: openai}
stringData: {api-key: ${key}}
`;

export const remoteServerYaml = (url: string) => `apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: k8s-tools}
spec: {description: Kubernetes tools, protocol: STREAMABLE_HTTP, url: '${url}', timeout: 5s}
`;

export const agentYaml = (o: SeedOptions = {}) => `apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: helper}
spec:
  type: Declarative
  description: Finds unhealthy pods
  declarative:
    systemMessage: ${JSON.stringify(o.systemMessage ?? 'You find unhealthy pods.')}
    modelConfig: model
    deployment: {replicas: ${o.replicas ?? 1}}
    tools:
      - type: McpServer
        mcpServer: {apiGroup: kagent.dev, kind: RemoteMCPServer, name: k8s-tools, toolNames: ${JSON.stringify(o.toolNames ?? ['get_pods', 'get_logs'])}}
  skills:
    refs: [ghcr.io/org/oci-skill:v1]
`;

/** The seed scenario: ModelConfig + its Secret + RemoteMCPServer + an Agent (with skills: five children). */
export const seedYaml = (mcpUrl: string, o: SeedOptions = {}) =>
  [secretYaml(), modelConfigYaml(o.model), remoteServerYaml(mcpUrl), agentYaml(o)].join('---\n');

/** What the seed Agent owns, by kind: [resource path segment, object name]. */
export const AGENT_CHILDREN = {
  Secret: ['/api/v1', 'secrets', 'helper'],
  ServiceAccount: ['/api/v1', 'serviceaccounts', 'helper'],
  Deployment: ['/apis/apps/v1', 'deployments', 'helper'],
  Service: ['/api/v1', 'services', 'helper'],
  ConfigMap: ['/api/v1', 'configmaps', 'helper-skills-init'],
} as const;

export type ChildKind = keyof typeof AGENT_CHILDREN;

export const childPath = (ns: string, kind: ChildKind) => {
  const [base, res, name] = AGENT_CHILDREN[kind];
  return `${base}/namespaces/${ns}/${res}/${name}`;
};

export const parentPath = (ns: string, resource: 'agents' | 'modelconfigs' | 'remotemcpservers', name: string) =>
  `/apis/kagent.dev/v1alpha2/namespaces/${ns}/${resource}/${name}`;

export const condition = (obj: KubeObject | undefined, type: string) =>
  (
    (obj?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] } | undefined)
      ?.conditions ?? []
  ).find((c) => c.type === type);

export async function getObject(rest: KubeRest, path: string): Promise<KubeObject | undefined> {
  const r = await rest.request('GET', path);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as KubeObject;
}

/** The kinds a snapshot reads: the three parents and every child kind of agents.kagent.dev. */
const SNAPSHOT_KINDS: [string, string, string][] = [
  ['Agent', '/apis/kagent.dev/v1alpha2', 'agents'],
  ['ModelConfig', '/apis/kagent.dev/v1alpha2', 'modelconfigs'],
  ['RemoteMCPServer', '/apis/kagent.dev/v1alpha2', 'remotemcpservers'],
  ['Secret', '/api/v1', 'secrets'],
  ['ServiceAccount', '/api/v1', 'serviceaccounts'],
  ['Deployment', '/apis/apps/v1', 'deployments'],
  ['Service', '/api/v1', 'services'],
  ['ConfigMap', '/api/v1', 'configmaps'],
];

/** Objects the cluster itself puts in every namespace; not ours to compare. */
const CLUSTER_OWN = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);

/** Every parent and child object in a namespace, keyed Kind/name. */
export async function snapshot(rest: KubeRest, ns: string): Promise<Map<string, KubeObject>> {
  const out = new Map<string, KubeObject>();
  const lists = await Promise.all(
    SNAPSHOT_KINDS.map(async ([kind, base, res]) => {
      const list = await rest.ok('GET', `${base}/namespaces/${ns}/${res}`);
      return (list.items as KubeObject[]).map((o) => ({ ...o, kind }) as KubeObject);
    }),
  );
  for (const o of lists.flat()) {
    const k = `${o.kind}/${o.metadata.name}`;
    if (!CLUSTER_OWN.has(k)) out.set(k, o);
  }
  return [...out.keys()].sort().reduce((m, k) => m.set(k, out.get(k)!), new Map<string, KubeObject>());
}

/** Kind/name -> resourceVersion. */
export function versions(snap: Map<string, KubeObject>): Record<string, string> {
  return Object.fromEntries([...snap].map(([k, o]) => [k, o.metadata.resourceVersion!]));
}

/** Metadata the API server sets (never the hooks' or Metacontroller's choice). */
const SERVER_META = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * An object with only the fields a controller decides: server-set metadata dropped, each parent's uid replaced by
 * `<uid of Kind/name>` wherever it appears (labels, owner references, the last-applied annotation), timestamps by
 * `<time>`, a Service's allocated cluster IPs dropped, and a child's status dropped (kube-controller-manager's, not
 * ours). A parent's status is kept: the hooks and Metacontroller write it.
 */
export function normalize(o: KubeObject, uids: Map<string, string>): unknown {
  const copy = JSON.parse(JSON.stringify(o)) as KubeObject & { spec?: Record<string, unknown>; status?: unknown };
  for (const f of SERVER_META) delete (copy.metadata as Record<string, unknown>)[f];
  const isParent = ['Agent', 'ModelConfig', 'RemoteMCPServer'].includes(o.kind);
  if (!isParent) delete copy.status;
  if (o.kind === 'Service' && copy.spec) {
    delete copy.spec.clusterIP;
    delete copy.spec.clusterIPs;
  }
  if (o.kind === 'Deployment') {
    // kube-controller-manager's revision bookkeeping.
    const ann = copy.metadata.annotations ?? {};
    delete ann['deployment.kubernetes.io/revision'];
    if (Object.keys(ann).length === 0) delete copy.metadata.annotations;
  }
  let text = JSON.stringify(copy);
  for (const [uid, who] of uids) text = text.split(uid).join(`<uid of ${who}>`);
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && RFC3339.test(v) ? '<time>' : v));
}

/** uid -> Kind/name of every parent in a snapshot. */
export function parentUids(snap: Map<string, KubeObject>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, o] of snap)
    if (['Agent', 'ModelConfig', 'RemoteMCPServer'].includes(o.kind)) out.set(o.metadata.uid!, k);
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() gives a truthy value (returned); throws naming what it waited for and the last value seen. */
export async function within<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined | false>,
  every = 200,
): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return { value: v, ms: Date.now() - start };
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > ms)
      throw new Error(
        `not within ${ms} ms: ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 500)}`,
      );
    await sleep(every);
  }
}
