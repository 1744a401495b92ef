// The Agent customize hook asks for exactly what the Agent references (see sync-hooks/agent/customize.ts for why
// Secrets of ModelConfig / RemoteMCPServer namespaces are asked for by an empty selector).
import { describe, expect, it } from 'vitest';
import { customizeAgent } from '../../sync-hooks/agent/customize.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';

const controller: KubeObject = {
  apiVersion: 'metacontroller.k8s.io/v1alpha1',
  kind: 'CompositeController',
  metadata: { name: 'agents' },
};
const agent = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a', namespace: 'team' },
  spec,
});

describe('customizeAgent', () => {
  it('asks for the ModelConfig and its view Secret, by name, and nothing else for a minimal agent', () => {
    const res = customizeAgent({
      controller,
      parent: agent({ type: 'Declarative', declarative: { systemMessage: 'x', modelConfig: 'mc' } }),
    });
    expect(res.relatedResources).toEqual([
      { apiVersion: 'kagent.dev/v1alpha2', resource: 'modelconfigs', namespace: 'team', names: ['mc'] },
      { apiVersion: 'v1', resource: 'secrets', namespace: 'team', names: ['mc.modelconfig-view'] },
    ]);
  });

  it('defaults the ModelConfig name to default-model-config', () => {
    const res = customizeAgent({
      controller,
      parent: agent({ type: 'Declarative', declarative: { systemMessage: 'x' } }),
    });
    expect(res.relatedResources).toContainEqual({
      apiVersion: 'kagent.dev/v1alpha2',
      resource: 'modelconfigs',
      namespace: 'team',
      names: ['default-model-config'],
    });
  });

  it('asks for every referenced object, grouped per namespace and sorted, plus the own Namespace for cross-namespace tools', () => {
    const res = customizeAgent({
      controller,
      parent: agent({
        type: 'Declarative',
        declarative: {
          modelConfig: 'mc',
          systemMessageFrom: { type: 'ConfigMap', name: 'prompt', key: 'p' },
          promptTemplate: { dataSources: [{ kind: 'ConfigMap', name: 'snippets' }] },
          context: { compaction: { summarizer: { modelConfig: 'small' } } },
          tools: [
            {
              type: 'McpServer',
              mcpServer: { kind: 'RemoteMCPServer', name: 'kube', namespace: 'tools' },
              headersFrom: [{ name: 'H', valueFrom: { type: 'Secret', name: 'hdr', key: 'k' } }],
            },
            { type: 'McpServer', mcpServer: { kind: 'Service', name: 'svc-mcp' } },
            { type: 'Agent', agent: { name: 'b' } },
            { type: 'Agent', agent: { name: 'c', namespace: 'ops' } },
          ],
        },
      }),
    });
    expect(res.relatedResources).toEqual([
      { apiVersion: 'kagent.dev/v1alpha2', resource: 'agents', namespace: 'ops', names: ['c'] },
      { apiVersion: 'kagent.dev/v1alpha2', resource: 'agents', namespace: 'team', names: ['b'] },
      { apiVersion: 'kagent.dev/v1alpha2', resource: 'modelconfigs', namespace: 'team', names: ['mc', 'small'] },
      { apiVersion: 'kagent.dev/v1alpha2', resource: 'remotemcpservers', namespace: 'tools', names: ['kube'] },
      { apiVersion: 'v1', resource: 'configmaps', namespace: 'team', names: ['prompt', 'snippets'] },
      { apiVersion: 'v1', resource: 'namespaces', names: ['team'] },
      {
        apiVersion: 'v1',
        resource: 'secrets',
        namespace: 'team',
        names: ['hdr', 'mc.modelconfig-view', 'small.modelconfig-view'],
      },
      { apiVersion: 'v1', resource: 'secrets', namespace: 'tools', names: ['kube.remotemcpserver-view'] },
      { apiVersion: 'v1', resource: 'services', namespace: 'team', names: ['svc-mcp'] },
    ]);
  });

  it('never asks for Secrets or ConfigMaps without names, whatever the Agent uses (with and without a proxy)', () => {
    const parent = agent({
      type: 'Declarative',
      declarative: {
        modelConfig: 'mc',
        memory: { modelConfig: 'emb' },
        tools: [
          { type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'kube' } },
          { type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'far', namespace: 'tools' } },
          { type: 'McpServer', mcpServer: { name: 'kmcp' } },
        ],
      },
    });
    for (const opts of [{}, { proxyUrl: 'http://proxy.kagent:8080' }]) {
      for (const rule of customizeAgent({ controller, parent }, opts).relatedResources ?? []) {
        if (rule.resource === 'secrets' || rule.resource === 'configmaps') {
          expect(rule.names?.length, JSON.stringify(rule)).toBeGreaterThan(0);
          expect(rule).not.toHaveProperty('labelSelector');
        }
      }
    }
  });

  it('asks for nothing for a BYO agent', () => {
    expect(
      customizeAgent({ controller, parent: agent({ type: 'BYO', byo: { deployment: { image: 'x' } } }) })
        .relatedResources,
    ).toEqual([]);
  });

  it('is deterministic', () => {
    const parent = agent({
      type: 'Declarative',
      declarative: {
        modelConfig: 'mc',
        tools: [
          { type: 'Agent', agent: { name: 'z' } },
          { type: 'Agent', agent: { name: 'y' } },
        ],
      },
    });
    expect(JSON.stringify(customizeAgent({ controller, parent }))).toBe(
      JSON.stringify(customizeAgent({ controller, parent })),
    );
  });
});
