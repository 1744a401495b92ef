// What the two Vertex AI providers (gemini_vertex_ai, gemini_anthropic) share: the project's regional base URL, from
// GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION (the sync hook sets them from the ModelConfig) unless base_url is given.
import type { ModelConfig } from '../../contract/config.js';

/** Vertex's base for a project and location ("global" has no regional host). */
export function vertexProjectBase(project: string, location: string): string {
  const host = location === 'global' ? 'aiplatform.googleapis.com' : `${location}-aiplatform.googleapis.com`;
  return `https://${host}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}`;
}

/** The model's Vertex base URL (no trailing slash); a missing project or location is a startup error naming them. */
export function vertexBase(cfg: ModelConfig, env: NodeJS.ProcessEnv, type: string): string {
  if (cfg.base_url) return cfg.base_url.replace(/\/+$/, '');
  const project = env.GOOGLE_CLOUD_PROJECT;
  const location = env.GOOGLE_CLOUD_LOCATION;
  if (!project || !location) {
    throw new Error(
      `${type} needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION in the environment (the sync hook sets them from the ModelConfig)`,
    );
  }
  return vertexProjectBase(project, location);
}
