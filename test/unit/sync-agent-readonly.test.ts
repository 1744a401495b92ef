// syncAgent reads the request without copying it (crds defaultsShared, not a deep copy — the copy was a measurable
// part of every bench:hooks request). These tests freeze every request deeply, so any write anywhere in the
// translation throws (ESM is strict mode), and check the frozen run answers exactly like a run on a private copy.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { LAST_APPLIED_ANNOTATION } from '../../sync-hooks/agent/keep.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';

const opts = { runtimeImage: 'registry.example/metagent-runtime:1', imagePullPolicy: 'IfNotPresent' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

function request(parent: KubeObject, related: KubeObject[], children: KubeObject[] = []): SyncRequest {
  return {
    controller: {
      apiVersion: 'metacontroller.k8s.io/v1alpha1',
      kind: 'CompositeController',
      metadata: { name: 'agents' },
    },
    parent,
    children: toObjectMap(children),
    related: toObjectMap(related),
  };
}

/** syncAgent on a frozen request must neither throw nor answer differently from a run on a private copy. */
function expectReadOnly(req: SyncRequest): ReturnType<typeof syncAgent> {
  const expected = JSON.stringify(syncAgent(structuredClone(req), opts));
  const frozen = deepFreeze(structuredClone(req));
  const before = JSON.stringify(frozen);
  const res = syncAgent(frozen, opts);
  expect(JSON.stringify(res)).toBe(expected);
  expect(JSON.stringify(frozen)).toBe(before);
  return res;
}

// Every field of the deployment spec the translation copies or canonicalises, plus the config features.
const rich: KubeObject = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'rich', namespace: 'team', uid: 'u1', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    type: 'Declarative',
    description: 'everything set',
    declarative: {
      systemMessage: 'tools: {{ range .ToolNames }}{{ . }} {{ end }}{{ include "prompts/extra" }}',
      promptTemplate: { dataSources: [{ kind: 'ConfigMap', name: 'prompts' }] },
      modelConfig: 'mc',
      stream: true,
      a2aConfig: { skills: [{ id: 's', name: 'skill', description: 'd', tags: ['t'], examples: ['e'] }] },
      context: {
        compaction: {
          compactionInterval: 5,
          overlapSize: 2,
          summarizer: { modelConfig: 'mc2', promptTemplate: 'sum' },
        },
      },
      tools: [
        {
          type: 'McpServer',
          mcpServer: {
            kind: 'RemoteMCPServer',
            apiGroup: 'kagent.dev',
            name: 'tools',
            toolNames: ['b', 'a'],
            requireApproval: ['a'],
          },
          headersFrom: [{ name: 'X-Agent', value: 'v' }],
        },
        { type: 'McpServer', mcpServer: { kind: 'Service', apiGroup: '', name: 'svc' } },
        { type: 'Agent', agent: { name: 'other' } },
      ],
      deployment: {
        replicas: 2,
        imageRegistry: 'mirror.example',
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: 'dup' },
        ],
        resources: { requests: { cpu: '1500m', memory: '1.5Gi' }, limits: { cpu: 2, memory: '2048Mi' } },
        volumes: [{ name: 'data', emptyDir: {} }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        tolerations: [{ key: 'k', operator: 'Exists' }],
        affinity: { nodeAffinity: {} },
        nodeSelector: { disk: 'ssd' },
        imagePullSecrets: [{ name: 'pull' }],
        securityContext: { runAsNonRoot: true },
        podSecurityContext: { fsGroup: 2000 },
        labels: { team: 'a' },
        annotations: { note: 'n' },
        serviceAccountConfig: { labels: { sa: 'x' }, annotations: { 'iam/role': 'r' } },
        extraContainers: [{ name: 'side', image: 'side:1', resources: { limits: { memory: '0.5Gi' } } }],
      },
    },
  },
};
const richRelated: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'openai', namespace: 'team' },
    data: { key: b64('sk-1'), other: b64('x') },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ca', namespace: 'team' }, data: { 'ca.crt': b64('pem') } },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc', namespace: 'team' },
    spec: {
      provider: 'OpenAI',
      model: 'gpt-4o',
      apiKeySecret: 'openai',
      apiKeySecretKey: 'key',
      defaultHeaders: { h: '1' },
      tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' },
      openAI: { temperature: '0.5' },
    },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc2', namespace: 'team' },
    spec: { provider: 'Anthropic', model: 'claude', apiKeySecret: 'openai', apiKeySecretKey: 'other' },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'tools', namespace: 'team' },
    spec: {
      url: 'http://tools:3000/mcp',
      timeout: '30s',
      headersFrom: [{ name: 'X-Server', valueFrom: { type: 'Secret', name: 'openai', key: 'other' } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'team', annotations: { 'kagent.dev/mcp-service-port': '9000' } },
    spec: { ports: [{ port: 9000 }] },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'other', namespace: 'team' },
    spec: { type: 'Declarative', description: 'other agent', declarative: { systemMessage: 'x' } },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prompts', namespace: 'team' }, data: { extra: 'EXTRA' } },
];

