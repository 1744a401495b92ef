// The Agent sync hook as a pure function: every Accepted reason, Ready from the Deployment, keep-last-good,
// determinism, lastTransitionTime stability, secret rotation, cross-namespace rules and canonical children.
import { describe, expect, it } from 'vitest';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { LAST_APPLIED_ANNOTATION } from '../../sync-hooks/agent/keep.js';
import { CONFIG_HASH_ANNOTATION } from '../../sync-hooks/agent/children.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';

const opts = { runtimeImage: 'registry.example/metagent-runtime:1', imagePullPolicy: 'IfNotPresent' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
type Cond = { type: string; status: string; reason: string; message: string; lastTransitionTime: string };

function secret(name: string, data: Record<string, string>, ns = 'team'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}
function modelConfig(extra: Record<string, unknown> = {}, ns = 'team'): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc', namespace: ns },
    spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'openai', apiKeySecretKey: 'key', ...extra },
  };
}
function rms(name: string, ns: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name, namespace: ns },
    spec: { url: `http://${name}.${ns}:3000/mcp`, ...spec },
  };
}
function agentObj(declarative: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: {
      name: 'helper',
      namespace: 'team',
      uid: 'u1',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      type: 'Declarative',
      description: 'helps',
      declarative: { systemMessage: 'be helpful', modelConfig: 'mc', ...declarative },
      ...extra,
    },
  };
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
const base = () => [secret('openai', { key: 'sk-1' }), modelConfig()];
const cond = (res: { status: Record<string, unknown> }, type: string) =>
  (res.status.conditions as Cond[]).find((c) => c.type === type)!;
const child = (res: { children: KubeObject[] }, kind: string) => res.children.find((c) => c.kind === kind)!;
const configOf = (res: { children: KubeObject[] }) =>
  JSON.parse(
    Buffer.from((child(res, 'Secret').data as Record<string, string>)['config.json'], 'base64').toString(),
  ) as Record<string, unknown>;
const podTemplate = (res: { children: KubeObject[] }) =>
  (
    child(res, 'Deployment').spec as {
      template: {
        metadata: { annotations: Record<string, string> };
        spec: { containers: Record<string, unknown>[]; serviceAccountName: string };
      };
    }
  ).template;

