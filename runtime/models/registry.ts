// The one table of model providers. Adding a provider = one module + one row here.
import type { ModelConfig } from '../config/types.js';
import { ConfigError } from '../config/load.js';
import { modelFetch } from './http.js';
import type { ChatModel, ProviderFactory } from './types.js';
import { createOpenAi } from './openai.js';
import { createAzureOpenAi } from './azure_openai.js';
import { createAnthropic } from './anthropic.js';
import { createOllama } from './ollama.js';
import { createGemini } from './gemini.js';
import { createBedrock } from './bedrock.js';

export const providers: Readonly<Record<string, ProviderFactory>> = Object.freeze({
  openai: createOpenAi,
  azure_openai: createAzureOpenAi,
  anthropic: createAnthropic,
  ollama: createOllama,
  gemini: createGemini,
  bedrock: createBedrock,
});

/** Builds the configured model; an unknown provider or unusable setting is a ConfigError naming the field. */
export function createModel(cfg: ModelConfig, env: NodeJS.ProcessEnv, configFile = 'config.json'): ChatModel {
  const factory = providers[cfg.type];
  if (!factory) {
    throw new ConfigError(configFile, 'model.type', `unsupported model provider "${cfg.type}" (supported: ${Object.keys(providers).join(', ')})`);
  }
  try {
    return factory(cfg, env, modelFetch(cfg));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(configFile, 'model', (err as Error).message);
  }
}
