// The cross-field rules kagent expresses as CEL (`+kubebuilder:validation:XValidation`) on these kinds, plus a few
// metagent adds ("present exactly when"). One table; each rule reads an object that may be malformed in any way
// (the schema errors are reported separately), so every access goes through the guards below.
import type { KindName } from './kinds.js';
import { joinPath } from './paths.js';
import { PROVIDER_FIELDS, PROVIDERS } from './schema/modelconfig.js';

export interface FieldError {
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** CEL's has(): present and not empty (kagent's rules treat "" like absent via size() > 0 checks). */
const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const err = (path: string, message: string): FieldError => ({ path, message });

/**
 * The same rule as a CEL `x-kubernetes-validations` entry of the CRD (crds/crd.ts places it), so that the API server
 * enforces it when the webhook is not installed, is down, or is bypassed.
 */
export interface CelRule {
  /** The schema node the rule sits on, as a field path with `[]` for "each item": `spec.declarative.tools[]`. */
  at: string;
  /** The CEL expression; `self` is the node at `at`. It must accept exactly what `check` accepts. */
  rule: string;
  /** kagent's message where kagent has the rule (what a kagent user sees from kagent's CRD), ours otherwise. */
  message: string;
}

export interface Rule {
  id: string;
  kind: KindName;
  /** What kagent (or metagent) requires, for documentation and tests. */
  description: string;
  /** The rule in CEL for the CRD; empty only for a rule CEL cannot express (none today). */
  cel: readonly CelRule[];
  check(spec: Obj, context: RuleContext): FieldError[];
}

/** Views of the spec that several rules read, computed at most once per checkRules call. */
export interface RuleContext {
  /** spec.declarative.tools entries that are objects, with their field paths. */
  readonly tools: [Obj, string][];
}

// ---- helpers shared by several rules ----

// The rules run on every admission request: plain loops that push into one array (flatMap allocated an array per
// element and cost more than the checks themselves).
function headerRefs(list: unknown, path: string, out: FieldError[] = []): FieldError[] {
  const all = asArr(list);
  for (let i = 0; i < all.length; i++) {
    const ref = asObj(all[i]);
    if (ref && given(ref.value) === given(ref.valueFrom))
      out.push(err(joinPath(path, i), 'exactly one of value or valueFrom must be set'));
  }
  return out;
}

const HEADER_XOR_CEL = '(has(self.value) && size(self.value) > 0) != has(self.valueFrom)';
const HEADER_XOR_MESSAGE = 'Exactly one of value or valueFrom must be specified';

/** Runs `check` on every tool (with its path), collecting what it pushes. */
function eachTool(c: RuleContext, check: (tool: Obj, path: string, out: FieldError[]) => void): FieldError[] {
  const out: FieldError[] = [];
  const tools = c.tools;
  for (let i = 0; i < tools.length; i++) check(tools[i][0], tools[i][1], out);
  return out;
}

function tlsRules(tls: unknown, path: string): FieldError[] {
  const t = asObj(tls);
  if (!t) return [];
  const out: FieldError[] = [];
  if (given(t.caCertSecretKey) && !given(t.caCertSecretRef))
    out.push(err(`${path}.caCertSecretRef`, 'is required when caCertSecretKey is set'));
  if (given(t.caCertSecretRef) && !given(t.caCertSecretKey))
    out.push(err(`${path}.caCertSecretKey`, 'is required when caCertSecretRef is set'));
  if (t.disableSystemCAs === true && t.disableVerify !== true && !given(t.caCertSecretRef))
    out.push(
      err(
        `${path}.disableSystemCAs`,
        'requires caCertSecretRef or disableVerify (trusting no CA at all would reject every server)',
      ),
    );
  return out;
}

