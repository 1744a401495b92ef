// The one table of model providers. Adding a provider = one module + one row here.
import type { ModelConfig } from '../../contract/config.js';
import { ConfigError } from '../../contract/validate.js';
import { modelHttp } from './http.js';
import type { ChatModel, ProviderFactory } from './types.js';
import type { RuntimeModelType } from '../../contract/model-types.js';
// Loaded on demand: an agent pays the import time of its own provider's SDK only (cold start matters per pod).
export const providers: Readonly<Record<string, () => Promise<ProviderFactory>>> = Object.freeze<
  Record<RuntimeModelType, () => Promise<ProviderFactory>>
>({
  openai: async () => (await import('./openai.js')).createOpenAi,
  azure_openai: async () => (await import('./azure_openai.js')).createAzureOpenAi,
  anthropic: async () => (await import('./anthropic.js')).createAnthropic,
  ollama: async () => (await import('./ollama.js')).createOllama,
  gemini: async () => (await import('./gemini.js')).createGemini,
  bedrock: async () => (await import('./bedrock.js')).createBedrock,
  gemini_vertex_ai: async () => (await import('./gemini_vertex_ai.js')).createGeminiVertexAi,
  gemini_anthropic: async () => (await import('./gemini_anthropic.js')).createAnthropicVertex,
});

/** Builds the configured model; an unknown provider or unusable setting is a ConfigError naming the field. */
export async function createModel(
  cfg: ModelConfig,
  env: NodeJS.ProcessEnv,
  configFile = 'config.json',
): Promise<ChatModel> {
  const load = providers[cfg.type];
  if (!load) {
    throw new ConfigError(
      configFile,
      'model.type',
      `unsupported model provider "${cfg.type}" (supported: ${Object.keys(providers).join(', ')})`,
    );
  }
  const factory = await load();
  try {
    return factory(cfg, env, modelHttp(cfg));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(configFile, 'model', (err as Error).message);
  }
}