/** The children as Metacontroller stores them: what we returned, plus its last-applied annotation and server fields. */
function asObserved(children: KubeObject[], readyReplicas?: number): KubeObject[] {
  return children.map((c) => ({
    ...structuredClone(c),
    metadata: {
      ...structuredClone(c.metadata),
      uid: `uid-${c.kind}`,
      resourceVersion: '7',
      annotations: { ...(c.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: JSON.stringify(c) },
    },
    ...(c.kind === 'Deployment' && readyReplicas !== undefined ? { status: { readyReplicas, replicas: 1 } } : {}),
  }));
}

describe('syncAgent: accepted agent', () => {
  const res = syncAgent(request(agentObj(), base()), opts);

  it('returns Secret, ServiceAccount, Deployment and Service, Accepted=True Reconciled', () => {
    expect(res.children.map((c) => c.kind)).toEqual(['Secret', 'ServiceAccount', 'Deployment', 'Service']);
    expect(cond(res, 'Accepted')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    // What metagent does with kagent's runtime choice is stated in status.
    expect(cond(res, 'Accepted')?.message).toMatch(/declarative\.runtime (go|python): served by metagent's runtime/);
    expect(res.status.observedGeneration).toBe(3);
  });

  it('writes the Secret as base64 data (never stringData) and keeps the API key out of config.json', () => {
    const s = child(res, 'Secret');
    expect(s.stringData).toBeUndefined();
    expect(configOf(res).model).toMatchObject({ type: 'openai', model: 'gpt-4o' });
    expect(JSON.stringify(res)).not.toContain('sk-1');
    const env = podTemplate(res).spec.containers[0].env as { name: string; valueFrom?: unknown }[];
    expect(env.find((e) => e.name === 'OPENAI_API_KEY')).toEqual({
      name: 'OPENAI_API_KEY',
      valueFrom: { secretKeyRef: { name: 'openai', key: 'key' } },
    });
  });

  it('gives the Deployment the runtime image, port 8080, /config mount, probes, RollingUpdate 1/0 and no replicas', () => {
    const dep = child(res, 'Deployment');
    const spec = dep.spec as Record<string, unknown>;
    expect(spec.replicas).toBeUndefined();
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const c = podTemplate(res).spec.containers[0];
    expect(c.image).toBe(opts.runtimeImage);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.volumeMounts).toContainEqual({ name: 'config', mountPath: '/config' });
    expect((c.readinessProbe as { httpGet: { path: string } }).httpGet.path).toBe('/.well-known/agent-card.json');
    expect((c.livenessProbe as { httpGet: { path: string } }).httpGet.path).toBe('/health');
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    expect((c.env as { name: string }[]).map((e) => e.name)).toEqual([
      'OPENAI_API_KEY',
      'KAGENT_NAMESPACE',
      'KAGENT_NAME',
    ]);
  });

  it('gives the Service ClusterIP port 8080 named http', () => {
    expect(child(res, 'Service').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  it('is deterministic: two calls give byte-identical JSON', () => {
    const a = JSON.stringify(syncAgent(request(agentObj(), base()), opts));
    const b = JSON.stringify(syncAgent(request(agentObj(), base()), opts));
    expect(a).toBe(b);
  });

  it('does not mutate the request', () => {
    const req = request(agentObj(), base());
    const before = JSON.stringify(req);
    syncAgent(req, opts);
    expect(JSON.stringify(req)).toBe(before);
  });
});

describe('syncAgent: deployment details', () => {
  it('canonicalises quantities, keeps replicas, and passes user pod settings through', () => {
    const res = syncAgent(
      request(
        agentObj({
          deployment: {
            replicas: 2,
            resources: { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: '3000m', memory: '1.5Gi' } },
            env: [{ name: 'FOO', value: 'bar' }],
            tolerations: [{ key: 'gpu', operator: 'Exists' }],
            nodeSelector: { pool: 'agents' },
            imagePullSecrets: [{ name: 'regcred' }],
            labels: { team: 'a', kagent: 'must-not-win' },
            annotations: { note: 'x' },
            serviceAccountName: 'custom',
          },
        }),
        base(),
      ),
      opts,
    );
    const dep = child(res, 'Deployment');
    const tpl = podTemplate(res);
    expect((dep.spec as { replicas: number }).replicas).toBe(2);
    expect(tpl.spec.containers[0].resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '3', memory: '1536Mi' },
    });
    expect((tpl.spec.containers[0].env as { name: string }[])[0]).toEqual({ name: 'FOO', value: 'bar' });
    expect(tpl.spec).toMatchObject({
      serviceAccountName: 'custom',
      tolerations: [{ key: 'gpu', operator: 'Exists' }],
      nodeSelector: { pool: 'agents' },
      imagePullSecrets: [{ name: 'regcred' }],
    });
    expect((tpl as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels).toMatchObject({
      team: 'a',
      kagent: 'helper',
    });
    expect(tpl.metadata.annotations.note).toBe('x');
    expect(res.children.map((c) => c.kind)).toEqual(['Secret', 'Deployment', 'Service']);
  });

  it('reports a malformed quantity as InvalidSpec with its path (not a hook failure)', () => {
    const res = syncAgent(request(agentObj({ deployment: { resources: { limits: { cpu: 'lots' } } } }), base()), opts);
    expect(cond(res, 'Accepted')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(cond(res, 'Accepted').message).toContain('spec.declarative.deployment.resources: invalid quantity "lots"');
  });

  it('lets the user env win over the model env instead of emitting a duplicate name', () => {
    const res = syncAgent(
      request(agentObj({ deployment: { env: [{ name: 'OPENAI_API_KEY', value: 'from-user' }] } }), base()),
      opts,
    );
    const env = podTemplate(res).spec.containers[0].env as { name: string; value?: string }[];
    expect(env.filter((e) => e.name === 'OPENAI_API_KEY')).toEqual([{ name: 'OPENAI_API_KEY', value: 'from-user' }]);
  });

  it('refuses reserved names (the config volume, /config, the kagent container, duplicate sidecars) as InvalidSpec', () => {
    for (const deployment of [
      { volumes: [{ name: 'config', emptyDir: {} }] },
      { volumeMounts: [{ name: 'x', mountPath: '/config' }] },
      { extraContainers: [{ name: 'kagent', image: 'x' }] },
      {
        extraContainers: [
          { name: 'side', image: 'x' },
          { name: 'side', image: 'y' },
        ],
      },
    ]) {
      const res = syncAgent(request(agentObj({ deployment }), base()), opts);
      expect(cond(res, 'Accepted'), JSON.stringify(deployment)).toMatchObject({
        status: 'False',
        reason: 'InvalidSpec',
      });
      expect(cond(res, 'Accepted').message).toContain('spec.declarative.deployment');
    }
  });

  it('runs a BYO agent with its own image, command and args; config carries only the description', () => {
    const parent = agentObj(
      {},
      {
        type: 'BYO',
        declarative: undefined,
        byo: { deployment: { image: 'me/agent:1', cmd: '/bin/agent', args: ['--x'] } },
      },
    );
    const res = syncAgent(request(parent, []), opts);
    expect(cond(res, 'Accepted').status).toBe('True');
    const c = podTemplate(res).spec.containers[0];
    expect(c).toMatchObject({ image: 'me/agent:1', command: ['/bin/agent'], args: ['--x'] });
    expect(configOf(res)).toEqual({ model: null, description: 'helps', instruction: '' });
  });

  it('reports a BYO agent without an image as InvalidSpec', () => {
    const res = syncAgent(
      request(agentObj({}, { type: 'BYO', declarative: undefined, byo: { deployment: {} } }), []),
      opts,
    );
    expect(cond(res, 'Accepted')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
  });
});

describe('syncAgent: Accepted=False reasons', () => {
  const cases: [string, KubeObject, KubeObject[], string][] = [
    ['ModelConfigNotFound', agentObj(), [secret('openai', { key: 'x' })], 'ModelConfig team/mc'],
    // The Agent's request carries neither the Secret nor its ModelConfig's view: the ModelConfig's own status says why.
    [
      'SecretNotFound (missing Secret, as its ModelConfig reports)',
      agentObj(),
      [
        {
          ...modelConfig(),
          metadata: { name: 'mc', namespace: 'team', generation: 1 },
          status: {
            conditions: [
              {
                type: 'Accepted',
                status: 'False',
                reason: 'SecretNotFound',
                message: 'Secret team/openai not found',
                observedGeneration: 1,
              },
            ],
          },
        },
      ],
      'Secret team/openai',
    ],
    ['ModelConfigNotReady (no view of its Secrets yet)', agentObj(), [modelConfig()], 'team/mc.modelconfig-view'],
    ['SecretNotFound (missing key)', agentObj(), [secret('openai', { other: 'x' }), modelConfig()], 'has no key "key"'],
    [
      'ConfigMapNotFound',
      agentObj({ systemMessage: undefined, systemMessageFrom: { type: 'ConfigMap', name: 'prompts', key: 'p' } }),
      base(),
      'ConfigMap team/prompts',
    ],
    [
      'ToolServerNotFound',
      agentObj({ tools: [{ type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'kube' } }] }),
      base(),
      'RemoteMCPServer team/kube',
    ],
    ['AgentNotFound', agentObj({ tools: [{ type: 'Agent', agent: { name: 'other' } }] }), base(), 'Agent team/other'],
    [
      'CrossNamespaceNotAllowed',
      agentObj({
        tools: [{ type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'kube', namespace: 'tools' } }],
      }),
      [...base(), rms('kube', 'tools')],
      'RemoteMCPServer tools/kube',
    ],
    [
      'InvalidSpec (self reference)',
      agentObj({ tools: [{ type: 'Agent', agent: { name: 'helper' } }] }),
      base(),
      'itself',
    ],
    ['InvalidSpec (no system message)', agentObj({ systemMessage: undefined }), base(), 'systemMessage'],
  ];
  for (const [label, parent, related, naming] of cases) {
    it(`${label}: message names the object, no children invented`, () => {
      const res = syncAgent(request(parent, related), opts);
      const a = cond(res, 'Accepted');
      expect(a.status).toBe('False');
      expect(a.reason).toBe(label.split(' ')[0]);
      expect(a.message).toContain(naming);
      expect(res.children).toEqual([]);
    });
  }

  it('never puts a secret value into a message', () => {
    const parent = agentObj({
      tools: [
        {
          type: 'McpServer',
          mcpServer: { kind: 'RemoteMCPServer', name: 'kube' },
          headersFrom: [{ name: 'X', valueFrom: { type: 'Secret', name: 'hdr', key: 'missing' } }],
        },
      ],
    });
    const res = syncAgent(
      request(parent, [...base(), secret('hdr', { other: 'TOPSECRET' }), rms('kube', 'team')]),
      opts,
    );
    expect(cond(res, 'Accepted').reason).toBe('SecretNotFound');
    expect(JSON.stringify(res)).not.toContain('TOPSECRET');
  });
});

describe('syncAgent: keep-last-good', () => {
  const good = syncAgent(request(agentObj(), base()), opts);
  const observed = asObserved(good.children, 1);

  it('returns the observed children exactly as last applied when the ModelConfig disappears', () => {
    const res = syncAgent(request(agentObj(), [secret('openai', { key: 'sk-1' })], observed), opts);
    expect(cond(res, 'Accepted')).toMatchObject({ status: 'False', reason: 'ModelConfigNotFound' });
    const sortKey = (o: KubeObject) => `${o.kind}.${o.apiVersion}`;
    expect([...res.children].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
      [...good.children].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );
    expect(cond(res, 'Ready')).toMatchObject({ status: 'True', reason: 'DeploymentReady' });
  });

  it('without the last-applied annotation, returns observed children stripped of server fields and status', () => {
    const bare = observed.map((o) => ({ ...o, metadata: { ...o.metadata, annotations: undefined }, status: { x: 1 } }));
    const res = syncAgent(request(agentObj(), [], bare), opts);
    expect(res.children).toHaveLength(4);
    for (const c of res.children) {
      expect(c.status).toBeUndefined();
      expect(c.metadata.uid).toBeUndefined();
      expect(c.metadata.resourceVersion).toBeUndefined();
    }
  });
});

describe('syncAgent: Ready', () => {
  const good = syncAgent(request(agentObj(), base()), opts);
  it('on the first sync (Deployment desired, not yet observed) already what the next sync says: 0/1 ready', () => {
    expect(cond(good, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'DeploymentNotReady',
      message: '0/1 replicas ready',
    });
    const next = syncAgent(request(agentObj(), base(), asObserved(good.children, 0)), opts);
    expect(next.status).toEqual(good.status);
  });
  it('DeploymentNotFound when there is no Deployment, observed or desired', () => {
    const res = syncAgent(request(agentObj(), []), opts);
    expect(cond(res, 'Accepted')).toMatchObject({ status: 'False' });
    expect(res.children).toEqual([]);
    expect(cond(res, 'Ready')).toMatchObject({ status: 'False', reason: 'DeploymentNotFound' });
  });
  it('DeploymentNotReady with x/y replicas ready', () => {
    const res = syncAgent(request(agentObj(), base(), asObserved(good.children, 0)), opts);
    expect(cond(res, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'DeploymentNotReady',
      message: '0/1 replicas ready',
    });
  });
  it('DeploymentReady when all replicas are ready', () => {
    const res = syncAgent(request(agentObj(), base(), asObserved(good.children, 1)), opts);
    expect(cond(res, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'DeploymentReady',
      message: '1/1 replicas ready',
    });
  });
});

describe('syncAgent: lastTransitionTime', () => {
  it('keeps the observed time while the status is unchanged, and takes the newest observed timestamp on a change', () => {
    const parent = agentObj();
    parent.metadata.managedFields = [{ manager: 'kubectl', operation: 'Update', time: '2026-02-02T10:00:00Z' }];
    const first = syncAgent(request(parent, base()), opts);
    expect(cond(first, 'Accepted').lastTransitionTime).toBe('2026-02-02T10:00:00Z');

    // Later sync: same outcome, newer writes visible; the time must not move.
    const later = { ...structuredClone(parent), status: first.status };
    later.metadata.managedFields = [{ manager: 'kubectl', operation: 'Update', time: '2026-03-03T10:00:00Z' }];
    const second = syncAgent(request(later, base()), opts);
    expect(cond(second, 'Accepted').lastTransitionTime).toBe('2026-02-02T10:00:00Z');
    expect(JSON.stringify(second.status)).toBe(JSON.stringify(first.status));

    // A transition (ModelConfig gone) takes the newest timestamp in the request.
    const mcGone = syncAgent(request(later, [secret('openai', { key: 'sk-1' })]), opts);
    expect(cond(mcGone, 'Accepted')).toMatchObject({ status: 'False', lastTransitionTime: '2026-03-03T10:00:00Z' });
    // Ready did not change status (False -> False): its time stays.
    expect(cond(mcGone, 'Ready').lastTransitionTime).toBe(cond(first, 'Ready').lastTransitionTime);
  });
});

describe('syncAgent: pod-template hash', () => {
  const hash = (related: KubeObject[], parent = agentObj()) =>
    podTemplate(syncAgent(request(parent, related), opts)).metadata.annotations[CONFIG_HASH_ANNOTATION];

  it('changes when the API key Secret is rotated, although config.json does not', () => {
    const before = syncAgent(request(agentObj(), base()), opts);
    const after = syncAgent(request(agentObj(), [secret('openai', { key: 'sk-2' }), modelConfig()]), opts);
    expect(configOf(after)).toEqual(configOf(before));
    expect(podTemplate(after).metadata.annotations[CONFIG_HASH_ANNOTATION]).not.toBe(
      podTemplate(before).metadata.annotations[CONFIG_HASH_ANNOTATION],
    );
  });

  it('changes with the model, and not with an unrelated Secret or an unrelated key of the same Secret', () => {
    const h0 = hash(base());
    expect(hash([secret('openai', { key: 'sk-1' }), modelConfig({ model: 'gpt-4.1' })])).not.toBe(h0);
    expect(hash([...base(), secret('unrelated', { a: 'b' })])).toBe(h0);
    expect(hash([secret('openai', { key: 'sk-1', other: 'x' }), modelConfig()])).toBe(h0);
  });

  it('changes when a headersFrom Secret value rotates', () => {
    const parent = agentObj({
      tools: [
        {
          type: 'McpServer',
          mcpServer: { kind: 'RemoteMCPServer', name: 'kube' },
          headersFrom: [{ name: 'Authorization', valueFrom: { type: 'Secret', name: 'tok', key: 't' } }],
        },
      ],
    });
    const h1 = hash([...base(), rms('kube', 'team'), secret('tok', { t: 'a' })], parent);
    const h2 = hash([...base(), rms('kube', 'team'), secret('tok', { t: 'b' })], parent);
    expect(h1).not.toBe(h2);
  });
});

describe('syncAgent: cross-namespace rules', () => {
  const toolRef = {
    type: 'McpServer',
    mcpServer: { kind: 'RemoteMCPServer', name: 'kube', namespace: 'tools', toolNames: ['list_pods'] },
  };
  const teamNs: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team', labels: { tier: 'prod' } },
  };
  const run = (allowed: unknown, extra: KubeObject[] = []) =>
    syncAgent(
      request(agentObj({ tools: [toolRef] }), [
        ...base(),
        rms('kube', 'tools', allowed ? { allowedNamespaces: allowed } : {}),
        ...extra,
      ]),
      opts,
    );

  it('Same (the default) refuses another namespace', () => {
    expect(cond(run(undefined), 'Accepted')).toMatchObject({ status: 'False', reason: 'CrossNamespaceNotAllowed' });
    expect(cond(run({ from: 'Same' }), 'Accepted').reason).toBe('CrossNamespaceNotAllowed');
  });
  it('All admits every namespace', () => {
    const res = run({ from: 'All' });
    expect(cond(res, 'Accepted').status).toBe('True');
    expect((configOf(res).http_tools as { params: { url: string } }[])[0].params.url).toBe(
      'http://kube.tools:3000/mcp',
    );
  });
  it('Selector admits a namespace whose labels match, and refuses otherwise', () => {
    expect(
      cond(run({ from: 'Selector', selector: { matchLabels: { tier: 'prod' } } }, [teamNs]), 'Accepted').status,
    ).toBe('True');
    expect(
      cond(run({ from: 'Selector', selector: { matchLabels: { tier: 'dev' } } }, [teamNs]), 'Accepted').reason,
    ).toBe('CrossNamespaceNotAllowed');
    expect(
      cond(
        run(
          {
            from: 'Selector',
            selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['prod', 'stage'] }] },
          },
          [teamNs],
        ),
        'Accepted',
      ).status,
    ).toBe('True');
    // Without the Namespace object the selector cannot be evaluated: refuse.
    expect(cond(run({ from: 'Selector', selector: { matchLabels: { tier: 'prod' } } }), 'Accepted').reason).toBe(
      'CrossNamespaceNotAllowed',
    );
  });
  it('applies to agents used as tools, and names them ns__NS__name', () => {
    const other: KubeObject = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'k8s-agent', namespace: 'ops' },
      spec: { type: 'Declarative', description: 'k8s', allowedNamespaces: { from: 'All' } },
    };
    const res = syncAgent(
      request(agentObj({ tools: [{ type: 'Agent', agent: { name: 'k8s-agent', namespace: 'ops' } }] }), [
        ...base(),
        other,
      ]),
      opts,
    );
    expect(configOf(res).remote_agents).toEqual([
      { name: 'ops__NS__k8s_agent', url: 'http://k8s-agent.ops:8080', description: 'k8s' },
    ]);
    const denied = syncAgent(
      request(agentObj({ tools: [{ type: 'Agent', agent: { name: 'k8s-agent', namespace: 'ops' } }] }), [
        ...base(),
        { ...other, spec: { type: 'Declarative' } },
      ]),
      opts,
    );
    expect(cond(denied, 'Accepted').reason).toBe('CrossNamespaceNotAllowed');
  });
});

describe('syncAgent: UnsupportedFeatures', () => {
  it('is False when every field is honoured and lists accepted-but-ignored fields otherwise', () => {
    expect(cond(syncAgent(request(agentObj(), base()), opts), 'UnsupportedFeatures')).toMatchObject({
      status: 'False',
    });
    expect(
      cond(syncAgent(request(agentObj({ memory: { modelConfig: 'mc' } }), base()), opts), 'UnsupportedFeatures'),
    ).toMatchObject({ status: 'False' });
    const res = syncAgent(request(agentObj({ executeCodeBlocks: true }), base()), opts);
    const u = cond(res, 'UnsupportedFeatures');
    expect(u.status).toBe('True');
    expect(u.message).toContain('spec.declarative.executeCodeBlocks');
    expect(cond(res, 'Accepted').status).toBe('True');
  });
});