const TLS_CEL: readonly CelRule[] = [
  {
    at: 'spec.tls',
    rule: '!(has(self.caCertSecretKey) && size(self.caCertSecretKey) > 0 && (!has(self.caCertSecretRef) || size(self.caCertSecretRef) == 0))',
    message: 'caCertSecretKey requires caCertSecretRef',
  },
  {
    at: 'spec.tls',
    rule: '!(has(self.caCertSecretRef) && size(self.caCertSecretRef) > 0 && (!has(self.caCertSecretKey) || size(self.caCertSecretKey) == 0))',
    message: 'caCertSecretRef requires caCertSecretKey',
  },
  {
    at: 'spec.tls',
    rule: '!(has(self.disableSystemCAs) && self.disableSystemCAs && (!has(self.disableVerify) || !self.disableVerify) && (!has(self.caCertSecretRef) || size(self.caCertSecretRef) == 0))',
    message: 'disableSystemCAs requires caCertSecretRef or disableVerify (trust-nothing config rejects every upstream)',
  },
];

function allowedNamespacesRule(spec: Obj): FieldError[] {
  const a = asObj(spec.allowedNamespaces);
  return a && a.from === 'Selector' && !asObj(a.selector)
    ? [err('spec.allowedNamespaces.selector', 'is required when from is Selector')]
    : [];
}

// Several rules walk the tools; checkRules lists them (with their paths) once per call, through its RuleContext.
// (A per-spec WeakMap did the same but added an ephemeron entry, and GC work, for every admission request.)
function listTools(spec: Obj): [Obj, string][] {
  const list: [Obj, string][] = [];
  const all = asArr(asObj(spec.declarative)?.tools);
  for (let i = 0; i < all.length; i++) {
    const tool = asObj(all[i]);
    if (tool) list.push([tool, `spec.declarative.tools[${i}]`]);
  }
  return list;
}

const deployments = (spec: Obj): [Obj, string][] =>
  (['declarative', 'byo'] as const).flatMap((k) => {
    const d = asObj(asObj(spec[k])?.deployment);
    return d ? [[d, `spec.${k}.deployment`] as [Obj, string]] : [];
  });

/** Tool `type` -> the sub-object it requires; the other sub-objects must be absent. */
const TOOL_SUBOBJECT = new Map<unknown, 'mcpServer' | 'agent'>([
  ['McpServer', 'mcpServer'],
  ['MCPServer', 'mcpServer'],
  ['Agent', 'agent'],
]);

