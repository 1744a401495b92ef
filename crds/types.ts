// TypeScript types of the kagent.dev/v1alpha2 kinds. They mirror crds/schema/*.ts field for field; the schema is the
// source of truth (defaults, descriptions, validation) — change both together. Free-form core/v1 structures are
// typed loosely on purpose.

import type { LabelSelector, ObjectMeta } from './kube-object.js';

export type { KubeObject, LabelSelector, ObjectMeta } from './kube-object.js';

/** A kagent kind: its kind name, typed spec and status. */
export interface KindObject<K extends string, S, St> {
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
  status?: St;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface LocalObjectReference {
  name?: string;
}

export interface KeySelector {
  name?: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: KeySelector;
    configMapKeyRef?: KeySelector;
    fieldRef?: Record<string, unknown>;
    resourceFieldRef?: Record<string, unknown>;
    fileKeyRef?: { volumeName: string; path: string; key: string; optional?: boolean };
  };
}

export interface EnvFromSource {
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
  prefix?: string;
}

export type Quantity = string | number;
export interface ResourceRequirements {
  limits?: Record<string, Quantity>;
  requests?: Record<string, Quantity>;
  claims?: Record<string, unknown>[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface SecurityContext {
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  privileged?: boolean;
  procMount?: string;
  readOnlyRootFilesystem?: boolean;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: Record<string, unknown>;
  seLinuxOptions?: Record<string, unknown>;
  windowsOptions?: Record<string, unknown>;
  appArmorProfile?: Record<string, unknown>;
}

export interface PodSecurityContext {
  fsGroup?: number;
  fsGroupChangePolicy?: string;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  supplementalGroups?: number[];
  supplementalGroupsPolicy?: string;
  sysctls?: Record<string, unknown>[];
  seccompProfile?: Record<string, unknown>;
  seLinuxOptions?: Record<string, unknown>;
  seLinuxChangePolicy?: string;
  windowsOptions?: Record<string, unknown>;
  appArmorProfile?: Record<string, unknown>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: string;
  recursiveReadOnly?: string;
}

/** core/v1 Volume, Affinity and Container are kept free-form (see crds/schema/kube.ts). */
export type Volume = { name: string } & Record<string, unknown>;
export type Affinity = Record<string, unknown>;
export type Container = { name: string; image?: string } & Record<string, unknown>;

// ---- common ----

export interface ValueSource {
  type: 'ConfigMap' | 'Secret';
  name: string;
  key: string;
}

export interface ValueRef {
  name: string;
  value?: string;
  valueFrom?: ValueSource;
}

export interface AllowedNamespaces {
  from?: 'All' | 'Same' | 'Selector';
  selector?: LabelSelector;
}

export interface TLSConfig {
  disableVerify?: boolean;
  caCertSecretRef?: string;
  caCertSecretKey?: string;
  disableSystemCAs?: boolean;
}

// ---- Agent ----

export type AgentType = 'Declarative' | 'BYO';
export type ToolType = 'McpServer' | 'MCPServer' | 'Agent';

export interface SharedDeploymentSpec {
  replicas?: number;
  imagePullSecrets?: LocalObjectReference[];
  volumes?: Volume[];
  volumeMounts?: VolumeMount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  deploymentAnnotations?: Record<string, string>;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  resources?: ResourceRequirements;
  tolerations?: Toleration[];
  affinity?: Affinity;
  nodeSelector?: Record<string, string>;
  securityContext?: SecurityContext;
  podSecurityContext?: PodSecurityContext;
  serviceAccountName?: string;
  serviceAccountConfig?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  extraContainers?: Container[];
}

export interface DeclarativeDeploymentSpec extends SharedDeploymentSpec {
  imageRegistry?: string;
}

export interface ByoDeploymentSpec extends SharedDeploymentSpec {
  image?: string;
  cmd?: string;
  args?: string[];
  workingDir?: string;
}

export interface TypedReference {
  kind?: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface McpServerTool extends TypedReference {
  toolNames?: string[];
  requireApproval?: string[];
  allowedHeaders?: string[];
}

export interface Tool {
  type?: ToolType;
  mcpServer?: McpServerTool;
  agent?: TypedReference;
  headersFrom?: ValueRef[];
  isolateSessions?: boolean;
}

export interface AgentSkill {
  id: string;
  name: string;
  description?: string;
  tags?: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
}

export interface ContextCompressionConfig {
  compactionInterval?: number;
  overlapSize?: number;
  summarizer?: { modelConfig?: string; promptTemplate?: string };
  tokenThreshold?: number;
  eventRetentionSize?: number;
}

export interface PromptTemplateSource {
  kind?: string;
  apiGroup?: string;
  name: string;
  alias?: string;
}

export interface DeclarativeAgentSpec {
  systemMessage?: string;
  systemMessageFrom?: ValueSource;
  modelConfig?: string;
  runtime?: 'python' | 'go';
  stream?: boolean;
  shareTools?: boolean;
  tools?: Tool[];
  a2aConfig?: { skills?: AgentSkill[] };
  deployment?: DeclarativeDeploymentSpec;
  executeCodeBlocks?: boolean;
  memory?: { modelConfig: string; ttlDays?: number };
  context?: { compaction?: ContextCompressionConfig };
  promptTemplate?: { dataSources?: PromptTemplateSource[] };
  /** Accepted for compatibility with kagent examples; not used (spec.description is the description). */
  description?: string;
}

export interface BYOAgentSpec {
  deployment?: ByoDeploymentSpec;
}

export interface SkillForAgent {
  imagePullSecrets?: LocalObjectReference[];
  insecureSkipVerify?: boolean;
  refs?: string[];
  gitAuthSecretRef?: LocalObjectReference;
  gitRefs?: { url: string; ref?: string; path?: string; name?: string }[];
  s3Refs?: { uri: string; region?: string; name?: string }[];
  initContainer?: { env?: EnvVar[]; resources?: ResourceRequirements };
}

export interface AgentSpec {
  type: AgentType;
  byo?: BYOAgentSpec;
  declarative?: DeclarativeAgentSpec;
  description?: string;
  skills?: SkillForAgent;
  allowedNamespaces?: AllowedNamespaces;
  iconUrl?: string;
  documentationUrl?: string;
  version?: string;
  provider?: { organization: string; url: string };
  sandbox?: { network?: { allowedDomains?: string[] } };
}

export interface AgentStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export type Agent = KindObject<'Agent', AgentSpec, AgentStatus>;

// ---- ModelConfig ----

export type ModelProvider =
  | 'OpenAI'
  | 'Anthropic'
  | 'AzureOpenAI'
  | 'Ollama'
  | 'Gemini'
  | 'GeminiVertexAI'
  | 'AnthropicVertexAI'
  | 'Bedrock'
  | 'SAPAICore'
  | 'Foundry';

export interface OpenAIConfig {
  baseUrl?: string;
  organization?: string;
  temperature?: string;
  maxTokens?: number;
  topP?: string;
  frequencyPenalty?: string;
  presencePenalty?: string;
  seed?: number;
  n?: number;
  timeout?: number;
  maxCompletionTokens?: number;
  apiFormat?: 'chatCompletions' | 'responses';
  reasoningEffort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  tokenExchange?: { type: 'GDCHServiceAccount'; gdchServiceAccount?: { audience: string } };
}

export interface AnthropicConfig {
  baseUrl?: string;
  maxTokens?: number;
  temperature?: string;
  topP?: string;
  topK?: number;
}

export interface AzureOpenAIConfig {
  azureEndpoint: string;
  apiVersion: string;
  azureDeployment?: string;
  azureAdToken?: string;
  temperature?: string;
  maxTokens?: number;
  topP?: string;
}

export interface OllamaConfig {
  host?: string;
  options?: Record<string, string>;
}

export interface VertexAIBase {
  projectID: string;
  location: string;
  temperature?: string;
  topP?: string;
  topK?: string;
  stopSequences?: string[];
}

export interface GeminiVertexAIConfig extends VertexAIBase {
  maxOutputTokens?: number;
  candidateCount?: number;
  responseMimeType?: string;
}

export interface AnthropicVertexAIConfig extends VertexAIBase {
  maxTokens?: number;
}

export interface BedrockConfig {
  region: string;
  additionalModelRequestFields?: Record<string, unknown>;
  promptCaching?: boolean;
  cacheTTL?: '5m' | '1h';
  guardrail?: { identifier: string; version: string; trace?: 'disabled' | 'enabled' | 'enabled_full' };
  readTimeout?: number;
  connectTimeout?: number;
}

export interface SAPAICoreConfig {
  baseUrl: string;
  resourceGroup?: string;
  authUrl?: string;
}

export interface FoundryConfig {
  endpoint?: string;
  endpointFrom?: KeySelector;
  deployment: string;
  apiVersion?: string;
}

export interface ModelConfigSpec {
  model: string;
  apiKeySecret?: string;
  apiKeySecretKey?: string;
  apiKeyPassthrough?: boolean;
  defaultHeaders?: Record<string, string>;
  provider?: ModelProvider;
  openAI?: OpenAIConfig;
  anthropic?: AnthropicConfig;
  azureOpenAI?: AzureOpenAIConfig;
  ollama?: OllamaConfig;
  gemini?: { maxOutputTokens?: number };
  geminiVertexAI?: GeminiVertexAIConfig;
  anthropicVertexAI?: AnthropicVertexAIConfig;
  bedrock?: BedrockConfig;
  sapAICore?: SAPAICoreConfig;
  foundry?: FoundryConfig;
  tls?: TLSConfig;
}

export interface ModelConfigStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  secretHash?: string;
}

export type ModelConfig = KindObject<'ModelConfig', ModelConfigSpec, ModelConfigStatus>;

// ---- RemoteMCPServer ----

export interface RemoteMCPServerSpec {
  description?: string;
  protocol?: 'SSE' | 'STREAMABLE_HTTP';
  url: string;
  headersFrom?: ValueRef[];
  timeout?: string;
  sseReadTimeout?: string;
  terminateOnClose?: boolean;
  allowedNamespaces?: AllowedNamespaces;
  tls?: TLSConfig;
}

export interface RemoteMCPServerStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  secretHash?: string;
  discoveredTools?: { name?: string; description?: string }[];
}

export type RemoteMCPServer = KindObject<'RemoteMCPServer', RemoteMCPServerSpec, RemoteMCPServerStatus>;

// ---- ModelProviderConfig ----

export interface ModelProviderConfigSpec {
  type: ModelProvider;
  endpoint?: string;
  secretRef?: { name: string };
}

export interface ModelProviderConfigStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  discoveredModels?: string[];
  modelCount?: number;
  lastDiscoveryTime?: string;
  secretHash?: string;
}

export type ModelProviderConfig = KindObject<'ModelProviderConfig', ModelProviderConfigSpec, ModelProviderConfigStatus>;

export interface KindTypes {
  Agent: Agent;
  ModelConfig: ModelConfig;
  RemoteMCPServer: RemoteMCPServer;
  ModelProviderConfig: ModelProviderConfig;
}
