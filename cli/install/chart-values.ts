// The chart's values, declared once: charts/metagent/values.yaml (defaults with their descriptions as comments) and
// values.schema.json are generated from this, and `metagent install` reads the generated values.yaml as its defaults.
// A default marked FROM_MANIFESTS is the value manifests/ has at the place the value is used (chart-rules.ts), so a
// replica count or a resource request is written in one place only.

import { METACONTROLLER_SCALE_FLAGS, metacontrollerArgs } from './metacontroller-flags.js';

/** Metacontroller's chart defaults, then the scale flags recommended for many Agents (metacontroller-flags.ts). */
export const METACONTROLLER_ARGS = [
  '--zap-log-level=4',
  '--discovery-interval=20s',
  '--cache-flush-interval=30m',
  '--health-probe-bind-address=:8081',
  ...metacontrollerArgs(METACONTROLLER_SCALE_FLAGS),
];

export const FROM_MANIFESTS = Symbol('from manifests/');

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  additionalProperties?: boolean | SchemaNode;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  [k: string]: unknown;
}

const obj = (description: string, properties: Record<string, SchemaNode>): SchemaNode => ({
  type: 'object',
  description,
  properties,
  additionalProperties: false,
});
const str = (description: string, def: unknown = ''): SchemaNode => ({ type: 'string', description, default: def });
const bool = (description: string, def: boolean): SchemaNode => ({ type: 'boolean', description, default: def });
const map = (description: string): SchemaNode => ({
  type: 'object',
  description,
  default: {},
  additionalProperties: { type: 'string' },
});
const anyObject = (description: string, def: unknown = {}): SchemaNode => ({
  type: 'object',
  description,
  default: def,
});
const list = (description: string, items: SchemaNode = { type: 'object' }): SchemaNode => ({
  type: 'array',
  description,
  default: [],
  items,
});

const image = (what: string, registry: string, repository: string): SchemaNode =>
  obj(`The ${what} image: registry/repository:tag@digest.`, {
    registry: str('Registry host; empty for none.', registry),
    repository: str('Repository within the registry.', repository),
    tag: str("Tag; empty means the chart's appVersion.", ''),
    digest: str('Digest (sha256:...); when set, pins the image (the tag is kept for readability).', ''),
  });

const resources: SchemaNode = {
  type: 'object',
  description: 'Container resources (requests/limits).',
  default: FROM_MANIFESTS,
  properties: { requests: { type: 'object' }, limits: { type: 'object' }, claims: { type: 'array' } },
  additionalProperties: false,
};

/** Scheduling and sizing of one control-plane Deployment. */
const deployment = (what: string, extra: Record<string, SchemaNode> = {}): Record<string, SchemaNode> => ({
  replicas: { type: 'integer', minimum: 0, description: `Replicas of the ${what}.`, default: FROM_MANIFESTS },
  resources,
  nodeSelector: map('Node selector of its pods.'),
  tolerations: list('Tolerations of its pods.'),
  affinity: anyObject('Affinity of its pods.'),
  priorityClassName: str('PriorityClass of its pods; empty for none.'),
  ...extra,
});

