// The test control plane itself: the controller manager's controllers run (Deployment -> ReplicaSet, garbage
// collection) and the API server serves CustomResourceDefinitions with a status subresource.
import { it, expect } from 'vitest';
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl, kubectlOk, waitUntil } from '../cluster/kube.js';

describeWithCluster('test cluster', () => {
  it('serves /readyz through its own kubectl', async () => {
    const r = await kubectl(['get', '--raw', '/readyz']);
    expect(r.stdout.trim()).toBe('ok');
  });

  it('creates a ReplicaSet for a Deployment and garbage-collects it when the Deployment goes', async () => {
    const ns = await createNamespace('smoke');
    const kc = kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'settings' }, data: { greeting: 'hello' } },
    });
    const cm = await core.readNamespacedConfigMap({ name: 'settings', namespace: ns });
    expect(cm.data?.greeting).toBe('hello');

    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    let rsName = '';
    await waitUntil('the ReplicaSet of Deployment web', 30_000, async () => {
      const list = await apps.listNamespacedReplicaSet({ namespace: ns });
      const owned = list.items.filter((rs) =>
        rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === 'web'),
      );
      rsName = owned[0]?.metadata?.name ?? '';
      return owned.length === 1;
    });
    expect(rsName).toMatch(/^web-/);

    await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns, body: { propagationPolicy: 'Background' } });
    await waitUntil(`garbage collection of ReplicaSet ${rsName}`, 30_000, async () => {
      const list = await apps.listNamespacedReplicaSet({ namespace: ns });
      return list.items.length === 0;
    });
    await deleteNamespace(ns);
  });

  it('applies a CustomResourceDefinition with a status subresource and reads a custom object back', async () => {
    const ns = await createNamespace('crd');
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.smoke.metagent.test
spec:
  group: smoke.metagent.test
  names: { plural: widgets, singular: widget, kind: Widget }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
            status: { type: object, properties: { phase: { type: string } } }
`;
    await kubectlOk(['apply', '-f', '-'], { input: crd });
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=30s', 'crd/widgets.smoke.metagent.test']);
    const custom = kubeConfig().makeApiClient(CustomObjectsApi);
    const ref = { group: 'smoke.metagent.test', version: 'v1', namespace: ns, plural: 'widgets' };
    // Discovery may lag Established by a moment; retry the first create.
    await waitUntil('widget create', 20_000, async () => {
      await custom.createNamespacedCustomObject({
        ...ref,
        body: {
          apiVersion: 'smoke.metagent.test/v1',
          kind: 'Widget',
          metadata: { name: 'w1' },
          spec: { size: 3 },
          status: { phase: 'ignored' },
        },
      });
      return true;
    });
    // The status subresource makes the main resource ignore status on create...
    const created = (await custom.getNamespacedCustomObject({ ...ref, name: 'w1' })) as {
      spec: { size: number };
      status?: { phase?: string };
    };
    expect(created.spec.size).toBe(3);
    expect(created.status?.phase).toBeUndefined();
    // ...and accept it through /status.
    await custom.patchNamespacedCustomObjectStatus({
      ...ref,
      name: 'w1',
      body: [{ op: 'add', path: '/status', value: { phase: 'Ready' } }],
    });
    const read = (await custom.getNamespacedCustomObject({ ...ref, name: 'w1' })) as { status?: { phase?: string } };
    expect(read.status?.phase).toBe('Ready');
    await deleteNamespace(ns);
  });
});
