// Agent (+ related objects) -> the two documents of the config Secret and what the model/tools add to the pod.
// Throws ResolutionError when a reference cannot be resolved; pure otherwise.
import { describeUnsupported } from '../../crds/index.js';
import { RUNTIME_EMBEDDING_TYPES, RUNTIME_MODEL_TYPES } from '../../contract/model-types.js';
import type { Agent } from '../../crds/types.js';
import { ResolutionError } from '../resolve/errors.js';
import type { Related } from '../resolve/related.js';
import { buildAgentCard } from './card.js';
import { buildByoConfig, buildDeclarativeConfig } from './config.js';
import type { ModelDeploymentData } from './providers/common.js';
import { buildSkillsInit, hasSkills, skillsInitConfigMapName, type SkillsInit } from './skills.js';

export interface Translation {
  /** config.json exactly as written into the Secret (compact JSON, as kagent writes it). */
  configJson: string;
  /** agent-card.json exactly as written into the Secret (indented, as kagent writes it). */
  cardJson: string;
  deployment: ModelDeploymentData;
  /** Digest of the contents of every Secret the translation read. */
  secretsDigest: string;
  /** config.json's `model.type` (absent for BYO agents). */
  modelType?: string;
  /** config.json's `memory.embedding.provider`, when the Agent has memory. */
  embeddingType?: string;
  /** The skills-init container's config, when the Agent has skills (skills.ts). */
  skills?: SkillsInit;
  /**
   * kagent's sandbox settings (srt-settings.json in the Secret, KAGENT_SRT_SETTINGS_PATH): written for a declarative
   * Agent with skills or executeCodeBlocks, for kagent's runtime, whose bash/code sandbox reads them.
   */
  sandboxSettings: boolean;
}

/** spec.skills -> the skills-init config, or undefined without skills. */
function translateSkills(agent: Agent): SkillsInit | undefined {
  if (!hasSkills(agent.spec.skills)) return undefined;
  const cm = skillsInitConfigMapName(agent.metadata.name ?? '');
  // The Agent's name is a valid DNS subdomain already; only the suffix can push it over the limit.
  if (cm.length > 253)
    throw new ResolutionError(
      'InvalidSpec',
      `metadata.name: too long for an Agent with skills (the ConfigMap name "${cm.slice(0, 40)}..." exceeds 253 characters)`,
    );
  return buildSkillsInit(agent.spec.skills);
}

/** `proxyUrl`: the hook server's gateway proxy option (proxy.ts). */
export function translateAgent(agent: Agent, related: Related, opts: { proxyUrl?: string } = {}): Translation {
  const type = agent.spec?.type ?? 'Declarative';
  let t;
  if (type === 'Declarative') t = buildDeclarativeConfig(related, agent, opts.proxyUrl);
  else if (type === 'BYO') {
    if (!agent.spec.byo?.deployment?.image)
      throw new ResolutionError('InvalidSpec', 'spec.byo.deployment.image is required when spec.type is BYO');
    t = buildByoConfig(agent);
  } else throw new ResolutionError('InvalidSpec', `spec.type: unknown agent type "${String(type)}"`);
  const skills = translateSkills(agent);
  return {
    configJson: JSON.stringify(t.config),
    cardJson: JSON.stringify(buildAgentCard(agent), null, 2),
    deployment: t.deployment,
    secretsDigest: related.secretsDigest(),
    modelType: (t.config.model as { type?: string } | null)?.type,
    embeddingType: (t.config.memory as { embedding?: { provider?: string } } | undefined)?.embedding?.provider,
    skills,
    sandboxSettings:
      type === 'Declarative' && (skills !== undefined || agent.spec.declarative?.executeCodeBlocks === true),
  };
}

const runtimeModelTypes: ReadonlySet<string> = new Set(RUNTIME_MODEL_TYPES);
const runtimeEmbeddingTypes: ReadonlySet<string> = new Set(RUNTIME_EMBEDDING_TYPES);

/**
 * Fields accepted but not honoured: the Agent's own (crds/unsupported.ts), and a model provider that kagent's
 * config format has but this project's runtime has no client for (the Agent is valid and kagent's runtime image
 * would serve it, so it stays Accepted — but the user must hear that ours will not start).
 */
export function unsupportedFeatures(agent: Agent, translation?: Translation): { path: string; reason: string }[] {
  const items = describeUnsupported('Agent', agent);
  const type = translation?.modelType;
  if (type && !runtimeModelTypes.has(type)) {
    items.push({
      path: 'spec.declarative.modelConfig',
      reason: `its provider becomes model type "${type}", which the metagent runtime has no client for yet (supported: ${RUNTIME_MODEL_TYPES.join(', ')})`,
    });
  }
  const embedding = translation?.embeddingType;
  if (embedding && !runtimeEmbeddingTypes.has(embedding)) {
    items.push({
      path: 'spec.declarative.memory.modelConfig',
      reason: `its provider becomes embedding provider "${embedding}", which the metagent runtime cannot embed with (supported: ${RUNTIME_EMBEDDING_TYPES.join(', ')})`,
    });
  }
  return items;
}
