// Google Vertex AI: Gemini (`gemini_vertex_ai`) and Anthropic-on-Vertex (`gemini_anthropic`) share the wiring:
// project and location env vars and, when a Secret is named, a service-account key file mounted at /creds.
import type { ModelConfig } from '../../../crds/types.js';
import { ResolutionError } from '../../resolve/errors.js';
import {
  addTLSMount,
  baseModel,
  commonModelTail,
  countField,
  decimalField,
  emptyDeploymentData,
  put,
  type ProviderInput,
  type ProviderModule,
  type ProviderOutput,
} from './common.js';

function vertex(
  input: ProviderInput,
  type: string,
  cfg: { projectID: string; location: string } | undefined,
  field: string,
  useVertexEnv: boolean,
): ProviderOutput {
  const { mc, namespace, related } = input;
  if (!cfg)
    throw new ResolutionError(
      'InvalidSpec',
      `ModelConfig ${namespace}/${mc.metadata.name}: ${field} is required for provider ${mc.spec.provider}`,
    );
  const dd = emptyDeploymentData();
  addTLSMount(dd, mc.spec.tls, namespace, related, `ModelConfig ${namespace}/${mc.metadata.name}`);
  dd.env.push(
    { name: 'GOOGLE_CLOUD_PROJECT', value: cfg.projectID },
    { name: 'GOOGLE_CLOUD_LOCATION', value: cfg.location },
  );
  if (useVertexEnv) dd.env.push({ name: 'GOOGLE_GENAI_USE_VERTEXAI', value: 'true' });
  if (mc.spec.apiKeySecret) {
    const key = mc.spec.apiKeySecretKey ?? '';
    related.requireSecretKey(
      namespace,
      mc.spec.apiKeySecret,
      key,
      `credentials of ModelConfig ${namespace}/${mc.metadata.name}`,
    );
    dd.env.push({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `/creds/${key}` });
    // No defaultMode, as kagent writes it: the API server fills in 0644 either way.
    dd.volumes.push({ name: 'google-creds', secret: { secretName: mc.spec.apiKeySecret } });
    dd.volumeMounts.push({ name: 'google-creds', mountPath: '/creds' });
  }
  const model = baseModel(type, mc);
  commonModelTail(model, mc);
  if (type === 'gemini_vertex_ai') geminiGeneration(input, model);
  if (type === 'gemini_anthropic') anthropicGeneration(input, model);
  return { model, deployment: dd };
}

/**
 * Gemini's generation fields. kagent's GeminiVertexAI config.json carries only max_output_tokens; the others are
 * written only when set (so kagent's golden outputs stay as they are). The runtime sends them all in generateContent's
 * generationConfig; topK as the decimal number it is in the ModelConfig (Vertex's topK is a float).
 */
function geminiGeneration(input: ProviderInput, model: Record<string, unknown>): void {
  const g = input.mc.spec.geminiVertexAI;
  if (!g) return;
  const f = (name: string) => `geminiVertexAI.${name}`;
  put(model, 'max_output_tokens', g.maxOutputTokens);
  put(model, 'temperature', decimalField(input, f('temperature'), g.temperature));
  put(model, 'top_p', decimalField(input, f('topP'), g.topP));
  put(model, 'top_k', decimalField(input, f('topK'), g.topK));
  if (g.stopSequences?.length) model.stop_sequences = [...g.stopSequences];
  put(model, 'candidate_count', countField(input, f('candidateCount'), g.candidateCount));
  if (g.responseMimeType?.trim()) model.response_mime_type = g.responseMimeType.trim();
}

/**
 * Claude's generation fields, which kagent's GeminiAnthropic config.json drops: written only when set (so kagent's
 * golden outputs stay as they are), as the Messages API takes them (top_k a whole number, although kagent's schema
 * keeps it a decimal string like temperature and topP).
 */
function anthropicGeneration(input: ProviderInput, model: Record<string, unknown>): void {
  const a = input.mc.spec.anthropicVertexAI;
  if (!a) return;
  const f = (name: string) => `anthropicVertexAI.${name}`;
  put(model, 'max_tokens', countField(input, f('maxTokens'), a.maxTokens));
  put(model, 'temperature', decimalField(input, f('temperature'), a.temperature));
  put(model, 'top_p', decimalField(input, f('topP'), a.topP));
  put(model, 'top_k', countField(input, f('topK'), decimalField(input, f('topK'), a.topK)));
  if (a.stopSequences?.length) model.stop_sequences = [...a.stopSequences];
}

export const geminiVertexAI: ProviderModule = {
  provider: 'GeminiVertexAI',
  translate: (input) =>
    vertex(input, 'gemini_vertex_ai', (input.mc as ModelConfig).spec.geminiVertexAI, 'geminiVertexAI', true),
};

export const anthropicVertexAI: ProviderModule = {
  provider: 'AnthropicVertexAI',
  translate: (input) => vertex(input, 'gemini_anthropic', input.mc.spec.anthropicVertexAI, 'anthropicVertexAI', false),
};
