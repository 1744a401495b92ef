// agent-card.json in kagent's format: A2A v0.3 card fields plus `supportedInterfaces` for 0.3 and 1.0 clients.
import type { Agent } from '../../crds/types.js';
import { pythonIdentifier } from './tools.js';

export const AGENT_PORT = 8080;

export function agentUrl(name: string, namespace: string): string {
  return `http://${name}.${namespace}:${AGENT_PORT}`;
}

export function buildAgentCard(agent: Agent): Record<string, unknown> {
  const name = agent.metadata.name ?? '';
  const ns = agent.metadata.namespace ?? '';
  const url = agentUrl(name, ns);
  const skills = (agent.spec.declarative?.a2aConfig?.skills ?? []).map((s) => {
    // Go's a2a AgentSkill: id, name, description, tags (no omitempty: null when unset), the rest omitempty.
    const out: Record<string, unknown> = {
      id: s.id,
      name: s.name,
      description: s.description ?? '',
      tags: s.tags ?? null,
    };
    if (s.examples?.length) out.examples = [...s.examples];
    if (s.inputModes?.length) out.inputModes = [...s.inputModes];
    if (s.outputModes?.length) out.outputModes = [...s.outputModes];
    return out;
  });
  const spec = agent.spec;
  // a2a-go's AgentCard as kagent fills it: iconUrl, documentationUrl and provider are omitempty, version is not.
  return {
    defaultInputModes: ['text'],
    defaultOutputModes: ['text'],
    description: spec.description ?? '',
    name: pythonIdentifier(name),
    version: spec.version ?? '',
    ...(spec.iconUrl ? { iconUrl: spec.iconUrl } : {}),
    ...(spec.documentationUrl ? { documentationUrl: spec.documentationUrl } : {}),
    ...(spec.provider ? { provider: { organization: spec.provider.organization, url: spec.provider.url } } : {}),
    skills,
    capabilities: { streaming: true },
    supportedInterfaces: [
      { url, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      { url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    ],
    url,
    protocolVersion: '0.3',
    preferredTransport: 'JSONRPC',
  };
}
