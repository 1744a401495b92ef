// One case (or more) per cross-field rule, each asserting the exact message; a final test checks that every rule in
// crds/rules.ts is covered here.
import { describe, expect, it } from 'vitest';
import { formatFieldError, RULES, validate, type KindName } from '../../crds/index.js';

interface Case {
  rule: string;
  kind: KindName;
  spec: Record<string, unknown>;
  errors: string[];
}

const decl = (declarative: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'Declarative',
  declarative: { systemMessage: 'hi', modelConfig: 'm', ...declarative },
  ...extra,
});
const mcpTool = (mcpServer: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'McpServer',
  mcpServer: { name: 'srv', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev', ...mcpServer },
  ...extra,
});

const cases: Case[] = [
  {
    rule: 'agent-declarative-required',
    kind: 'Agent',
    spec: { type: 'Declarative' },
    errors: ['spec.declarative: is required when type is Declarative'],
  },
  {
    rule: 'agent-declarative-required',
    kind: 'Agent',
    spec: {},
    errors: ['spec.declarative: is required when type is Declarative'],
  },
  {
    rule: 'agent-byo-required',
    kind: 'Agent',
    spec: { type: 'BYO' },
    errors: ['spec.byo: is required when type is BYO'],
  },
  {
    rule: 'agent-declarative-forbidden',
    kind: 'Agent',
    spec: { type: 'BYO', byo: { deployment: { image: 'i' } }, declarative: {} },
    errors: ['spec.declarative: must not be set when type is BYO'],
  },
  {
    rule: 'agent-byo-forbidden',
    kind: 'Agent',
    spec: decl({}, { byo: {} }),
    errors: ['spec.byo: must not be set when type is Declarative'],
  },
  {
    rule: 'system-message-exclusive',
    kind: 'Agent',
    spec: decl({ systemMessageFrom: { type: 'ConfigMap', name: 'c', key: 'k' } }),
    errors: ['spec.declarative.systemMessageFrom: systemMessage and systemMessageFrom are mutually exclusive'],
  },
  {
    rule: 'tool-subobject-matches-type',
    kind: 'Agent',
    spec: decl({ tools: [{ type: 'McpServer', agent: { name: 'a' } }] }),
    errors: [
      'spec.declarative.tools[0].mcpServer: is required when type is McpServer',
      'spec.declarative.tools[0].agent: must not be set when type is McpServer',
    ],
  },
  {
    rule: 'tool-subobject-matches-type',
    kind: 'Agent',
    spec: decl({ tools: [mcpTool({}), { type: 'Agent', mcpServer: { name: 's' } }] }),
    errors: [
      'spec.declarative.tools[1].agent: is required when type is Agent',
      'spec.declarative.tools[1].mcpServer: must not be set when type is Agent',
    ],
  },
  {
    rule: 'tool-subobject-matches-type',
    kind: 'Agent',
    spec: decl({ tools: [{ headersFrom: [] }, { agent: { name: 'a' }, mcpServer: { name: 's' } }] }),
    errors: [
      'spec.declarative.tools[0]: exactly one of mcpServer or agent must be set',
      'spec.declarative.tools[1]: exactly one of mcpServer or agent must be set',
    ],
  },
  {
    rule: 'require-approval-subset',
    kind: 'Agent',
    spec: decl({
      tools: [
        { type: 'Agent', agent: { name: 'a' } },
        mcpTool({ toolNames: ['get_pod', 'list_pods'], requireApproval: ['delete_pod', 'get_pod', 'scale'] }),
      ],
    }),
    errors: [
      'spec.declarative.tools[1].mcpServer.requireApproval[0]: "delete_pod" is not in toolNames',
      'spec.declarative.tools[1].mcpServer.requireApproval[2]: "scale" is not in toolNames',
    ],
  },
  {
    rule: 'isolate-sessions-agent-only',
    kind: 'Agent',
    spec: decl({ tools: [mcpTool({}, { isolateSessions: true })] }),
    errors: ['spec.declarative.tools[0].isolateSessions: is only valid for Agent tools'],
  },
  {
    rule: 'tool-headers-value-xor-valuefrom',
    kind: 'Agent',
    spec: decl({
      tools: [
        mcpTool(
          {},
          {
            headersFrom: [
              { name: 'A', value: 'x' },
              { name: 'B' },
              { name: 'C', value: 'x', valueFrom: { type: 'Secret', name: 's', key: 'k' } },
            ],
          },
        ),
      ],
    }),
    errors: [
      'spec.declarative.tools[0].headersFrom[1]: exactly one of value or valueFrom must be set',
      'spec.declarative.tools[0].headersFrom[2]: exactly one of value or valueFrom must be set',
    ],
  },
  {
    rule: 'service-account-exclusive',
    kind: 'Agent',
    spec: decl({ deployment: { serviceAccountName: 'sa', serviceAccountConfig: { labels: { a: 'b' } } } }),
    errors: [
      'spec.declarative.deployment.serviceAccountConfig: serviceAccountName and serviceAccountConfig are mutually exclusive',
    ],
  },
  {
    rule: 'service-account-exclusive',
    kind: 'Agent',
    spec: { type: 'BYO', byo: { deployment: { image: 'i', serviceAccountName: 'sa', serviceAccountConfig: {} } } },
    errors: [
      'spec.byo.deployment.serviceAccountConfig: serviceAccountName and serviceAccountConfig are mutually exclusive',
    ],
  },
  {
    rule: 'skills-source',
    kind: 'Agent',
    spec: decl({}, { skills: { insecureSkipVerify: true } }),
    errors: ['spec.skills: at least one of refs, gitRefs or s3Refs must be set'],
  },
  {
    rule: 'agent-allowed-namespaces-selector',
    kind: 'Agent',
    spec: decl({}, { allowedNamespaces: { from: 'Selector' } }),
    errors: ['spec.allowedNamespaces.selector: is required when from is Selector'],
  },
  {
    rule: 'provider-block-matches-provider',
    kind: 'ModelConfig',
    spec: { model: 'm', anthropic: { maxTokens: 5 }, ollama: {} },
    errors: [
      'spec.anthropic: must not be set when provider is OpenAI (it is for provider Anthropic)',
      'spec.ollama: must not be set when provider is OpenAI (it is for provider Ollama)',
    ],
  },
  {
    rule: 'api-key-secret-required',
    kind: 'ModelConfig',
    spec: { model: 'm', apiKeySecretKey: 'k' },
    errors: ['spec.apiKeySecret: is required when apiKeySecretKey is set'],
  },
  {
    rule: 'api-key-secret-key-required',
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Anthropic', apiKeySecret: 's' },
    errors: ['spec.apiKeySecretKey: is required when apiKeySecret is set (except for Bedrock and SAPAICore)'],
  },
  {
    rule: 'api-key-passthrough-exclusive',
    kind: 'ModelConfig',
    spec: { model: 'm', apiKeyPassthrough: true, apiKeySecret: 's', apiKeySecretKey: 'k' },
    errors: ['spec.apiKeyPassthrough: apiKeyPassthrough and apiKeySecret are mutually exclusive'],
  },
  {
    rule: 'api-key-passthrough-provider',
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Gemini', apiKeyPassthrough: true },
    errors: ['spec.apiKeyPassthrough: is not supported with provider Gemini'],
  },
  {
    rule: 'token-exchange',
    kind: 'ModelConfig',
    spec: { model: 'm', apiKeyPassthrough: true, openAI: { tokenExchange: { type: 'GDCHServiceAccount' } } },
    errors: [
      'spec.openAI.tokenExchange: requires apiKeySecret (the service account secret)',
      'spec.openAI.tokenExchange: tokenExchange and apiKeyPassthrough are mutually exclusive',
      'spec.openAI.tokenExchange.gdchServiceAccount: is required when type is GDCHServiceAccount',
    ],
  },
  {
    rule: 'foundry-endpoint',
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Foundry', foundry: { deployment: 'd' } },
    errors: ['spec.foundry: exactly one of endpoint or endpointFrom must be set'],
  },
  {
    rule: 'model-config-tls',
    kind: 'ModelConfig',
    spec: { model: 'm', tls: { caCertSecretKey: 'ca.crt', disableSystemCAs: true } },
    errors: [
      'spec.tls.caCertSecretRef: is required when caCertSecretKey is set',
      'spec.tls.disableSystemCAs: requires caCertSecretRef or disableVerify (trusting no CA at all would reject every server)',
    ],
  },
  {
    rule: 'model-config-tls',
    kind: 'ModelConfig',
    spec: { model: 'm', tls: { caCertSecretRef: 'ca' } },
    errors: ['spec.tls.caCertSecretKey: is required when caCertSecretRef is set'],
  },
  {
    rule: 'no-tls-with-http-url',
    kind: 'RemoteMCPServer',
    spec: { url: 'http://mcp.tools:8084/mcp', tls: { disableVerify: true } },
    errors: ['spec.tls: must not be set with an http:// URL (use https:// or remove tls)'],
  },
  {
    rule: 'remote-mcp-server-tls',
    kind: 'RemoteMCPServer',
    spec: { url: 'https://mcp', tls: { caCertSecretRef: 'ca' } },
    errors: ['spec.tls.caCertSecretKey: is required when caCertSecretRef is set'],
  },
  {
    rule: 'server-headers-value-xor-valuefrom',
    kind: 'RemoteMCPServer',
    spec: { url: 'https://mcp', headersFrom: [{ name: 'Authorization' }] },
    errors: ['spec.headersFrom[0]: exactly one of value or valueFrom must be set'],
  },
  {
    rule: 'server-allowed-namespaces-selector',
    kind: 'RemoteMCPServer',
    spec: { url: 'https://mcp', allowedNamespaces: { from: 'Selector' } },
    errors: ['spec.allowedNamespaces.selector: is required when from is Selector'],
  },
  {
    rule: 'openai-max-tokens-exclusive',
    kind: 'ModelConfig',
    spec: { model: 'm', openAI: { maxTokens: 10, maxCompletionTokens: 20 } },
    errors: ['spec.openAI.maxCompletionTokens: maxTokens and maxCompletionTokens are mutually exclusive'],
  },
  {
    rule: 'remote-mcp-server-ca-same-namespace',
    kind: 'RemoteMCPServer',
    spec: {
      url: 'https://mcp',
      allowedNamespaces: { from: 'Selector', selector: { matchLabels: { a: 'b' } } },
      tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' },
    },
    errors: [
      "spec.allowedNamespaces.from: must be Same when spec.tls.caCertSecretRef is set (the CA Secret is read in the agent's namespace), not Selector",
    ],
  },
  {
    rule: 'provider-secret-required',
    kind: 'ModelProviderConfig',
    spec: { type: 'Anthropic', secretRef: { name: '' } },
    errors: ['spec.secretRef: is required for provider type Anthropic (only Ollama needs no authentication)'],
  },
];

