// The embedded core/v1 structures: the OpenAPI → structural conversion (crds/kube-openapi/structural.ts) on small
// documents, and what crds/schema/kube.ts makes of the committed fragment (the webhook's validation of a bad
// toleration, the client-node model names, the CRD sizes against the API server's limits).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCrds, formatFieldError, unsupportedFields, validate } from '../../crds/index.js';
import { FRAGMENT_FILE, ROOTS } from '../../crds/kube-openapi/generate.js';
import { QUANTITY_PATTERN, toFragment, type Fragment } from '../../crds/kube-openapi/structural.js';
import { container, KUBE_MODELS, resourceRequirements, toleration } from '../../crds/schema/kube.js';

const P = '#/components/schemas/';
const source = { kubernetesVersion: 'v0.0.0', path: '/openapi/v3/api/v1' };
const doc = (schemas: Record<string, object>) => ({ components: { schemas } }) as never;

describe('toFragment', () => {
  it('turns allOf references into $ref + the field description, drops defaults and strategic-merge keys', () => {
    const f = toFragment(
      doc({
        A: {
          type: 'object',
          description: 'A.',
          properties: {
            b: { allOf: [{ $ref: `${P}B` }], default: {}, description: 'The b of A.' },
            bs: {
              type: 'array',
              items: { allOf: [{ $ref: `${P}B` }], default: {} },
              'x-kubernetes-patch-strategy': 'merge',
            },
            n: { type: 'integer', format: 'int32', default: 0 },
          },
        },
        B: { type: 'object', description: 'B.', properties: { s: { type: 'string', enum: ['x', 'y'] } } },
      }),
      ['A'],
      source,
    );
    expect(f.definitions).toEqual({
      A: {
        type: 'object',
        description: 'A.',
        properties: {
          b: { $ref: 'B', description: 'The b of A.' },
          bs: { type: 'array', items: { $ref: 'B' } },
          n: { type: 'integer', format: 'int32' },
        },
      },
      B: { type: 'object', description: 'B.', properties: { s: { type: 'string', enum: ['x', 'y'] } } },
    });
  });

  it('keeps a list-map only when its keys are required (defaults are dropped)', () => {
    const port = {
      type: 'object',
      required: ['containerPort'],
      properties: { containerPort: { type: 'integer', default: 0 }, protocol: { type: 'string', default: 'TCP' } },
    };
    const list = (keys: string[]) => ({
      type: 'array',
      items: { allOf: [{ $ref: `${P}Port` }] },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': keys,
    });
    const f = toFragment(
      doc({
        C: { type: 'object', properties: { ports: list(['containerPort', 'protocol']) } },
        D: { type: 'object', properties: { byPort: list(['containerPort']) } },
        Port: port,
      }),
      ['C', 'D'],
      source,
    );
    expect((f.definitions.C.properties as any).ports).toEqual({ type: 'array', items: { $ref: 'Port' } });
    expect((f.definitions.Port.properties as any).protocol).toEqual({ type: 'string' });
    expect((f.definitions.Port.properties as any).containerPort).toEqual({ type: 'integer' });
    expect((f.definitions.D.properties as any).byPort['x-kubernetes-list-map-keys']).toEqual(['containerPort']);
  });

  it('makes Quantity and IntOrString int-or-string, ObjectMeta free-form', () => {
    const f = toFragment(
      doc({
        R: {
          type: 'object',
          properties: {
            q: { allOf: [{ $ref: `${P}io.k8s.apimachinery.pkg.api.resource.Quantity` }] },
            p: { allOf: [{ $ref: `${P}io.k8s.apimachinery.pkg.util.intstr.IntOrString` }] },
            m: { allOf: [{ $ref: `${P}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` }] },
          },
        },
        'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
        'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { format: 'int-or-string', oneOf: [{ type: 'integer' }] },
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', description: 'Meta.', properties: {} },
      }),
      ['R'],
      source,
    );
    const d = f.definitions;
    expect(d['io.k8s.apimachinery.pkg.api.resource.Quantity']).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      pattern: QUANTITY_PATTERN,
      'x-kubernetes-int-or-string': true,
    });
    expect(d['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    });
    expect(d['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toEqual({
      description: 'Meta.',
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('fails on a keyword it does not know, and on a missing definition, naming where', () => {
    expect(() => toFragment(doc({ A: { type: 'object', not: {} } }), ['A'], source)).toThrow(
      'A: keyword not is not handled',
    );
    expect(() =>
      toFragment(doc({ A: { type: 'object', properties: { b: { $ref: `${P}Gone` } } } }), ['A'], source),
    ).toThrow('definition Gone is not in the document');
  });
});

describe('the committed fragment in the schemas', () => {
  const fragment = JSON.parse(readFileSync(FRAGMENT_FILE, 'utf8')) as Fragment;

  it('holds every root with its descriptions, from the pinned API server', () => {
    expect(fragment.roots).toEqual(ROOTS);
    expect(fragment.source.kubernetesVersion).toBe('v1.34.4');
    expect((toleration.properties as any).tolerationSeconds.description).toBe(
      (fragment.definitions['io.k8s.api.core.v1.Toleration'].properties as any).tolerationSeconds.description,
    );
    // Probes, lifecycle and ports are described, not free-form.
    expect(
      (container.properties as any).readinessProbe.properties.httpGet.properties.port['x-kubernetes-int-or-string'],
    ).toBe(true);
  });

  it('maps each root to its @kubernetes/client-node model', () => {
    expect(KUBE_MODELS.get(toleration)).toBe('V1Toleration');
    expect(KUBE_MODELS.get(container)).toBe('V1Container');
    expect(KUBE_MODELS.get(resourceRequirements)).toBe('V1ResourceRequirements');
    expect(new Set(KUBE_MODELS.values()).size).toBe(ROOTS.length);
  });

  it('the webhook refuses a bad toleration, quantity or container with the field path', () => {
    const agent = (deployment: object) => ({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'n' },
      spec: {
        type: 'Declarative',
        description: 'd',
        declarative: { modelConfig: 'm', systemMessage: 's', deployment },
      },
    });
    const errors = validate(
      'Agent',
      agent({
        tolerations: [{ tolerationSeconds: 'abc', operator: 'Sometimes' }],
        resources: { limits: { memory: 'lots' } },
        extraContainers: [{ image: 'busybox' }],
      }),
    ).map(formatFieldError);
    expect(errors).toEqual(
      expect.arrayContaining([
        'spec.declarative.deployment.tolerations[0].tolerationSeconds: must be an integer (got "abc")',
        'spec.declarative.deployment.tolerations[0].operator: must be one of "Equal", "Exists" (got "Sometimes")',
        'spec.declarative.deployment.resources.limits.memory: must be a quantity such as "500m", "2" or "1Gi" (got "lots")',
        'spec.declarative.deployment.extraContainers[0].name: is required',
      ]),
    );
    expect(validate('Agent', agent({ tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: 5 }] }))).toEqual(
      [],
    );
  });

  it('reports a field newer than the pinned Kubernetes (podCertificate.userAnnotations)', () => {
    const volumes = [
      {
        name: 'c',
        projected: {
          sources: [{ podCertificate: { signerName: 's', keyType: 'ED25519', userAnnotations: { a: 'b' } } }],
        },
      },
    ];
    const obj = { spec: { type: 'BYO', byo: { deployment: { image: 'i', volumes } } } };
    expect(unsupportedFields('Agent', obj)).toEqual([
      'spec.byo.deployment.volumes[0].projected.sources[0].podCertificate.userAnnotations',
    ]);
  });

  it('keeps every CRD under etcd 1.5 MiB request limit', () => {
    for (const { file, crd } of allCrds()) {
      const bytes = Buffer.byteLength(JSON.stringify(crd));
      console.log(`${file}: ${bytes} bytes as JSON`);
      expect(bytes, file).toBeLessThan(1.5 * 1024 * 1024);
    }
  });
});
