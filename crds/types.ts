// TypeScript types of the kagent.dev/v1alpha2 kinds, derived from the schema in crds/schema/*.ts (`TypeOf` reads the
// type each builder carries), so a field, an enum value or a required list is written once, in the schema. Embedded
// core/v1 structures are @kubernetes/client-node's models where crds/schema/kube.ts says so.

import type { TypeOf } from './schema/builders.js';
import type { agentSpec, agentStatus } from './schema/agent.js';
import type { allowedNamespaces, tlsConfig, valueRef, valueSource } from './schema/common.js';
import type { condition, container, envVar, volume, volumeMount } from './schema/kube.js';
import type { modelConfigSpec, modelConfigStatus } from './schema/modelconfig.js';
import type { modelProviderConfigSpec, modelProviderConfigStatus } from './schema/modelproviderconfig.js';
import type { remoteMCPServerSpec, remoteMCPServerStatus } from './schema/remotemcpserver.js';
import type { ObjectMeta } from './kube-object.js';

export type { KubeObject, LabelSelector, ObjectMeta } from './kube-object.js';
export type { ModelProvider } from './schema/modelconfig.js';

/** A kagent kind: its kind name, typed spec and status. */
export interface KindObject<K extends string, S, St> {
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
  status?: St;
}

/** A status condition as the schema accepts it (only type and status are required). */
export type Condition = TypeOf<typeof condition>;
export type EnvVar = TypeOf<typeof envVar>;
export type Volume = TypeOf<typeof volume>;
export type VolumeMount = TypeOf<typeof volumeMount>;
export type Container = TypeOf<typeof container>;

export type ValueSource = TypeOf<typeof valueSource>;
export type ValueRef = TypeOf<ReturnType<typeof valueRef>>;
export type AllowedNamespaces = TypeOf<ReturnType<typeof allowedNamespaces>>;
export type TLSConfig = TypeOf<ReturnType<typeof tlsConfig>>;

export type AgentSpec = TypeOf<typeof agentSpec>;
export type AgentStatus = TypeOf<typeof agentStatus>;
export type AgentType = AgentSpec['type'];
export type DeclarativeAgentSpec = NonNullable<AgentSpec['declarative']>;
export type BYOAgentSpec = NonNullable<AgentSpec['byo']>;
export type DeclarativeDeploymentSpec = NonNullable<DeclarativeAgentSpec['deployment']>;
export type ByoDeploymentSpec = NonNullable<BYOAgentSpec['deployment']>;
/** The deployment fields Declarative and BYO agents share. */
export type SharedDeploymentSpec = Omit<DeclarativeDeploymentSpec, 'imageRegistry'>;
export type Tool = NonNullable<DeclarativeAgentSpec['tools']>[number];
export type ToolType = NonNullable<Tool['type']>;
export type McpServerTool = NonNullable<Tool['mcpServer']>;
export type TypedReference = NonNullable<Tool['agent']>;
export type SkillForAgent = NonNullable<AgentSpec['skills']>;
export type Agent = KindObject<'Agent', AgentSpec, AgentStatus>;

export type ModelConfigSpec = TypeOf<typeof modelConfigSpec>;
export type ModelConfigStatus = TypeOf<typeof modelConfigStatus>;
export type ModelConfig = KindObject<'ModelConfig', ModelConfigSpec, ModelConfigStatus>;

export type RemoteMCPServerSpec = TypeOf<typeof remoteMCPServerSpec>;
export type RemoteMCPServerStatus = TypeOf<typeof remoteMCPServerStatus>;
export type RemoteMCPServer = KindObject<'RemoteMCPServer', RemoteMCPServerSpec, RemoteMCPServerStatus>;

export type ModelProviderConfigSpec = TypeOf<typeof modelProviderConfigSpec>;
export type ModelProviderConfigStatus = TypeOf<typeof modelProviderConfigStatus>;
export type ModelProviderConfig = KindObject<'ModelProviderConfig', ModelProviderConfigSpec, ModelProviderConfigStatus>;

export interface KindTypes {
  Agent: Agent;
  ModelConfig: ModelConfig;
  RemoteMCPServer: RemoteMCPServer;
  ModelProviderConfig: ModelProviderConfig;
}