describe('cross-field rules', () => {
  it.each(cases.map((c, i) => [`${c.rule} #${i}`, c] as const))('%s', (_n, c) => {
    expect(
      validate(c.kind, { apiVersion: 'kagent.dev/v1alpha2', kind: c.kind, metadata: { name: 'x' }, spec: c.spec }).map(
        formatFieldError,
      ),
    ).toEqual(c.errors);
  });

  it('every rule has a case', () => {
    const covered = new Set(cases.map((c) => c.rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it('valid neighbours of the rules pass', () => {
    const ok: [KindName, Record<string, unknown>][] = [
      ['Agent', decl({ tools: [mcpTool({ requireApproval: ['anything'] })] })], // no toolNames: all tools
      ['Agent', decl({ tools: [{ agent: { name: 'a' }, isolateSessions: true }] })], // type inferred from agent
      ['Agent', decl({ tools: [{ type: 'MCPServer', mcpServer: { name: 's' } }] })], // kagent test-data alias
      ['Agent', decl({ systemMessage: undefined, systemMessageFrom: { type: 'Secret', name: 's', key: 'k' } })],
      ['ModelConfig', { model: 'm', provider: 'Bedrock', apiKeySecret: 'aws', bedrock: { region: 'r' } }],
      ['ModelConfig', { model: 'm', tls: { disableSystemCAs: true, disableVerify: true } }],
      ['ModelConfig', { model: 'm', openAI: { maxCompletionTokens: 20 } }],
      ['ModelProviderConfig', { type: 'Ollama' }],
      ['ModelProviderConfig', { type: 'OpenAI', secretRef: { name: 'key' } }],
      ['RemoteMCPServer', { url: 'https://mcp', allowedNamespaces: { from: 'All' }, tls: { disableVerify: true } }],
      [
        'RemoteMCPServer',
        { url: 'https://mcp', tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt', disableSystemCAs: true } },
      ],
    ];
    for (const [kind, spec] of ok) expect(validate(kind, { spec }).map(formatFieldError)).toEqual([]);
  });

  it('an unknown tool type is only a schema error, even one named like an Object member', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'Bogus'])
      expect(
        validate('Agent', { spec: decl({ tools: [{ type, agent: { name: 'a' } }] }) }).map(formatFieldError),
      ).toEqual([
        `spec.declarative.tools[0].type: must be one of "McpServer", "MCPServer", "Agent" (got ${JSON.stringify(type)})`,
      ]);
  });

  it('rules never throw on malformed specs', () => {
    const junk = [
      null,
      1,
      'x',
      [],
      { declarative: 5, tools: 'x' },
      { declarative: { tools: [null, 1, { mcpServer: 'x', headersFrom: 'y' }] } },
    ];
    for (const kind of ['Agent', 'ModelConfig', 'RemoteMCPServer'] as KindName[])
      for (const spec of junk) expect(() => validate(kind, { spec })).not.toThrow();
  });
});
