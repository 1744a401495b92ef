// The examples/ YAML is what newcomers copy: every object must pass the same validation the admission webhook runs.
import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { validate, formatFieldError, KIND_NAMES, type KindName } from '../../crds/index.js';
import { readManifests } from '../../cli/lib/manifests.js';

const root = fileURLToPath(new URL('../../examples/', import.meta.url));
// Every manifest below examples/, read as `-f examples/ -R` reads it.
const { objects } = readManifests([root], { recursive: true });

describe('examples/', () => {
  it('holds the seed scenario and the other documented examples', () => {
    const names = objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).sort();
    expect(names).toEqual([
      'Agent/incident-triage-agent',
      'Agent/k8s-ops-agent',
      'Agent/my-byo-agent',
      'ClusterRoleBinding/k8s-ops-agent-view',
      'ModelConfig/default-model-config',
      'RemoteMCPServer/k8s-toolserver',
    ]);
  });

  const kagentObjects = objects.filter((o) => o.object.apiVersion !== 'rbac.authorization.k8s.io/v1');
  it.each(kagentObjects.map((o) => [o.source, o] as const))('%s validates', (_source, { object }) => {
    expect(KIND_NAMES).toContain(object.kind);
    expect(validate(object.kind as KindName, object).map(formatFieldError)).toEqual([]);
  });

  it('rbac.yaml grants `view` to the ServiceAccount metagent creates for k8s-ops-agent, whose tool server asks for its token', () => {
    const binding = objects.find((o) => o.object.kind === 'ClusterRoleBinding')!.object as unknown as {
      roleRef: Record<string, string>;
      subjects: Record<string, string>[];
    };
    const agent = objects.find((o) => o.object.metadata.name === 'k8s-ops-agent')!.object;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    // No serviceAccountName in the Agent: its ServiceAccount is named after it, in its namespace.
    expect(JSON.stringify(agent.spec)).not.toContain('serviceAccountName');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: agent.metadata.name, namespace: agent.metadata.namespace },
    ]);
    const server = objects.find((o) => o.object.kind === 'RemoteMCPServer')!.object;
    expect(server.metadata.annotations).toEqual({
      'metagent.dev/service-account-token-audience': 'metagent-toolserver',
    });
  });

  it('the k8s-ops-agent uses the tool server tools of the scenario, and the triage agent uses it as a tool', () => {
    const ops = objects.find((o) => o.object.metadata.name === 'k8s-ops-agent')!.object as unknown as {
      spec: { declarative: { tools: { mcpServer?: { name: string; toolNames: string[] } }[] } };
    };
    expect(ops.spec.declarative.tools[0].mcpServer).toMatchObject({
      name: 'k8s-toolserver',
      toolNames: ['list_pods', 'describe_pod', 'get_pod_logs', 'get_events'],
    });
    const triage = objects.find((o) => o.object.metadata.name === 'incident-triage-agent')!.object as unknown as {
      spec: { declarative: { tools: { type: string; agent?: { name: string } }[] } };
    };
    expect(triage.spec.declarative.tools[0]).toEqual({ type: 'Agent', agent: { name: 'k8s-ops-agent' } });
  });

  it('a broken copy of an example is rejected with a field path (the check can fail)', () => {
    const ops = structuredClone(objects.find((o) => o.object.metadata.name === 'k8s-ops-agent')!.object) as Record<
      string,
      any
    >;
    ops.spec.type = 'Imperative';
    expect(validate('Agent', ops).map(formatFieldError).join('\n')).toContain('spec.type');
  });
});
