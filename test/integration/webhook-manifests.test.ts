// manifests/ renders with kubectl's kustomize and the API server accepts every object in it (server-side dry run),
// except cert-manager's kinds, whose CRDs the test cluster does not have. The namespace is renamed to a unique one
// so that this never touches a real metagent-system other tests may use.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { describeWithCluster } from '../cluster/vitest.js';
import { kubectl } from '../cluster/kube.js';

const manifests = fileURLToPath(new URL('../../manifests/', import.meta.url));

describeWithCluster('install manifests', () => {
  it('render with kustomize and pass a server-side dry run', async () => {
    const rendered = await kubectl(['kustomize', manifests]);
    expect(rendered.stderr).toBe('');
    const ns = `metagent-dry-${randomBytes(3).toString('hex')}`;
    const objects = parseAllDocuments(rendered.stdout)
      .map((d) => d.toJS() as Record<string, any>)
      .filter((o) => !String(o.apiVersion).startsWith('cert-manager.io/'));
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace',
        'CustomResourceDefinition',
        'Deployment',
        'Service',
        'PodDisruptionBudget',
        'MutatingWebhookConfiguration',
        'ValidatingWebhookConfiguration',
      ]),
    );
    const text = objects
      .map((o) => {
        // Cluster-scoped names must not collide with other test files either.
        const copy = JSON.parse(JSON.stringify(o).replaceAll('metagent-system', ns));
        if (o.kind.endsWith('WebhookConfiguration')) copy.metadata.name = `${o.metadata.name}-${ns}`;
        return JSON.stringify(copy);
      })
      .join('\n---\n');
    // The namespace has to exist for the namespaced objects' dry run; create it for real, then the rest dry.
    const nsObj = objects.find((o) => o.kind === 'Namespace')!;
    const created = await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ ...nsObj, metadata: { ...nsObj.metadata, name: ns } }),
    });
    expect(created.code).toBe(0);
    try {
      const dry = await kubectl(
        [
          'apply',
          '--server-side',
          '--force-conflicts',
          '--dry-run=server',
          '--field-manager=metagent-dry-run',
          '-f',
          '-',
        ],
        { input: text },
      );
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      expect(dry.stdout.split('\n').filter(Boolean)).toHaveLength(objects.length);
    } finally {
      await kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });
});
