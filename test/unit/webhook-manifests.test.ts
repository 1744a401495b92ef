// The webhooks' install manifests hold what a production install needs (replicas, probes, hardening, failure policy,
// certificate); read as data so that a careless edit fails.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const dir = fileURLToPath(new URL('../../manifests/', import.meta.url));
type Obj = Record<string, any>;
const load = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(dir + file, 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
const one = (file: string, kind: string): Obj => {
  const found = load(file).filter((o) => o.kind === kind);
  expect(found, `${kind} in ${file}`).toHaveLength(1);
  return found[0];
};

describe('webhook manifests', () => {
  it('Deployment: 2 replicas, probes, non-root, read-only root filesystem, no service-account token', () => {
    const d = one('webhooks/deployment.yaml', 'Deployment');
    expect(d.metadata.namespace).toBe('metagent-system');
    expect(d.spec.replicas).toBe(2);
    const pod = d.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const [c] = pod.containers;
    expect(c.args).toEqual(['webhooks', '--port=9443', '--tls-cert=/tls/tls.crt', '--tls-key=/tls/tls.key']);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.readinessProbe.httpGet).toMatchObject({ scheme: 'HTTPS', path: '/readyz' });
    expect(c.livenessProbe.httpGet).toMatchObject({ scheme: 'HTTPS', path: '/healthz' });
    expect(pod.volumes).toEqual([{ name: 'tls', secret: { secretName: 'metagent-webhooks-tls' } }]);
    expect(one('webhooks/serviceaccount.yaml', 'ServiceAccount').automountServiceAccountToken).toBe(false);
    const pdb = one('webhooks/pdb.yaml', 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
    expect(one('webhooks/service.yaml', 'Service').spec.selector).toEqual(d.spec.selector.matchLabels);
  });

  it('webhook configurations: v1, sideEffects None, failurePolicy Fail, 5s, control plane excluded', () => {
    for (const [kind, path] of [
      ['MutatingWebhookConfiguration', '/mutate'],
      ['ValidatingWebhookConfiguration', '/validate'],
    ]) {
      const cfg = one('webhooks/webhook-configurations.yaml', kind);
      expect(cfg.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('metagent-system/metagent-webhooks');
      expect(cfg.webhooks).toHaveLength(1);
      const [w] = cfg.webhooks;
      expect(w).toMatchObject({
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Fail',
        timeoutSeconds: 5,
      });
      expect(w.clientConfig.service).toEqual({
        name: 'metagent-webhooks',
        namespace: 'metagent-system',
        path,
        port: 443,
      });
      expect(w.rules).toEqual([
        {
          apiGroups: ['kagent.dev'],
          apiVersions: ['v1alpha2'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['agents', 'modelconfigs', 'remotemcpservers', 'modelproviderconfigs'],
          scope: 'Namespaced',
        },
      ]);
      expect(w.namespaceSelector.matchExpressions).toEqual([
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['metagent-system'] },
      ]);
    }
  });

  it('cert-manager issues the Secret the Deployment mounts, for the Service name', () => {
    const cert = one('webhooks/cert-manager.yaml', 'Certificate');
    expect(cert.spec.secretName).toBe('metagent-webhooks-tls');
    expect(cert.spec.dnsNames).toContain('metagent-webhooks.metagent-system.svc');
    expect(one('webhooks/cert-manager.yaml', 'Issuer').metadata.name).toBe(cert.spec.issuerRef.name);
  });

  it('the kustomizations list every file of their directory', () => {
    const root = load('kustomization.yaml')[0];
    expect(root.resources).toEqual(
      expect.arrayContaining([
        'namespace.yaml',
        'crds/kagent.dev_agents.yaml',
        'crds/kagent.dev_modelconfigs.yaml',
        'crds/kagent.dev_remotemcpservers.yaml',
        'crds/kagent.dev_modelproviderconfigs.yaml',
        'webhooks',
      ]),
    );
    expect(load('webhooks/kustomization.yaml')[0].resources.sort()).toEqual(
      [
        'cert-manager.yaml',
        'deployment.yaml',
        'pdb.yaml',
        'service.yaml',
        'serviceaccount.yaml',
        'webhook-configurations.yaml',
      ].sort(),
    );
    expect(one('namespace.yaml', 'Namespace').metadata.name).toBe('metagent-system');
  });
});
