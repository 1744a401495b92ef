// config.json in kagent's AgentConfig format (go/api/adk/types.go of release/v0.10.x): model, description,
// instruction, MCP tools, remote agents, stream, execute_code and the context block. Declarative agents only; a BYO
// agent's config carries just its description.
import type { Agent } from '../../crds/types.js';
import { ResolutionError } from '../resolve/errors.js';
import type { Related } from '../resolve/related.js';
import { resolveValueSource } from '../resolve/values.js';
import { mergeDeploymentData, translateModel } from './model.js';
import { emptyDeploymentData, type ModelDeploymentData } from './providers/common.js';
import { executeTemplate } from './template.js';
import { translateTools } from './tools.js';

/** The default ModelConfig name when an Agent names none (kagent's default). */
export const DEFAULT_MODEL_CONFIG = 'default-model-config';

export interface TranslatedConfig {
  config: Record<string, unknown>;
  deployment: ModelDeploymentData;
}

export function buildByoConfig(agent: Agent): TranslatedConfig {
  return {
    config: { model: null, description: agent.spec.description ?? '', instruction: '' },
    deployment: emptyDeploymentData(),
  };
}

function rawSystemMessage(related: Related, agent: Agent): string {
  const d = agent.spec.declarative!;
  const ns = agent.metadata.namespace ?? '';
  if (d.systemMessageFrom)
    return resolveValueSource(related, ns, d.systemMessageFrom, 'spec.declarative.systemMessageFrom');
  if (d.systemMessage) return d.systemMessage;
  throw new ResolutionError('InvalidSpec', 'spec.declarative: one of systemMessage or systemMessageFrom must be set');
}

function contextBlock(
  related: Related,
  agent: Agent,
  mainModelName: string,
  mainModel: Record<string, unknown>,
  dd: ModelDeploymentData,
): Record<string, unknown> | undefined {
  const ctx = agent.spec.declarative?.context;
  if (!ctx) return undefined;
  const out: Record<string, unknown> = {};
  const comp = ctx.compaction;
  if (comp) {
    const c: Record<string, unknown> = {};
    if (comp.compactionInterval !== undefined) c.compaction_interval = comp.compactionInterval;
    if (comp.overlapSize !== undefined) c.overlap_size = comp.overlapSize;
    if (comp.summarizer) {
      const name = comp.summarizer.modelConfig ?? '';
      if (name === '' || name === mainModelName) c.summarizer_model = mainModel;
      else {
        const ns = agent.metadata.namespace ?? '';
        const t = translateModel(related, ns, name, 'spec.declarative.context.compaction.summarizer.modelConfig');
        c.summarizer_model = t.model;
        mergeDeploymentData(dd, t.deployment);
      }
      if (comp.summarizer.promptTemplate) c.prompt_template = comp.summarizer.promptTemplate;
    }
    if (comp.tokenThreshold !== undefined) c.token_threshold = comp.tokenThreshold;
    if (comp.eventRetentionSize !== undefined) c.event_retention_size = comp.eventRetentionSize;
    out.compaction = c;
  }
  return out;
}

/**
 * kagent's memory block: the embedding model as adk.EmbeddingConfig (`provider` = the model type), which the runtime's
 * save_memory / load_memory tools embed with. A provider the runtime cannot embed with is named in UnsupportedFeatures
 * (translate.ts).
 */
function memoryBlock(related: Related, agent: Agent, dd: ModelDeploymentData): Record<string, unknown> | undefined {
  const mem = agent.spec.declarative?.memory;
  if (!mem) return undefined;
  const t = translateModel(
    related,
    agent.metadata.namespace ?? '',
    mem.modelConfig,
    'spec.declarative.memory.modelConfig',
  );
  mergeDeploymentData(dd, t.deployment);
  const m = t.model;
  const embedding: Record<string, unknown> = { provider: m.type, model: m.model };
  // ModelToEmbeddingConfig copies base_url for OpenAI and Anthropic (omitempty) and the passthrough flag.
  if ((m.type === 'openai' || m.type === 'anthropic') && m.base_url) embedding.base_url = m.base_url;
  if (m.api_key_passthrough && (m.type === 'openai' || m.type === 'azure_openai')) embedding.api_key_passthrough = true;
  const out: Record<string, unknown> = {};
  if (mem.ttlDays) out.ttl_days = mem.ttlDays;
  out.embedding = embedding;
  return out;
}

function promptLookup(related: Related, agent: Agent): Map<string, string> {
  const ns = agent.metadata.namespace ?? '';
  const lookup = new Map<string, string>();
  for (const [i, src] of (agent.spec.declarative?.promptTemplate?.dataSources ?? []).entries()) {
    if (src.kind && src.kind !== 'ConfigMap') {
      throw new ResolutionError(
        'InvalidSpec',
        `spec.declarative.promptTemplate.dataSources[${i}]: kind ${src.kind} is not supported (ConfigMap only)`,
      );
    }
    const cm = related.configMap(ns, src.name, `spec.declarative.promptTemplate.dataSources[${i}]`);
    const id = src.alias || src.name;
    for (const [key, value] of Object.entries((cm.data as Record<string, string> | undefined) ?? {})) {
      const k = `${id}/${key}`;
      if (lookup.has(k))
        throw new ResolutionError(
          'InvalidSpec',
          `spec.declarative.promptTemplate: duplicate prompt template identifier "${k}"`,
        );
      lookup.set(k, value);
    }
  }
  return lookup;
}

export function buildDeclarativeConfig(related: Related, agent: Agent, proxyUrl?: string): TranslatedConfig {
  const d = agent.spec.declarative;
  if (!d) throw new ResolutionError('InvalidSpec', 'spec.declarative is required when spec.type is Declarative');
  const ns = agent.metadata.namespace ?? '';
  const modelName = d.modelConfig || DEFAULT_MODEL_CONFIG;
  const main = translateModel(related, ns, modelName, 'spec.declarative.modelConfig');
  const dd = main.deployment;
  const instruction = rawSystemMessage(related, agent);

  const config: Record<string, unknown> = { model: main.model, description: agent.spec.description ?? '', instruction };
  const tools = translateTools(related, agent, d.tools ?? [], dd, proxyUrl);
  if (tools.http_tools.length) config.http_tools = tools.http_tools;
  if (tools.sse_tools.length) config.sse_tools = tools.sse_tools;
  if (tools.remote_agents.length) config.remote_agents = tools.remote_agents;
  config.stream = d.stream ?? false;
  const memory = memoryBlock(related, agent, dd);
  if (memory) config.memory = memory;
  if (d.executeCodeBlocks) config.execute_code = true;
  // kagent's runtime reads shareTools from the Agent itself; ours has only config.json, so the flag is carried there
  // (only when on, so kagent's golden outputs stay byte-identical).
  if (d.shareTools) config.share_tools = true;
  const context = contextBlock(related, agent, modelName, main.model, dd);
  if (context) config.context_config = context;

  if (d.promptTemplate?.dataSources?.length) {
    const lookup = promptLookup(related, agent);
    const toolNames = [...tools.http_tools, ...tools.sse_tools].flatMap((t) => (t.tools as string[] | undefined) ?? []);
    try {
      config.instruction = executeTemplate(instruction, lookup, {
        AgentName: agent.metadata.name ?? '',
        AgentNamespace: ns,
        Description: agent.spec.description ?? '',
        ToolNames: toolNames,
        SkillNames: [],
      });
    } catch (e) {
      throw new ResolutionError('InvalidSpec', `spec.declarative.systemMessage template: ${(e as Error).message}`);
    }
  }
  return { config, deployment: dd };
}
