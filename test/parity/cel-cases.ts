// One object per CEL rule of crds/rules.ts that breaks that rule (and passes the structural schema), with the field
// path the API server reports it at. Keyed `<rule id>#<index in the rule's cel list>`; test/unit/crds-cel.test.ts
// fails when a CEL rule has no case here, or a case's object is not refused by the rule's own `check` (the webhook's
// implementation), and test/integration/crds-cel.test.ts applies each to the real API server with no webhook.
import type { KindName } from '../../crds/index.js';

export interface CelCase {
  kind: KindName;
  spec: Record<string, unknown>;
  /** Where the API server reports the failed rule, e.g. spec.declarative.tools[0]. */
  path: string;
}

const decl = (declarative: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  type: 'Declarative',
  declarative: { systemMessage: 'hi', modelConfig: 'm', ...declarative },
  ...extra,
});
const tools = (...list: Record<string, unknown>[]) => decl({ tools: list });
const mcp = { name: 'srv', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev' };
const tls = (t: Record<string, unknown>) => ({ tls: t });
const rmcp = (extra: Record<string, unknown>) => ({ url: 'https://mcp.example/mcp', ...extra });

export const CEL_CASES: Record<string, CelCase> = {
  'agent-declarative-required#0': { kind: 'Agent', spec: { type: 'Declarative' }, path: 'spec' },
  'agent-byo-required#0': { kind: 'Agent', spec: { type: 'BYO' }, path: 'spec' },
  'agent-declarative-forbidden#0': {
    kind: 'Agent',
    spec: { type: 'BYO', byo: { deployment: { image: 'i' } }, declarative: { systemMessage: 'x' } },
    path: 'spec',
  },
  'agent-byo-forbidden#0': { kind: 'Agent', spec: decl({}, { byo: { deployment: { image: 'i' } } }), path: 'spec' },
  'system-message-exclusive#0': {
    kind: 'Agent',
    spec: decl({ systemMessageFrom: { type: 'ConfigMap', name: 'c', key: 'k' } }),
    path: 'spec.declarative',
  },
  'tool-subobject-matches-type#0': {
    kind: 'Agent',
    spec: tools({ type: 'McpServer', mcpServer: mcp }, { type: 'Agent', agent: { name: 'a' }, mcpServer: mcp }),
    path: 'spec.declarative.tools[1]',
  },
  'tool-subobject-matches-type#1': {
    kind: 'Agent',
    spec: tools({ type: 'MCPServer', agent: { name: 'a' } }),
    path: 'spec.declarative.tools[0]',
  },
  'tool-subobject-matches-type#2': {
    kind: 'Agent',
    spec: tools({ type: 'McpServer', mcpServer: mcp, agent: { name: 'a' } }),
    path: 'spec.declarative.tools[0]',
  },
  'tool-subobject-matches-type#3': {
    kind: 'Agent',
    spec: tools({ type: 'Agent', mcpServer: mcp }),
    path: 'spec.declarative.tools[0]',
  },
  'tool-subobject-matches-type#4': {
    kind: 'Agent',
    spec: tools({ mcpServer: mcp, agent: { name: 'a' } }),
    path: 'spec.declarative.tools[0]',
  },
  'require-approval-subset#0': {
    kind: 'Agent',
    spec: tools({ type: 'McpServer', mcpServer: { ...mcp, toolNames: ['get_pod'], requireApproval: ['delete_pod'] } }),
    path: 'spec.declarative.tools[0].mcpServer',
  },
  'isolate-sessions-agent-only#0': {
    kind: 'Agent',
    spec: tools({ type: 'McpServer', mcpServer: mcp, isolateSessions: true }),
    path: 'spec.declarative.tools[0]',
  },
  'tool-headers-value-xor-valuefrom#0': {
    kind: 'Agent',
    spec: tools({ type: 'Agent', agent: { name: 'a' }, headersFrom: [{ name: 'X-A', value: 'v' }, { name: 'X-B' }] }),
    path: 'spec.declarative.tools[0].headersFrom[1]',
  },
  'service-account-exclusive#0': {
    kind: 'Agent',
    spec: decl({ deployment: { serviceAccountName: 'sa', serviceAccountConfig: { labels: { a: 'b' } } } }),
    path: 'spec.declarative.deployment',
  },
  'service-account-exclusive#1': {
    kind: 'Agent',
    spec: { type: 'BYO', byo: { deployment: { image: 'i', serviceAccountName: 'sa', serviceAccountConfig: {} } } },
    path: 'spec.byo.deployment',
  },
  'skills-source#0': { kind: 'Agent', spec: decl({}, { skills: { insecureSkipVerify: true } }), path: 'spec.skills' },
  'agent-allowed-namespaces-selector#0': {
    kind: 'Agent',
    spec: decl({}, { allowedNamespaces: { from: 'Selector' } }),
    path: 'spec.allowedNamespaces',
  },
  // ModelConfig: one case per provider block (the rule's cel list follows PROVIDERS' order).
  ...Object.fromEntries(
    (
      [
        ['openAI', 'Anthropic', {}],
        ['anthropic', 'OpenAI', {}],
        ['azureOpenAI', 'OpenAI', { azureEndpoint: 'https://a', apiVersion: 'v' }],
        ['ollama', 'OpenAI', {}],
        ['gemini', 'OpenAI', {}],
        ['geminiVertexAI', 'OpenAI', { projectID: 'p', location: 'l' }],
        ['anthropicVertexAI', 'OpenAI', { projectID: 'p', location: 'l' }],
        ['bedrock', 'OpenAI', { region: 'us-east-1' }],
        ['sapAICore', 'OpenAI', { baseUrl: 'https://sap' }],
        ['foundry', 'OpenAI', { endpoint: 'https://f', deployment: 'd' }],
      ] as const
    ).map(([field, provider, block], i) => [
      `provider-block-matches-provider#${i}`,
      { kind: 'ModelConfig', spec: { model: 'm', provider, [field]: block }, path: 'spec' } satisfies CelCase,
    ]),
  ),
  'api-key-secret-required#0': { kind: 'ModelConfig', spec: { model: 'm', apiKeySecretKey: 'k' }, path: 'spec' },
  'api-key-secret-key-required#0': {
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Anthropic', apiKeySecret: 's' },
    path: 'spec',
  },
  'api-key-passthrough-exclusive#0': {
    kind: 'ModelConfig',
    spec: { model: 'm', apiKeyPassthrough: true, apiKeySecret: 's', apiKeySecretKey: 'k' },
    path: 'spec',
  },
  'api-key-passthrough-provider#0': {
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Gemini', apiKeyPassthrough: true },
    path: 'spec',
  },
  'token-exchange#0': {
    kind: 'ModelConfig',
    spec: {
      model: 'm',
      openAI: { tokenExchange: { type: 'GDCHServiceAccount', gdchServiceAccount: { audience: 'https://gdc' } } },
    },
    path: 'spec',
  },
  'token-exchange#1': {
    kind: 'ModelConfig',
    spec: {
      model: 'm',
      apiKeySecret: 's',
      apiKeySecretKey: 'k',
      apiKeyPassthrough: true,
      openAI: { tokenExchange: { type: 'GDCHServiceAccount', gdchServiceAccount: { audience: 'https://gdc' } } },
    },
    path: 'spec',
  },
  'token-exchange#2': {
    kind: 'ModelConfig',
    spec: {
      model: 'm',
      apiKeySecret: 's',
      apiKeySecretKey: 'k',
      openAI: { tokenExchange: { type: 'GDCHServiceAccount' } },
    },
    path: 'spec',
  },
  'foundry-endpoint#0': {
    kind: 'ModelConfig',
    spec: {
      model: 'm',
      provider: 'Foundry',
      foundry: { deployment: 'd', endpoint: 'https://f', endpointFrom: { name: 'c', key: 'k' } },
    },
    path: 'spec.foundry',
  },
  'foundry-endpoint#1': {
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Foundry', foundry: { deployment: 'd' } },
    path: 'spec.foundry',
  },
  'openai-max-tokens-exclusive#0': {
    kind: 'ModelConfig',
    spec: { model: 'm', openAI: { maxTokens: 10, maxCompletionTokens: 10 } },
    path: 'spec.openAI',
  },
  'model-config-tls#0': {
    kind: 'ModelConfig',
    spec: { model: 'm', ...tls({ caCertSecretKey: 'ca.crt' }) },
    path: 'spec.tls',
  },
  'model-config-tls#1': {
    kind: 'ModelConfig',
    spec: { model: 'm', ...tls({ caCertSecretRef: 'ca' }) },
    path: 'spec.tls',
  },
  'model-config-tls#2': {
    kind: 'ModelConfig',
    spec: { model: 'm', ...tls({ disableSystemCAs: true }) },
    path: 'spec.tls',
  },
  // RemoteMCPServer
  'no-tls-with-http-url#0': {
    kind: 'RemoteMCPServer',
    spec: { url: 'HTTP://mcp.example/mcp', tls: { disableVerify: true } },
    path: 'spec',
  },
  'remote-mcp-server-tls#0': {
    kind: 'RemoteMCPServer',
    spec: rmcp(tls({ caCertSecretKey: 'ca.crt' })),
    path: 'spec.tls',
  },
  'remote-mcp-server-tls#1': { kind: 'RemoteMCPServer', spec: rmcp(tls({ caCertSecretRef: 'ca' })), path: 'spec.tls' },
  'remote-mcp-server-tls#2': { kind: 'RemoteMCPServer', spec: rmcp(tls({ disableSystemCAs: true })), path: 'spec.tls' },
  'remote-mcp-server-ca-same-namespace#0': {
    kind: 'RemoteMCPServer',
    spec: rmcp({ allowedNamespaces: { from: 'All' }, ...tls({ caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' }) }),
    path: 'spec',
  },
  'server-headers-value-xor-valuefrom#0': {
    kind: 'RemoteMCPServer',
    spec: rmcp({ headersFrom: [{ name: 'X', value: 'v', valueFrom: { type: 'Secret', name: 's', key: 'k' } }] }),
    path: 'spec.headersFrom[0]',
  },
  'server-allowed-namespaces-selector#0': {
    kind: 'RemoteMCPServer',
    spec: rmcp({ allowedNamespaces: { from: 'Selector' } }),
    path: 'spec.allowedNamespaces',
  },
  // ModelProviderConfig
  'provider-secret-required#0': { kind: 'ModelProviderConfig', spec: { type: 'OpenAI' }, path: 'spec' },
};