export const RULES: readonly Rule[] = [
  // ---- Agent ----
  {
    id: 'agent-declarative-required',
    kind: 'Agent',
    description: 'declarative must be set when type is Declarative',
    cel: [
      {
        at: 'spec',
        rule: "!(self.type == 'Declarative' && !has(self.declarative))",
        message: 'declarative must be specified if type is Declarative, or byo must be specified if type is BYO',
      },
    ],
    check: (s) =>
      s.type === 'Declarative' && !asObj(s.declarative)
        ? [err('spec.declarative', 'is required when type is Declarative')]
        : [],
  },
  {
    id: 'agent-byo-required',
    kind: 'Agent',
    description: 'byo must be set when type is BYO',
    cel: [
      {
        at: 'spec',
        rule: "!(self.type == 'BYO' && !has(self.byo))",
        message: 'declarative must be specified if type is Declarative, or byo must be specified if type is BYO',
      },
    ],
    check: (s) => (s.type === 'BYO' && !asObj(s.byo) ? [err('spec.byo', 'is required when type is BYO')] : []),
  },
  {
    id: 'agent-declarative-forbidden',
    kind: 'Agent',
    description: 'declarative must not be set when type is BYO',
    cel: [
      {
        at: 'spec',
        rule: "!(self.type == 'BYO' && has(self.declarative))",
        message: 'declarative must not be set when type is BYO',
      },
    ],
    check: (s) =>
      s.type === 'BYO' && given(s.declarative) ? [err('spec.declarative', 'must not be set when type is BYO')] : [],
  },
  {
    id: 'agent-byo-forbidden',
    kind: 'Agent',
    description: 'byo must not be set when type is Declarative',
    cel: [
      {
        at: 'spec',
        rule: "!(self.type == 'Declarative' && has(self.byo))",
        message: 'byo must not be set when type is Declarative',
      },
    ],
    check: (s) =>
      s.type === 'Declarative' && given(s.byo) ? [err('spec.byo', 'must not be set when type is Declarative')] : [],
  },
  {
    id: 'system-message-exclusive',
    kind: 'Agent',
    description: 'systemMessage and systemMessageFrom are mutually exclusive',
    cel: [
      {
        at: 'spec.declarative',
        rule: '!(has(self.systemMessage) && size(self.systemMessage) > 0 && has(self.systemMessageFrom))',
        message: 'systemMessage and systemMessageFrom are mutually exclusive',
      },
    ],
    check: (s) => {
      const d = asObj(s.declarative);
      return d && given(d.systemMessage) && given(d.systemMessageFrom)
        ? [err('spec.declarative.systemMessageFrom', 'systemMessage and systemMessageFrom are mutually exclusive')]
        : [];
    },
  },
  {
    id: 'tool-subobject-matches-type',
    kind: 'Agent',
    description: "a tool's sub-object (mcpServer or agent) matches its type; without a type exactly one is set",
    cel: [
      {
        at: 'spec.declarative.tools[]',
        rule: "!(has(self.mcpServer) && has(self.type) && !(self.type in ['McpServer', 'MCPServer']))",
        message: 'type.mcpServer must be nil if the type is not McpServer',
      },
      {
        at: 'spec.declarative.tools[]',
        rule: "!(has(self.type) && self.type in ['McpServer', 'MCPServer'] && !has(self.mcpServer))",
        message: 'type.mcpServer must be specified for McpServer filter.type',
      },
      {
        at: 'spec.declarative.tools[]',
        rule: "!(has(self.agent) && has(self.type) && self.type != 'Agent')",
        message: 'type.agent must be nil if the type is not Agent',
      },
      {
        at: 'spec.declarative.tools[]',
        rule: "!(has(self.type) && self.type == 'Agent' && !has(self.agent))",
        message: 'type.agent must be specified for Agent filter.type',
      },
      {
        at: 'spec.declarative.tools[]',
        rule: 'has(self.type) || has(self.mcpServer) != has(self.agent)',
        message: 'exactly one of mcpServer or agent must be set when type is unset',
      },
    ],
    check: (_s, c) =>
      eachTool(c, (tool, path, out) => {
        const wanted = TOOL_SUBOBJECT.get(tool.type);
        if (wanted === undefined) {
          if (given(tool.type)) return; // an unknown type is a schema (enum) error
          if (given(tool.mcpServer) === given(tool.agent))
            out.push(err(path, 'exactly one of mcpServer or agent must be set'));
          return;
        }
        if (!given(tool[wanted])) out.push(err(`${path}.${wanted}`, `is required when type is ${String(tool.type)}`));
        for (const other of ['mcpServer', 'agent'] as const) {
          if (other !== wanted && given(tool[other]))
            out.push(err(`${path}.${other}`, `must not be set when type is ${String(tool.type)}`));
        }
      }),
  },
  {
    id: 'require-approval-subset',
    kind: 'Agent',
    description: 'each requireApproval entry must also appear in toolNames (when toolNames is set)',
    cel: [
      {
        at: 'spec.declarative.tools[].mcpServer',
        rule: '!has(self.toolNames) || !has(self.requireApproval) || self.requireApproval.all(x, x in self.toolNames)',
        message: 'each RequireApproval entry must also appear in ToolNames',
      },
    ],
    check: (_s, c) =>
      eachTool(c, (tool, path, out) => {
        const mcp = asObj(tool.mcpServer);
        if (!mcp || !Array.isArray(mcp.toolNames)) return;
        const names: unknown[] = mcp.toolNames; // includes() compares like Set.has (SameValueZero); the lists are short
        const approval = asArr(mcp.requireApproval);
        for (let j = 0; j < approval.length; j++) {
          if (!names.includes(approval[j]))
            out.push(
              err(`${path}.mcpServer.requireApproval[${j}]`, `${JSON.stringify(approval[j])} is not in toolNames`),
            );
        }
      }),
  },
  {
    id: 'isolate-sessions-agent-only',
    kind: 'Agent',
    description: 'isolateSessions is only valid on Agent tools',
    cel: [
      {
        at: 'spec.declarative.tools[]',
        rule: "!(has(self.isolateSessions) && self.isolateSessions && !(has(self.type) ? self.type == 'Agent' : has(self.agent)))",
        message: 'isolateSessions can only be set when type is Agent',
      },
    ],
    check: (_s, c) =>
      eachTool(c, (tool, path, out) => {
        if (tool.isolateSessions === true && !(tool.type === 'Agent' || (!given(tool.type) && given(tool.agent))))
          out.push(err(`${path}.isolateSessions`, 'is only valid for Agent tools'));
      }),
  },
  {
    id: 'tool-headers-value-xor-valuefrom',
    kind: 'Agent',
    description: 'each headersFrom entry has exactly one of value and valueFrom',
    cel: [{ at: 'spec.declarative.tools[].headersFrom[]', rule: HEADER_XOR_CEL, message: HEADER_XOR_MESSAGE }],
    check: (_s, c) => eachTool(c, (tool, path, out) => void headerRefs(tool.headersFrom, `${path}.headersFrom`, out)),
  },
  {
    id: 'service-account-exclusive',
    kind: 'Agent',
    description: 'serviceAccountName and serviceAccountConfig are mutually exclusive',
    cel: [
      {
        at: 'spec.declarative.deployment',
        rule: '!(has(self.serviceAccountName) && size(self.serviceAccountName) > 0 && has(self.serviceAccountConfig))',
        message: 'serviceAccountName and serviceAccountConfig are mutually exclusive',
      },
      {
        at: 'spec.byo.deployment',
        rule: '!(has(self.serviceAccountName) && size(self.serviceAccountName) > 0 && has(self.serviceAccountConfig))',
        message: 'serviceAccountName and serviceAccountConfig are mutually exclusive',
      },
    ],
    check: (s) =>
      deployments(s).flatMap(([d, path]) =>
        given(d.serviceAccountName) && given(d.serviceAccountConfig)
          ? [err(`${path}.serviceAccountConfig`, 'serviceAccountName and serviceAccountConfig are mutually exclusive')]
          : [],
      ),
  },
  {
    id: 'skills-source',
    kind: 'Agent',
    description: 'skills needs at least one of refs, gitRefs or s3Refs',
    cel: [
      {
        at: 'spec.skills',
        rule: 'has(self.refs) || has(self.gitRefs) || has(self.s3Refs)',
        message: 'at least one of refs, gitRefs or s3Refs must be set',
      },
    ],
    check: (s) => {
      const sk = asObj(s.skills);
      return sk && !given(sk.refs) && !given(sk.gitRefs) && !given(sk.s3Refs)
        ? [err('spec.skills', 'at least one of refs, gitRefs or s3Refs must be set')]
        : [];
    },
  },
  {
    id: 'agent-allowed-namespaces-selector',
    kind: 'Agent',
    description: 'allowedNamespaces.selector is required when from is Selector',
    cel: [
      {
        at: 'spec.allowedNamespaces',
        rule: "!(self.from == 'Selector' && !has(self.selector))",
        message: 'selector must be specified when from is Selector',
      },
    ],
    check: allowedNamespacesRule,
  },
  // ---- ModelConfig ----
  {
    id: 'provider-block-matches-provider',
    kind: 'ModelConfig',
    description: "a provider's settings block may only be set with that provider",
    cel: PROVIDERS.map((p) => ({
      at: 'spec',
      rule: `!(has(self.${PROVIDER_FIELDS[p]}) && self.provider != '${p}')`,
      message: `provider.${PROVIDER_FIELDS[p]} must be nil if the provider is not ${p}`,
    })),
    check: (s) =>
      PROVIDERS.flatMap((p) => {
        const field = PROVIDER_FIELDS[p];
        return given(s[field]) && s.provider !== p
          ? [err(`spec.${field}`, `must not be set when provider is ${String(s.provider)} (it is for provider ${p})`)]
          : [];
      }),
  },
  {
    id: 'api-key-secret-required',
    kind: 'ModelConfig',
    description: 'apiKeySecretKey requires apiKeySecret',
    cel: [
      {
        at: 'spec',
        rule: '!(has(self.apiKeySecretKey) && size(self.apiKeySecretKey) > 0 && !(has(self.apiKeySecret) && size(self.apiKeySecret) > 0))',
        message: 'apiKeySecret must be set if apiKeySecretKey is set',
      },
    ],
    check: (s) =>
      given(s.apiKeySecretKey) && !given(s.apiKeySecret)
        ? [err('spec.apiKeySecret', 'is required when apiKeySecretKey is set')]
        : [],
  },
  {
    id: 'api-key-secret-key-required',
    kind: 'ModelConfig',
    description: 'apiKeySecret requires apiKeySecretKey, except for Bedrock and SAPAICore',
    cel: [
      {
        at: 'spec',
        rule: "!(has(self.apiKeySecret) && size(self.apiKeySecret) > 0 && !(has(self.apiKeySecretKey) && size(self.apiKeySecretKey) > 0) && self.provider != 'Bedrock' && self.provider != 'SAPAICore')",
        message: 'apiKeySecretKey must be set if apiKeySecret is set (except for Bedrock and SAPAICore providers)',
      },
    ],
    check: (s) =>
      given(s.apiKeySecret) && !given(s.apiKeySecretKey) && s.provider !== 'Bedrock' && s.provider !== 'SAPAICore'
        ? [err('spec.apiKeySecretKey', 'is required when apiKeySecret is set (except for Bedrock and SAPAICore)')]
        : [],
  },
  {
    id: 'api-key-passthrough-exclusive',
    kind: 'ModelConfig',
    description: 'apiKeyPassthrough and apiKeySecret are mutually exclusive',
    cel: [
      {
        at: 'spec',
        rule: '!(has(self.apiKeyPassthrough) && self.apiKeyPassthrough && has(self.apiKeySecret) && size(self.apiKeySecret) > 0)',
        message: 'apiKeyPassthrough and apiKeySecret are mutually exclusive',
      },
    ],
    check: (s) =>
      s.apiKeyPassthrough === true && given(s.apiKeySecret)
        ? [err('spec.apiKeyPassthrough', 'apiKeyPassthrough and apiKeySecret are mutually exclusive')]
        : [],
  },
  {
    id: 'api-key-passthrough-provider',
    kind: 'ModelConfig',
    description: 'apiKeyPassthrough is not possible with Gemini, GeminiVertexAI or AnthropicVertexAI',
    cel: [
      {
        at: 'spec',
        rule: "!(has(self.apiKeyPassthrough) && self.apiKeyPassthrough && (self.provider == 'Gemini' || self.provider == 'GeminiVertexAI' || self.provider == 'AnthropicVertexAI'))",
        message: 'apiKeyPassthrough must be false if provider is Gemini;GeminiVertexAI;AnthropicVertexAI',
      },
    ],
    check: (s) =>
      s.apiKeyPassthrough === true && ['Gemini', 'GeminiVertexAI', 'AnthropicVertexAI'].includes(String(s.provider))
        ? [err('spec.apiKeyPassthrough', `is not supported with provider ${String(s.provider)}`)]
        : [],
  },
  {
    id: 'token-exchange',
    kind: 'ModelConfig',
    description:
      'openAI.tokenExchange requires apiKeySecret, excludes apiKeyPassthrough, and GDCHServiceAccount needs its block',
    cel: [
      {
        at: 'spec',
        rule: '!(has(self.openAI) && has(self.openAI.tokenExchange) && (!has(self.apiKeySecret) || size(self.apiKeySecret) == 0))',
        message: 'openAI.tokenExchange requires apiKeySecret (the service account secret)',
      },
      {
        at: 'spec',
        rule: '!(has(self.openAI) && has(self.openAI.tokenExchange) && has(self.apiKeyPassthrough) && self.apiKeyPassthrough)',
        message: 'openAI.tokenExchange and apiKeyPassthrough are mutually exclusive',
      },
      {
        at: 'spec',
        rule: "!(has(self.openAI) && has(self.openAI.tokenExchange) && self.openAI.tokenExchange.type == 'GDCHServiceAccount' && !has(self.openAI.tokenExchange.gdchServiceAccount))",
        message: 'openAI.tokenExchange type GDCHServiceAccount requires openAI.tokenExchange.gdchServiceAccount',
      },
    ],
    check: (s) => {
      const te = asObj(asObj(s.openAI)?.tokenExchange);
      if (!te) return [];
      const out: FieldError[] = [];
      if (!given(s.apiKeySecret))
        out.push(err('spec.openAI.tokenExchange', 'requires apiKeySecret (the service account secret)'));
      if (s.apiKeyPassthrough === true)
        out.push(err('spec.openAI.tokenExchange', 'tokenExchange and apiKeyPassthrough are mutually exclusive'));
      if (te.type === 'GDCHServiceAccount' && !asObj(te.gdchServiceAccount))
        out.push(err('spec.openAI.tokenExchange.gdchServiceAccount', 'is required when type is GDCHServiceAccount'));
      return out;
    },
  },
  {
    id: 'foundry-endpoint',
    kind: 'ModelConfig',
    description: 'foundry needs exactly one of endpoint and endpointFrom',
    cel: [
      {
        at: 'spec.foundry',
        rule: '!(has(self.endpoint) && size(self.endpoint) > 0 && has(self.endpointFrom))',
        message: 'foundry.endpoint and foundry.endpointFrom are mutually exclusive',
      },
      {
        at: 'spec.foundry',
        rule: '(has(self.endpoint) && size(self.endpoint) > 0) || has(self.endpointFrom)',
        message: 'foundry.endpoint or foundry.endpointFrom is required',
      },
    ],
    check: (s) => {
      const f = asObj(s.foundry);
      return f && given(f.endpoint) === given(f.endpointFrom)
        ? [err('spec.foundry', 'exactly one of endpoint or endpointFrom must be set')]
        : [];
    },
  },
  {
    id: 'openai-max-tokens-exclusive',
    kind: 'ModelConfig',
    description: 'openAI.maxTokens and openAI.maxCompletionTokens are mutually exclusive',
    cel: [
      {
        at: 'spec.openAI',
        rule: '!(has(self.maxTokens) && has(self.maxCompletionTokens))',
        message: 'maxTokens and maxCompletionTokens are mutually exclusive',
      },
    ],
    check: (s) => {
      const o = asObj(s.openAI);
      return o && o.maxTokens !== undefined && o.maxCompletionTokens !== undefined
        ? [err('spec.openAI.maxCompletionTokens', 'maxTokens and maxCompletionTokens are mutually exclusive')]
        : [];
    },
  },
  {
    id: 'model-config-tls',
    kind: 'ModelConfig',
    description: 'caCertSecretRef and caCertSecretKey go together; disableSystemCAs needs a CA or disableVerify',
    cel: TLS_CEL,
    check: (s) => tlsRules(s.tls, 'spec.tls'),
  },
  // ---- RemoteMCPServer ----
  {
    id: 'no-tls-with-http-url',
    kind: 'RemoteMCPServer',
    description: 'tls is meaningless (and refused) with an http:// URL',
    cel: [
      {
        at: 'spec',
        rule: "!(has(self.tls) && self.url.lowerAscii().startsWith('http://'))",
        message:
          'spec.tls must be unset when spec.url has http:// scheme: a TLS opinion contradicts a plaintext URL. Either drop spec.tls, or use https:// / a scheme-less URL.',
      },
    ],
    check: (s) =>
      given(s.tls) && typeof s.url === 'string' && s.url.toLowerCase().startsWith('http://')
        ? [err('spec.tls', 'must not be set with an http:// URL (use https:// or remove tls)')]
        : [],
  },
  {
    id: 'remote-mcp-server-tls',
    kind: 'RemoteMCPServer',
    description: 'caCertSecretRef and caCertSecretKey go together; disableSystemCAs needs a CA or disableVerify',
    cel: TLS_CEL,
    check: (s) => tlsRules(s.tls, 'spec.tls'),
  },
  {
    id: 'remote-mcp-server-ca-same-namespace',
    kind: 'RemoteMCPServer',
    description:
      "a pinned CA Secret (tls.caCertSecretRef) is read in the agent's namespace, so allowedNamespaces must stay Same",
    cel: [
      {
        at: 'spec',
        rule: "!(has(self.allowedNamespaces) && has(self.allowedNamespaces.from) && (self.allowedNamespaces.from == 'All' || self.allowedNamespaces.from == 'Selector') && has(self.tls) && has(self.tls.caCertSecretRef) && size(self.tls.caCertSecretRef) > 0)",
        message:
          "spec.allowedNamespaces must not permit cross-namespace access (from: All or from: Selector) when spec.tls.caCertSecretRef is set: a pinned CA Secret is mounted onto the consuming agent's pod and Kubernetes resolves it in the agent's namespace, not this RemoteMCPServer's. Use from: Same (the default), or remove the CA Secret reference.",
      },
    ],
    check: (s) => {
      const from = asObj(s.allowedNamespaces)?.from;
      return (from === 'All' || from === 'Selector') && given(asObj(s.tls)?.caCertSecretRef)
        ? [
            err(
              'spec.allowedNamespaces.from',
              `must be Same when spec.tls.caCertSecretRef is set (the CA Secret is read in the agent's namespace), not ${from}`,
            ),
          ]
        : [];
    },
  },
  {
    id: 'server-headers-value-xor-valuefrom',
    kind: 'RemoteMCPServer',
    description: 'each headersFrom entry has exactly one of value and valueFrom',
    cel: [{ at: 'spec.headersFrom[]', rule: HEADER_XOR_CEL, message: HEADER_XOR_MESSAGE }],
    check: (s) => headerRefs(s.headersFrom, 'spec.headersFrom'),
  },
  {
    id: 'server-allowed-namespaces-selector',
    kind: 'RemoteMCPServer',
    description: 'allowedNamespaces.selector is required when from is Selector',
    cel: [
      {
        at: 'spec.allowedNamespaces',
        rule: "!(self.from == 'Selector' && !has(self.selector))",
        message: 'selector must be specified when from is Selector',
      },
    ],
    check: allowedNamespacesRule,
  },
  // ---- ModelProviderConfig ----
  {
    id: 'provider-secret-required',
    kind: 'ModelProviderConfig',
    description: 'secretRef.name is required for every provider type except Ollama',
    cel: [
      {
        at: 'spec',
        rule: "self.type == 'Ollama' || (has(self.secretRef) && has(self.secretRef.name) && size(self.secretRef.name) > 0)",
        message: 'secretRef is required for providers that need authentication (not Ollama)',
      },
    ],
    check: (s) =>
      s.type !== undefined && s.type !== 'Ollama' && !given(asObj(s.secretRef)?.name)
        ? [
            err(
              'spec.secretRef',
              `is required for provider type ${String(s.type)} (only Ollama needs no authentication)`,
            ),
          ]
        : [],
  },
];

const RULES_BY_KIND = new Map<KindName, Rule[]>();
for (const r of RULES) RULES_BY_KIND.set(r.kind, [...(RULES_BY_KIND.get(r.kind) ?? []), r]);

// A class, not an object literal with a getter: V8 builds literals with accessors on a slow path.
class LazyContext implements RuleContext {
  #tools: [Obj, string][] | undefined;
  constructor(private readonly spec: Obj) {}
  get tools(): [Obj, string][] {
    return (this.#tools ??= listTools(this.spec));
  }
}

/** Run every rule of `kind` on the object's spec. */
export function checkRules(kind: KindName, obj: unknown): FieldError[] {
  const spec = asObj(asObj(obj)?.spec);
  if (!spec) return [];
  const out: FieldError[] = [];
  const context = new LazyContext(spec);
  for (const r of RULES_BY_KIND.get(kind) ?? []) {
    const errors = r.check(spec, context);
    if (errors.length > 0) out.push(...errors);
  }
  return out;
}
