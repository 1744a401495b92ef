// The three kinds of kagent.dev/v1alpha2 that metagent serves: one table row each, from which the CRD YAML, the
// Ajv validators and the defaults are all derived.
import { obj, str, type Schema } from './schema/builders.js';
import { agentSpec, agentStatus } from './schema/agent.js';
import { modelConfigSpec, modelConfigStatus } from './schema/modelconfig.js';
import { remoteMCPServerSpec, remoteMCPServerStatus } from './schema/remotemcpserver.js';
import { modelProviderConfigSpec, modelProviderConfigStatus } from './schema/modelproviderconfig.js';

export const GROUP = 'kagent.dev';
export const VERSION = 'v1alpha2';
export const API_VERSION = `${GROUP}/${VERSION}`;

export type KindName = 'Agent' | 'ModelConfig' | 'RemoteMCPServer' | 'ModelProviderConfig';
export const KIND_NAMES: readonly KindName[] = ['Agent', 'ModelConfig', 'RemoteMCPServer', 'ModelProviderConfig'];

export interface PrinterColumn {
  name: string;
  type: 'string' | 'date' | 'integer' | 'boolean' | 'number';
  jsonPath: string;
  description?: string;
}

export interface KindDef {
  kind: KindName;
  plural: string;
  singular: string;
  shortNames: string[];
  description: string;
  spec: Schema;
  status: Schema;
  printerColumns: PrinterColumn[];
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const condition = (type: string, description: string): PrinterColumn => ({
  name: type,
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=='${type}')].status`,
  description,
});

export const KINDS: Record<KindName, KindDef> = {
  Agent: {
    kind: 'Agent',
    plural: 'agents',
    singular: 'agent',
    shortNames: [],
    description:
      'Agent is an AI agent served over A2A: Declarative (model, system message, tools) or BYO (your image).',
    spec: agentSpec,
    status: agentStatus,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'The type of the agent.' },
      {
        name: 'Runtime',
        type: 'string',
        jsonPath: '.spec.declarative.runtime',
        description: 'The runtime declarative agents ask for (metagent runs its own for both).',
      },
      condition('Ready', 'Whether the agent is ready to serve requests.'),
      condition('Accepted', 'Whether the agent has been accepted by the system.'),
      age,
    ],
  },
  ModelConfig: {
    kind: 'ModelConfig',
    plural: 'modelconfigs',
    singular: 'modelconfig',
    shortNames: ['mc'],
    description: 'ModelConfig is the LLM an agent uses: provider, model, credentials and parameters.',
    spec: modelConfigSpec,
    status: modelConfigStatus,
    printerColumns: [
      { name: 'Provider', type: 'string', jsonPath: '.spec.provider', description: 'The model provider.' },
      { name: 'Model', type: 'string', jsonPath: '.spec.model', description: 'The model name.' },
      age,
    ],
  },
  RemoteMCPServer: {
    kind: 'RemoteMCPServer',
    plural: 'remotemcpservers',
    singular: 'remotemcpserver',
    shortNames: ['rmcps'],
    description: 'RemoteMCPServer is an MCP server reachable over HTTP whose tools agents can use.',
    spec: remoteMCPServerSpec,
    status: remoteMCPServerStatus,
    printerColumns: [
      { name: 'Protocol', type: 'string', jsonPath: '.spec.protocol', description: 'The MCP transport.' },
      { name: 'URL', type: 'string', jsonPath: '.spec.url', description: 'The MCP endpoint.' },
      condition('Accepted', 'Whether the server has been accepted by the system.'),
      age,
    ],
  },
  ModelProviderConfig: {
    kind: 'ModelProviderConfig',
    plural: 'modelproviderconfigs',
    singular: 'modelproviderconfig',
    shortNames: ['mprov'],
    description: 'ModelProviderConfig is a model provider whose available models are discovered and listed in status.',
    spec: modelProviderConfigSpec,
    status: modelProviderConfigStatus,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'The model provider type.' },
      { name: 'Endpoint', type: 'string', jsonPath: '.spec.endpoint', description: 'The provider endpoint.' },
      {
        name: 'Models',
        type: 'integer',
        jsonPath: '.status.modelCount',
        description: 'The number of discovered models.',
      },
      condition('Ready', 'Whether the models were discovered.'),
      age,
    ],
  },
};

/** The whole object's schema (the CRD's openAPIV3Schema). */
export function objectSchema(def: KindDef): Schema {
  return obj(
    def.description,
    {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      // The API server allows nothing but `type` here (it owns metadata's schema), so no description.
      metadata: { type: 'object' },
      spec: def.spec,
      status: def.status,
    },
    ['spec'],
  );
}
