// The tool server's RBAC must grant read access to exactly what its tools read — no more (least privilege), no less
// (a kind get_resources offers but cannot read would fail only in a real cluster).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { RESOURCE_KINDS } from '../../toolserver/resources.js';
import { renderObjects } from '../../sync-hooks/render.js';

const dir = new URL('../../manifests/toolserver/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

describe('manifests/toolserver', () => {
  const role = parse(read('clusterrole.yaml')) as { kind: string; rules: Rule[] };
  const granted = new Set(
    role.rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))),
  );

  it('only grants read verbs and never secrets or configmaps', () => {
    expect(role.kind).toBe('ClusterRole');
    for (const r of role.rules) expect(r.verbs.sort()).toEqual(['get', 'list', 'watch']);
    expect([...granted].some((g) => g.startsWith('secrets') || g.startsWith('configmaps'))).toBe(false);
  });

  it('grants every kind the tools read, and pods/log', () => {
    const needed = [...RESOURCE_KINDS.map((k) => `${k.resource}.${k.group}`), 'pods/log.', 'events.', 'namespaces.'];
    const missing = needed.filter((n) => !granted.has(n));
    expect(missing).toEqual([]);
  });

  it('the kustomization lists every manifest, and they bind the same service account', () => {
    const kustomization = parse(read('kustomization.yaml')) as { resources: string[] };
    const docs = kustomization.resources.flatMap((f) => parseAllDocuments(read(f)).map((d) => d.toJS()));
    const kinds = docs.map((d) => d.kind).sort();
    expect(kinds).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'NetworkPolicy',
      'Service',
      'ServiceAccount',
    ]);
    const sa = docs.find((d) => d.kind === 'ServiceAccount');
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding');
    const deploy = docs.find((d) => d.kind === 'Deployment');
    expect(binding.subjects[0]).toMatchObject({
      kind: 'ServiceAccount',
      name: sa.metadata.name,
      namespace: sa.metadata.namespace,
    });
    expect(deploy.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    expect(deploy.spec.template.spec.containers[0].args.slice(0, 1)).toEqual(['toolserver']);
  });

  it('the NetworkPolicy admits exactly the pods of metagent Agents (as the sync hook labels them) to the tool server', () => {
    const policy = parse(read('networkpolicy.yaml'));
    const deploy = parse(read('deployment.yaml'));
    const podLabels = deploy.spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels as Record<string, string>))
      expect(podLabels[k]).toBe(v);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.ports).toEqual([{ port: 'http' }]);
    expect(rule.from).toHaveLength(1);
    expect(rule.from[0].namespaceSelector).toEqual({});
    // An agent pod, as the Agent sync hook builds it, carries every label the rule asks for.
    const { items } = renderObjects(
      [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k', namespace: 'team' }, data: { key: 'c2s=' } },
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'ModelConfig',
          metadata: { name: 'mc', namespace: 'team' },
          spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'k', apiKeySecretKey: 'key' },
        },
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'Agent',
          metadata: { name: 'a', namespace: 'team' },
          spec: { type: 'Declarative', declarative: { systemMessage: 'x', modelConfig: 'mc' } },
        },
      ],
      { runtimeImage: 'img', imagePullPolicy: 'IfNotPresent' },
    );
    const agentPod = (
      items.find((i) => i.kind === 'Deployment')!.spec as { template: { metadata: { labels: Record<string, string> } } }
    ).template.metadata.labels;
    for (const [k, v] of Object.entries(rule.from[0].podSelector.matchLabels as Record<string, string>))
      expect(agentPod[k]).toBe(v);
  });
});
