// The tool server's RBAC must grant read access to exactly what its tools read — no more (least privilege), no less
// (a kind get_resources offers but cannot read would fail only in a real cluster).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { RESOURCE_KINDS } from '../../toolserver/resources.js';

const dir = new URL('../../manifests/toolserver/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }

describe('manifests/toolserver', () => {
  const role = parse(read('clusterrole.yaml')) as { kind: string; rules: Rule[] };
  const granted = new Set(role.rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))));

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
    expect(kinds).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service', 'ServiceAccount']);
    const sa = docs.find((d) => d.kind === 'ServiceAccount');
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding');
    const deploy = docs.find((d) => d.kind === 'Deployment');
    expect(binding.subjects[0]).toMatchObject({ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace });
    expect(deploy.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    expect(deploy.spec.template.spec.containers[0].args.slice(0, 1)).toEqual(['toolserver']);
  });
});
