// The API's TS types are derived from the schema (crds/schema/builders.ts TypeOf). The type-level assertions below are
// checked by `npm run typecheck` (tests are type-checked); each @ts-expect-error fails the typecheck when the derived
// type stops refusing that shape. The run-time assertions check that objects written against the types are what the
// schema accepts.
import type { V1LabelSelector, V1Toleration, V1VolumeMount } from '@kubernetes/client-node';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { validate, type Agent, type ModelConfig, type RemoteMCPServer } from '../../crds/index.js';
import type { AgentType, ModelProvider, ObjectMeta, Tool, ToolType, Condition } from '../../crds/types.js';
import type { Json, TypeOf } from '../../crds/schema/builders.js';
import type { toleration, volumeMount, labelSelector } from '../../crds/schema/kube.js';
import { AGENT_TYPES, TOOL_TYPES } from '../../crds/schema/agent.js';
import { PROVIDERS } from '../../crds/schema/modelconfig.js';

const agent: Agent = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a', namespace: 'ns', labels: { app: 'x' }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    type: 'Declarative',
    description: 'An agent',
    declarative: {
      systemMessage: 'You help.',
      modelConfig: 'model',
      runtime: 'go',
      stream: true,
      tools: [
        { type: 'McpServer', mcpServer: { name: 'tools', kind: 'RemoteMCPServer', toolNames: ['a'] } },
        { type: 'Agent', agent: { name: 'other' }, isolateSessions: true },
      ],
      deployment: {
        replicas: 2,
        env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
        volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }],
        volumes: [{ name: 'v', emptyDir: {} }],
        resources: { limits: { cpu: 1, memory: '1Gi' } },
        securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      },
      a2aConfig: { skills: [{ id: 's', name: 'S' }] },
      memory: { modelConfig: 'embed', ttlDays: 3 },
    },
    allowedNamespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } },
  },
  status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] },
};

const model: ModelConfig = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'ModelConfig',
  metadata: { name: 'm', namespace: 'ns' },
  spec: {
    model: 'gpt-4o',
    provider: 'OpenAI',
    apiKeySecret: 'k',
    apiKeySecretKey: 'key',
    openAI: { temperature: '0.2', apiFormat: 'responses', reasoningEffort: 'low' },
  },
};

const server: RemoteMCPServer = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'RemoteMCPServer',
  metadata: { name: 'r', namespace: 'ns' },
  spec: { url: 'https://tools.example/mcp', protocol: 'SSE', timeout: '10s', headersFrom: [{ name: 'X', value: 'y' }] },
};

describe('types derived from the schema', () => {
  it('objects written against the types are valid for the schema', () => {
    expect(validate('Agent', agent)).toEqual([]);
    expect(validate('ModelConfig', model)).toEqual([]);
    expect(validate('RemoteMCPServer', server)).toEqual([]);
  });

  it('enums are the schema lists (compile time; the run-time lists are the same arrays)', () => {
    expectTypeOf<AgentType>().toEqualTypeOf<(typeof AGENT_TYPES)[number]>();
    expectTypeOf<ToolType>().toEqualTypeOf<(typeof TOOL_TYPES)[number]>();
    expectTypeOf<ModelProvider>().toEqualTypeOf<(typeof PROVIDERS)[number]>();
    expect(AGENT_TYPES).toContain(agent.spec.type);
  });

  it('required lists are required keys; everything else is optional', () => {
    expectTypeOf<Agent['spec']['type']>().toEqualTypeOf<AgentType>();
    expectTypeOf<ModelConfig['spec']['model']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Tool['mcpServer']>['name']>().toEqualTypeOf<string>();
    // @ts-expect-error spec.type is required (obj's required list)
    const noType: Agent['spec'] = { description: 'x' };
    // @ts-expect-error url is required for a RemoteMCPServer
    const noUrl: RemoteMCPServer['spec'] = { protocol: 'SSE' };
    // @ts-expect-error not one of the schema's enum values
    const badProvider: ModelConfig['spec'] = { model: 'x', provider: 'OpenAi' };
    // @ts-expect-error a condition needs a status
    const noStatus: Condition = { type: 'Ready' };
    expect([noType, noUrl, badProvider, noStatus].map((v) => typeof v)).toEqual(Array(4).fill('object'));
  });

  it('embedded core/v1 nodes are client-node models as JSON', () => {
    expectTypeOf<TypeOf<typeof toleration>>().toEqualTypeOf<Json<V1Toleration>>();
    expectTypeOf<TypeOf<typeof volumeMount>>().toEqualTypeOf<Json<V1VolumeMount>>();
    expectTypeOf<TypeOf<typeof labelSelector>>().toEqualTypeOf<Json<V1LabelSelector>>();
    // client-node's Date becomes the wire's string
    expectTypeOf<ObjectMeta['creationTimestamp']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error tolerationSeconds is an integer in V1Toleration
    const badToleration: Json<V1Toleration> = { tolerationSeconds: '30' };
    expect(typeof badToleration).toBe('object');
  });
});
