// normalize() decides what the differential test compares: it may drop only what the API server or
// kube-controller-manager sets, and must keep every field a controller chooses.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { normalize } from '../metacontroller/scenario-data.js';

const uids = new Map([['1111-aaaa', 'Agent/helper']]);
const deployment = (over: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'helper',
      namespace: 'ns',
      uid: 'dep-uid',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2026-12-03T09:00:00Z',
      managedFields: [{ manager: 'metacontroller' }],
      labels: { 'controller-uid': '1111-aaaa' },
      annotations: {
        'deployment.kubernetes.io/revision': '2',
        'metacontroller.k8s.io/last-applied-configuration': '{"metadata":{"labels":{"controller-uid":"1111-aaaa"}}}',
      },
      ownerReferences: [
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'Agent',
          name: 'helper',
          uid: '1111-aaaa',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'agent', image: 'a:1' }] } } },
    status: { replicas: 1 },
    ...over,
  }) as unknown as KubeObject;

describe('normalize (the differential test comparison)', () => {
  it('drops server-set metadata, the revision annotation and a child status; names parent uids', () => {
    expect(normalize(deployment(), uids)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'helper',
        namespace: 'ns',
        labels: { 'controller-uid': '<uid of Agent/helper>' },
        annotations: {
          'metacontroller.k8s.io/last-applied-configuration':
            '{"metadata":{"labels":{"controller-uid":"<uid of Agent/helper>"}}}',
        },
        ownerReferences: [
          {
            apiVersion: 'kagent.dev/v1alpha2',
            kind: 'Agent',
            name: 'helper',
            uid: '<uid of Agent/helper>',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'agent', image: 'a:1' }] } } },
    });
  });

  it('still sees a difference in anything a controller chooses', () => {
    const base = normalize(deployment(), uids);
    expect(
      normalize(
        deployment({ spec: { replicas: 2, template: { spec: { containers: [{ name: 'agent', image: 'a:1' }] } } } }),
        uids,
      ),
    ).not.toEqual(base);
    const relabelled = deployment();
    relabelled.metadata.labels = { 'controller-uid': 'other' };
    expect(normalize(relabelled, uids)).not.toEqual(base);
  });

  it("keeps a parent's status, with times made comparable", () => {
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'helper', uid: '1111-aaaa' },
      status: {
        observedGeneration: 2,
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Reconciled', lastTransitionTime: '2026-12-03T09:00:01Z' },
        ],
      },
    } as unknown as KubeObject;
    expect(normalize(agent, uids)).toEqual({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'helper' },
      status: {
        observedGeneration: 2,
        conditions: [{ type: 'Accepted', status: 'True', reason: 'Reconciled', lastTransitionTime: '<time>' }],
      },
    });
  });
});
