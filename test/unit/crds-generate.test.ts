import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatedFiles } from '../../crds/generate.js';
import { allCrds } from '../../crds/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('generated CRD YAML', () => {
  it.each(generatedFiles().map((f) => [f.path, f.content] as const))(
    '%s is up to date (run `npm run generate`)',
    (path, content) => {
      expect(readFileSync(root + path, 'utf8')).toBe(content);
    },
  );

  type Node = Record<string, any>;
  function walk(node: Node, path: string, visit: (n: Node, p: string) => void): void {
    visit(node, path);
    for (const [k, v] of Object.entries(node.properties ?? {})) walk(v as Node, `${path}.${k}`, visit);
    if (node.items) walk(node.items, `${path}[]`, visit);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`, visit);
  }

  it.each(allCrds().map((c) => [c.file, c.crd] as const))('%s is structural, described and has no $ref', (_f, crd) => {
    const version = (crd as Node).spec.versions[0];
    expect(version.subresources).toEqual({ status: {} });
    expect(JSON.stringify(crd)).not.toContain('$ref');
    const problems: string[] = [];
    walk(version.schema.openAPIV3Schema, '', (n, p) => {
      const typed = n.type || n['x-kubernetes-int-or-string'];
      if (!typed) problems.push(`${p}: no type`);
      if (p && p !== '.metadata' && !p.endsWith('{}') && !p.endsWith('[]') && !n.description)
        problems.push(`${p}: no description`);
      if (n['x-kubernetes-preserve-unknown-fields'] && n.properties)
        problems.push(`${p}: preserve-unknown with properties`);
      if (n.anyOf && !n['x-kubernetes-int-or-string']) problems.push(`${p}: anyOf outside int-or-string`);
    });
    expect(problems).toEqual([]);
  });

  it('has the names and printer columns kubectl shows', () => {
    const byKind = Object.fromEntries(allCrds().map(({ crd }) => [(crd as Node).spec.names.kind, crd as Node]));
    expect(byKind.ModelConfig.spec.names.shortNames).toEqual(['mc']);
    expect(byKind.RemoteMCPServer.spec.names.shortNames).toEqual(['rmcps']);
    expect(byKind.ModelProviderConfig.spec.names.shortNames).toEqual(['mprov']);
    const cols = (k: string) => byKind[k].spec.versions[0].additionalPrinterColumns.map((c: Node) => c.name);
    expect(cols('Agent')).toEqual(['Type', 'Runtime', 'Ready', 'Accepted', 'Age']);
    expect(cols('ModelProviderConfig')).toEqual(['Type', 'Endpoint', 'Models', 'Ready', 'Age']);
    expect(cols('ModelConfig')).toEqual(['Provider', 'Model', 'Age']);
    expect(cols('RemoteMCPServer')).toEqual(['Protocol', 'URL', 'Accepted', 'Age']);
    for (const { crd } of allCrds())
      expect(
        parse(
          readFileSync(
            root + 'crds/' + `${(crd as Node).metadata.name.split('.')[0]}`.replace(/^/, 'kagent.dev_') + '.yaml',
            'utf8',
          ),
        ),
      ).toEqual(crd);
  });
});
