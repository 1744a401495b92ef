// The provider table: one module per kagent ModelConfig provider. Adding a provider is adding a row.
import type { ModelProvider } from '../../../crds/types.js';
import { anthropic } from './anthropic.js';
import { azureOpenAI } from './azure-openai.js';
import { bedrock } from './bedrock.js';
import type { ProviderModule } from './common.js';
import { gemini } from './gemini.js';
import { ollama } from './ollama.js';
import { openai } from './openai.js';
import { anthropicVertexAI, geminiVertexAI } from './vertex.js';

export const PROVIDERS: ReadonlyMap<ModelProvider, ProviderModule> = new Map(
  [openai, anthropic, azureOpenAI, gemini, geminiVertexAI, anthropicVertexAI, ollama, bedrock].map((p) => [
    p.provider,
    p,
  ]),
);

export type { ModelDeploymentData, ProviderModule } from './common.js';
