// ModelConfig -> config.json `model` block + what the model adds to the pod, through the provider table.
import type { ModelConfig } from '../../crds/types.js';
import { ResolutionError } from '../resolve/errors.js';
import { KAGENT_API_VERSION, type Related } from '../resolve/related.js';
import { modelConfigViewRefs } from '../modelconfig/refs.js';
import type { KubeObject } from '../protocol.js';
import { PROVIDERS, type ModelDeploymentData } from './providers/index.js';

const asObject = (o: ModelConfig): KubeObject => o as unknown as KubeObject;

export interface TranslatedModel {
  model: Record<string, unknown>;
  deployment: ModelDeploymentData;
}

/** Find the ModelConfig `name` in `namespace` (ModelConfigs are always same-namespace in kagent). */
export function findModelConfig(related: Related, namespace: string, name: string, why: string): ModelConfig {
  const mc = related.get('ModelConfig', KAGENT_API_VERSION, namespace, name) as ModelConfig | undefined;
  if (!mc) throw new ResolutionError('ModelConfigNotFound', `ModelConfig ${namespace}/${name} (${why}) not found`);
  return mc;
}

export function translateModel(related: Related, namespace: string, name: string, why: string): TranslatedModel {
  const mc = findModelConfig(related, namespace, name, why);
  const provider = mc.spec.provider ?? 'OpenAI';
  const mod = PROVIDERS.get(provider);
  if (!mod) {
    throw new ResolutionError(
      'InvalidSpec',
      `ModelConfig ${namespace}/${name}: provider ${provider} is not supported by metagent`,
    );
  }
  // The ModelConfig's own Secrets are read through its view: the Agent's request does not carry them.
  return mod.translate({
    mc,
    namespace,
    related: related.viewOf('ModelConfig', asObject(mc), modelConfigViewRefs(asObject(mc))),
  });
}

/** kagent's mergeDeploymentData: add env/volumes/mounts not already present (by name, and name+path for mounts). */
export function mergeDeploymentData(dst: ModelDeploymentData, src: ModelDeploymentData): void {
  for (const e of src.env) if (!dst.env.some((x) => x.name === e.name)) dst.env.push(e);
  for (const v of src.volumes) if (!dst.volumes.some((x) => x.name === v.name)) dst.volumes.push(v);
  for (const m of src.volumeMounts) {
    if (!dst.volumeMounts.some((x) => x.name === m.name && x.mountPath === m.mountPath)) dst.volumeMounts.push(m);
  }
}