describe('syncAgent never writes to its request', () => {
  it('an Agent using every translated field: same answer frozen or not, and the answer uses those fields', () => {
    const res = expectReadOnly(request(rich, richRelated));
    expect(
      (res.status.conditions as { type: string; status: string }[]).find((c) => c.type === 'Accepted')?.status,
    ).toBe('True');
    const dep = res.children.find((c) => c.kind === 'Deployment')!;
    const pod = (
      dep.spec as { template: { spec: { containers: { resources: unknown; image: string }[]; tolerations: unknown } } }
    ).template.spec;
    expect(pod.containers[0].resources).toEqual({
      requests: { cpu: '1500m', memory: '1536Mi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
    expect(pod.containers[1].resources).toEqual({ limits: { memory: '512Mi' } });
    expect(pod.containers[0].image).toBe('mirror.example/metagent-runtime:1');
    expect(pod.tolerations).toEqual([{ key: 'k', operator: 'Exists' }]);
  });

  it('the steady-state resync (observed children and status) and the keep-last-good path', () => {
    const first = syncAgent(structuredClone(request(rich, richRelated)), opts);
    const observed = first.children.map((c) => ({
      ...c,
      metadata: {
        ...c.metadata,
        uid: `uid-${c.kind}`,
        annotations: { ...(c.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: JSON.stringify(c) },
      },
    }));
    const parent = { ...structuredClone(rich), status: first.status };
    expectReadOnly(request(parent, richRelated, observed));
    // The ModelConfig is gone: every observed child is returned as last applied.
    const broken = expectReadOnly(
      request(
        parent,
        richRelated.filter((o) => o.kind !== 'ModelConfig'),
        observed,
      ),
    );
    expect(broken.children.map((c) => c.kind).sort()).toEqual(['Deployment', 'Secret', 'Service', 'ServiceAccount']);
    expect(
      (broken.status.conditions as { type: string; reason: string }[]).find((c) => c.type === 'Accepted')?.reason,
    ).toBe('ModelConfigNotFound');
  });

  it('a BYO Agent', () => {
    const byo: KubeObject = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'byo', namespace: 'team' },
      spec: {
        type: 'BYO',
        description: 'own image',
        byo: { deployment: { image: 'me/agent:1', cmd: 'run', args: ['--x'], env: [{ name: 'E', value: '1' }] } },
      },
    };
    expectReadOnly(request(byo, []));
  });

  it('every kagent conformance case', () => {
    const dir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const f of files) {
      const input = parse(readFileSync(`${dir}/${f}`, 'utf8')) as {
        targetObject: string;
        namespace: string;
        objects: KubeObject[];
      };
      const parent = input.objects.find((o) => o.kind === 'Agent' && o.metadata.name === input.targetObject)!;
      expectReadOnly(
        request(
          parent,
          input.objects.filter((o) => o !== parent),
        ),
      );
    }
  });
});
