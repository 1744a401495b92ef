// The tool server reads nothing as itself: each tool call reads the cluster as the calling agent's ServiceAccount. Its
// own RBAC is exactly what that needs — checking tokens and impersonating ServiceAccounts — and nothing more.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

const dir = new URL('../../manifests/toolserver/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

describe('manifests/toolserver', () => {
  const role = parse(read('clusterrole.yaml')) as { kind: string; rules: Rule[] };

  it('the ClusterRole grants only tokenreviews create and impersonate of serviceaccounts', () => {
    expect(role.kind).toBe('ClusterRole');
    // Every (group, resource, verb) triple the role grants, so a widened list or an extra verb fails here.
    const granted = role.rules
      .flatMap((r) => {
        expect(r.nonResourceURLs).toBeUndefined();
        return r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}.${g}`)));
      })
      .sort();
    expect(granted).toEqual(['create tokenreviews.authentication.k8s.io', 'impersonate serviceaccounts.']);
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

  it('the NetworkPolicy trusts no pod label: any pod may reach the MCP port, the token decides', () => {
    const policy = parse(read('networkpolicy.yaml'));
    const deploy = parse(read('deployment.yaml'));
    const podLabels = deploy.spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels as Record<string, string>))
      expect(podLabels[k]).toBe(v);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.ports).toEqual([{ port: 'http' }]);
    expect(rule.from).toEqual([{ namespaceSelector: {} }]);
  });
});
