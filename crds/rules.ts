// The cross-field rules kagent expresses as CEL (`+kubebuilder:validation:XValidation`) on these kinds, plus a few
// the issue adds ("present exactly when"). One table; each rule reads an object that may be malformed in any way
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

export interface Rule {
  id: string;
  kind: KindName;
  /** What kagent (or the issue) requires, for documentation and tests. */
  description: string;
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
    check: (s) =>
      s.type === 'Declarative' && !asObj(s.declarative)
        ? [err('spec.declarative', 'is required when type is Declarative')]
        : [],
  },
  {
    id: 'agent-byo-required',
    kind: 'Agent',
    description: 'byo must be set when type is BYO',
    check: (s) => (s.type === 'BYO' && !asObj(s.byo) ? [err('spec.byo', 'is required when type is BYO')] : []),
  },
  {
    id: 'agent-declarative-forbidden',
    kind: 'Agent',
    description: 'declarative must not be set when type is BYO',
    check: (s) =>
      s.type === 'BYO' && given(s.declarative) ? [err('spec.declarative', 'must not be set when type is BYO')] : [],
  },
  {
    id: 'agent-byo-forbidden',
    kind: 'Agent',
    description: 'byo must not be set when type is Declarative',
    check: (s) =>
      s.type === 'Declarative' && given(s.byo) ? [err('spec.byo', 'must not be set when type is Declarative')] : [],
  },
  {
    id: 'system-message-exclusive',
    kind: 'Agent',
    description: 'systemMessage and systemMessageFrom are mutually exclusive',
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
    check: (_s, c) => eachTool(c, (tool, path, out) => void headerRefs(tool.headersFrom, `${path}.headersFrom`, out)),
  },
  {
    id: 'service-account-exclusive',
    kind: 'Agent',
    description: 'serviceAccountName and serviceAccountConfig are mutually exclusive',
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
    check: allowedNamespacesRule,
  },
  // ---- ModelConfig ----
  {
    id: 'provider-block-matches-provider',
    kind: 'ModelConfig',
    description: "a provider's settings block may only be set with that provider",
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
    check: (s) =>
      given(s.apiKeySecretKey) && !given(s.apiKeySecret)
        ? [err('spec.apiKeySecret', 'is required when apiKeySecretKey is set')]
        : [],
  },
  {
    id: 'api-key-secret-key-required',
    kind: 'ModelConfig',
    description: 'apiKeySecret requires apiKeySecretKey, except for Bedrock and SAPAICore',
    check: (s) =>
      given(s.apiKeySecret) && !given(s.apiKeySecretKey) && s.provider !== 'Bedrock' && s.provider !== 'SAPAICore'
        ? [err('spec.apiKeySecretKey', 'is required when apiKeySecret is set (except for Bedrock and SAPAICore)')]
        : [],
  },
  {
    id: 'api-key-passthrough-exclusive',
    kind: 'ModelConfig',
    description: 'apiKeyPassthrough and apiKeySecret are mutually exclusive',
    check: (s) =>
      s.apiKeyPassthrough === true && given(s.apiKeySecret)
        ? [err('spec.apiKeyPassthrough', 'apiKeyPassthrough and apiKeySecret are mutually exclusive')]
        : [],
  },
  {
    id: 'api-key-passthrough-provider',
    kind: 'ModelConfig',
    description: 'apiKeyPassthrough is not possible with Gemini, GeminiVertexAI or AnthropicVertexAI',
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
    check: (s) => {
      const f = asObj(s.foundry);
      return f && given(f.endpoint) === given(f.endpointFrom)
        ? [err('spec.foundry', 'exactly one of endpoint or endpointFrom must be set')]
        : [];
    },
  },
  {
    id: 'model-config-tls',
    kind: 'ModelConfig',
    description: 'caCertSecretRef and caCertSecretKey go together; disableSystemCAs needs a CA or disableVerify',
    check: (s) => tlsRules(s.tls, 'spec.tls'),
  },
  // ---- RemoteMCPServer ----
  {
    id: 'no-tls-with-http-url',
    kind: 'RemoteMCPServer',
    description: 'tls is meaningless (and refused) with an http:// URL',
    check: (s) =>
      given(s.tls) && typeof s.url === 'string' && s.url.toLowerCase().startsWith('http://')
        ? [err('spec.tls', 'must not be set with an http:// URL (use https:// or remove tls)')]
        : [],
  },
  {
    id: 'remote-mcp-server-tls',
    kind: 'RemoteMCPServer',
    description: 'caCertSecretRef and caCertSecretKey go together; disableSystemCAs needs a CA or disableVerify',
    check: (s) => tlsRules(s.tls, 'spec.tls'),
  },
  {
    id: 'server-headers-value-xor-valuefrom',
    kind: 'RemoteMCPServer',
    description: 'each headersFrom entry has exactly one of value and valueFrom',
    check: (s) => headerRefs(s.headersFrom, 'spec.headersFrom'),
  },
  {
    id: 'server-allowed-namespaces-selector',
    kind: 'RemoteMCPServer',
    description: 'allowedNamespaces.selector is required when from is Selector',
    check: allowedNamespacesRule,
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
