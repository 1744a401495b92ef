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
      'ModelConfig/default-model-config',
      'RemoteMCPServer/k8s-toolserver',
    ]);
  });

  it.each(objects.map((o) => [o.source, o] as const))('%s validates', (_source, { object }) => {
    expect(KIND_NAMES).toContain(object.kind);
    expect(validate(object.kind as KindName, object).map(formatFieldError)).toEqual([]);
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
