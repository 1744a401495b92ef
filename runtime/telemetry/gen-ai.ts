// OpenTelemetry gen_ai semantic-convention attribute names (semconv "gen_ai.*", still incubating upstream, so spelled
// out here instead of importing the incubating entry point) and helpers that build attribute sets for spans.
import type { Attributes } from '@opentelemetry/api';

export const GEN_AI = {
  system: 'gen_ai.system',
  operationName: 'gen_ai.operation.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
} as const;

/** gen_ai.operation.name values the runtime uses. */
export const GEN_AI_OPERATION = {
  chat: 'chat',
  embeddings: 'embeddings',
  executeTool: 'execute_tool',
  invokeAgent: 'invoke_agent',
} as const;

/**
 * gen_ai.system for a kagent provider name (`OpenAI`, `AzureOpenAI`, `Anthropic`, `Ollama`, `Gemini`, ... in any case).
 * Unknown providers pass through lower-cased.
 */
const SYSTEM_BY_PROVIDER: Record<string, string> = {
  openai: 'openai',
  azure_openai: 'az.ai.openai',
  azureopenai: 'az.ai.openai',
  anthropic: 'anthropic',
  ollama: 'ollama',
  gemini: 'gcp.gemini',
  geminivertexai: 'gcp.vertex_ai',
  anthropicvertexai: 'gcp.vertex_ai',
};

export function genAiSystem(provider: string): string {
  const key = provider.toLowerCase();
  return SYSTEM_BY_PROVIDER[key] ?? SYSTEM_BY_PROVIDER[key.replace(/[^a-z]/g, '')] ?? key;
}

/** Attributes for a span around one LLM call, set when the call starts. */
export function llmRequestAttributes(opts: { provider: string; model: string; operation?: string }): Attributes {
  return {
    [GEN_AI.system]: genAiSystem(opts.provider),
    [GEN_AI.operationName]: opts.operation ?? GEN_AI_OPERATION.chat,
    [GEN_AI.requestModel]: opts.model,
  };
}

/** Attributes for the usage a provider reported, set when the call ends; missing counts are left out. */
export function llmUsageAttributes(usage: {
  inputTokens?: number;
  outputTokens?: number;
  responseModel?: string;
}): Attributes {
  const attrs: Attributes = {};
  if (usage.inputTokens !== undefined) attrs[GEN_AI.usageInputTokens] = usage.inputTokens;
  if (usage.outputTokens !== undefined) attrs[GEN_AI.usageOutputTokens] = usage.outputTokens;
  if (usage.responseModel !== undefined) attrs[GEN_AI.responseModel] = usage.responseModel;
  return attrs;
}

/** Attributes for a span around one tool call (an MCP tool or a remote agent). */
export function toolCallAttributes(opts: { tool: string; callId?: string }): Attributes {
  const attrs: Attributes = {
    [GEN_AI.operationName]: GEN_AI_OPERATION.executeTool,
    [GEN_AI.toolName]: opts.tool,
  };
  if (opts.callId !== undefined) attrs[GEN_AI.toolCallId] = opts.callId;
  return attrs;
}

/** Attributes for the span around a whole task (an agent invocation). */
export function agentTaskAttributes(opts: { agent: string; contextId?: string }): Attributes {
  const attrs: Attributes = {
    [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
    [GEN_AI.agentName]: opts.agent,
  };
  if (opts.contextId !== undefined) attrs[GEN_AI.conversationId] = opts.contextId;
  return attrs;
}
