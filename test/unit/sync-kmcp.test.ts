// kmcp MCPServer tools (kagent's ConvertMCPServerToRemoteMCPServer): streamable HTTP at /mcp on the deployment's port,
// kagent's 30 s default timeout, same-namespace only; and what the customize hook asks for.
import { describe, expect, it } from 'vitest';
import { customizeAgent } from '../../sync-hooks/agent/customize.js';
import { renderObjects } from '../../sync-hooks/render.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';

const mcpServer = (spec: Record<string, unknown>, namespace = 'team'): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha1',
  kind: 'MCPServer',
  metadata: { name: 'k8s', namespace },
  spec,
});
const agent = (ref: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a', namespace: 'team' },
  spec: {
    type: 'Declarative',
    declarative: {
      systemMessage: 'x',
      modelConfig: 'mc',
      tools: [{ type: 'McpServer', mcpServer: { name: 'k8s', toolNames: ['list_pods'], ...ref } }],
    },
  },
});
const base: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k', namespace: 'team' }, data: { key: 'c2s=' } },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc', namespace: 'team' },
    spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'k', apiKeySecretKey: 'key' },
  },
];
const opts = { runtimeImage: 'img', imagePullPolicy: 'IfNotPresent' };
const httpTools = (items: KubeObject[]) =>
  JSON.parse((items.find((i) => i.kind === 'Secret')!.stringData as Record<string, string>)['config.json']).http_tools;

describe('kmcp MCPServer tools', () => {
  it('become streamable HTTP at /mcp on the deployment port, with kagent’s 30 s default or their own timeout', () => {
    expect(
      httpTools(
        renderObjects([...base, mcpServer({ deployment: { port: 3000 } }), agent({ kind: 'MCPServer' })], opts).items,
      ),
    ).toEqual([{ params: { url: 'http://k8s.team:3000/mcp', headers: {}, timeout: 30 }, tools: ['list_pods'] }]);
    expect(
      httpTools(
        renderObjects([...base, mcpServer({ deployment: { port: 3000 }, timeout: '2m' }), agent({})], opts).items,
      )[0].params.timeout,
    ).toBe(120);
  });

  it('a missing server, a server without a port, or one in another namespace is reported, naming it', () => {
    expect(renderObjects([...base, agent({ kind: 'MCPServer' })], opts).problems).toEqual([
      'Agent team/a is not accepted: ToolServerNotFound: MCPServer team/k8s (kmcp, kagent.dev/v1alpha1) not found',
    ]);
    expect(
      renderObjects([...base, mcpServer({ deployment: {} }), agent({ kind: 'MCPServer' })], opts).problems[0],
    ).toMatch(/InvalidSpec: MCPServer team\/k8s: spec\.deployment\.port is required/);
    expect(
      renderObjects(
        [...base, mcpServer({ deployment: { port: 3000 } }, 'tools'), agent({ kind: 'MCPServer', namespace: 'tools' })],
        opts,
      ).problems[0],
    ).toMatch(/MCPServer tools\/k8s/);
  });

  it('the customize hook asks for the MCPServer by name, also for an mcpServer without a kind (kagent’s default)', () => {
    const controller: KubeObject = {
      apiVersion: 'metacontroller.k8s.io/v1alpha1',
      kind: 'CompositeController',
      metadata: { name: 'agents' },
    };
    for (const ref of [{ kind: 'MCPServer' }, {}]) {
      expect(customizeAgent({ controller, parent: agent(ref) }).relatedResources).toContainEqual({
        apiVersion: 'kagent.dev/v1alpha1',
        resource: 'mcpservers',
        namespace: 'team',
        names: ['k8s'],
      });
    }
  });
});