export const valuesSchema: SchemaNode = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'metagent chart values',
  ...obj('', {
    image: image('control-plane (webhooks, sync hooks, tool server)', 'ghcr.io', 'metagent/metagent'),
    imagePullPolicy: {
      type: 'string',
      enum: ['Always', 'IfNotPresent', 'Never'],
      description: 'Pull policy of the control-plane containers.',
      default: 'IfNotPresent',
    },
    imagePullSecrets: list('Pull secrets of the control-plane pods ([{name: ...}]).', {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    }),
    logLevel: {
      type: 'string',
      enum: ['', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'],
      description: "Log level of the webhook, hook and tool servers; empty keeps each server's default (info).",
      default: '',
    },
    webhooks: obj('The admission webhook server (defaults and validation).', {
      ...deployment('webhook server'),
      namespaceSelector: anyObject(
        'Which namespaces the webhooks admit objects in; empty means every namespace but the release namespace.',
      ),
      service: obj('Its Service.', {
        port: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          description: 'Service port the API server calls.',
          default: FROM_MANIFESTS,
        },
        externalName: str(
          'When set, the Service is of type ExternalName pointing at this host: for a webhook server run outside the cluster (development). TLS is still verified against <service>.<namespace>.svc.',
        ),
      }),
    }),
    syncHooks: obj("Metacontroller's hook server (sync hooks).", {
      ...deployment('hook server'),
      runtimeImage: image('agent runtime (the image of every Agent pod)', 'ghcr.io', 'metagent/metagent-runtime'),
      agentImagePullPolicy: {
        type: 'string',
        enum: ['Always', 'IfNotPresent', 'Never'],
        description: "Pull policy of Agent pods' runtime container (--image-pull-policy).",
        default: 'IfNotPresent',
      },
      skillsInitImage: str(
        "kagent's skills-init image for Agents with spec.skills (--skills-init-image); empty keeps the hook server's default.",
      ),
      proxyURL: str("kagent's --proxy-url: agent-to-agent and MCP traffic through this proxy; empty for none."),
      defaultServiceAccountName: str(
        "kagent's --default-service-account-name for Agents that name none; empty for none.",
      ),
      externalURL: str(
        'When set, Metacontroller calls the hooks at this base URL (webhook.url) instead of the Service: for a hook server run outside the cluster (development).',
      ),
    }),
    toolserver: obj('The Kubernetes MCP tool server (read-only tools: list_pods, get_pod_logs, ...).', {
      enabled: bool('Install it.', true),
      ...deployment('tool server'),
    }),
    dashboard: obj(
      'The in-cluster web UI behind its oauth2-proxy sidecar (create the Secret metagent-dashboard-oauth2-proxy first: dashboard/README.md). Every call impersonates the signed-in user.',
      {
        enabled: bool('Install it.', false),
        proxyImage: {
          type: 'string',
          description: "The oauth2-proxy sidecar's image (it signs people in and forwards their user and groups).",
          default: FROM_MANIFESTS,
        },
        ...deployment('dashboard'),
      },
    ),
    certManager: obj(
      "Webhook serving certificate from cert-manager (a self-signed Issuer); cert-manager's CA injector writes the caBundle.",
      {
        enabled: bool(
          'Use cert-manager; otherwise the chart generates a CA and certificate once and keeps them across upgrades.',
          false,
        ),
      },
    ),
    certificate: obj('The generated webhook certificate (certManager.enabled=false).', {
      validityDays: {
        type: 'integer',
        minimum: 1,
        description: 'Validity of the generated CA and serving certificate.',
        default: 3650,
      },
    }),
    defaultModelConfig: obj(
      'An optional ModelConfig created with the release (a post-install/upgrade hook, so install with --wait).',
      {
        enabled: bool('Create it.', false),
        name: str('Its name.', 'default-model-config'),
        namespace: str('Its namespace (where your Agents are); empty means "default".', ''),
        provider: {
          type: 'string',
          enum: [
            'OpenAI',
            'AzureOpenAI',
            'Anthropic',
            'Ollama',
            'Gemini',
            'GeminiVertexAI',
            'AnthropicVertexAI',
            'Bedrock',
          ],
          description: 'Model provider.',
          default: 'OpenAI',
        },
        model: str('Model name.', 'gpt-4.1-mini'),
        apiKeySecret: str('Name of an existing Secret holding the API key (in the same namespace).'),
        apiKeySecretKey: str('Key of the API key in that Secret.', 'api-key'),
        apiKey: str(
          'An API key given at install: stored in a Secret <name>-api-key the ModelConfig refers to (prefer apiKeySecret: values are kept in the release).',
        ),
      },
    ),
    metacontroller: {
      type: 'object',
      description:
        "Metacontroller's own chart (metacontroller-helm) as a dependency; its values go here too (see its values.yaml).",
      properties: {
        enabled: bool('Install Metacontroller with metagent; when false, its CRDs must already exist.', true),
        // Metacontroller's chart defaults plus the scale flags bench:scale recommends (metacontroller-flags.ts).
        commandArgs: {
          type: 'array',
          items: { type: 'string' },
          description: "Metacontroller's arguments.",
          default: METACONTROLLER_ARGS,
        },
        podSecurityContext: anyObject("Metacontroller's pod security context.", {
          runAsNonRoot: true,
          runAsUser: 65532,
          runAsGroup: 65532,
          seccompProfile: { type: 'RuntimeDefault' },
        }),
        securityContext: anyObject("Metacontroller's container security context.", {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        }),
      },
      additionalProperties: true,
    },
  }),
};

export type Values = Record<string, any>;
