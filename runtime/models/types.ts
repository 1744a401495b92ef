// The provider-neutral chat interface the agent loop talks to. Every provider module adapts its SDK to this shape,
// so the loop never branches on the provider.
import type { ModelConfig } from '../../contract/config.js';
import type { ModelHttp } from './http.js';

export interface ToolCall {
  id: string;
  name: string;
  /** The model's raw JSON argument text. */
  arguments: string;
  /** Gemini's thoughtSignature of the call, which must be sent back with it on the next turn (gemini_vertex_ai). */
  thoughtSignature?: string;
}

/** A file of an A2A message: bytes (base64) or a URL, with its media type (models/attachments.ts passes it on). */
export interface Attachment {
  mimeType: string;
  name?: string;
  /** base64 (A2A FileWithBytes / raw). */
  data?: string;
  /** A2A FileWithUri / url. */
  uri?: string;
}

/** One turn of the conversation, JSON-serialisable: these records are what the conversation store keeps. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; attachments?: Attachment[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  signal: AbortSignal;
  /** Called with each text delta when streaming; the model then streams from the provider. */
  onText?: (delta: string) => void;
  /** Overrides the configured API key (kagent's api_key_passthrough: the caller's bearer token). */
  apiKey?: string;
}

export interface ChatResult {
  text: string;
  toolCalls: ToolCall[];
  usage: { input: number; output: number };
}

export interface ChatModel {
  /** Provider type and model name, for logs, metrics and spans. */
  readonly provider: string;
  readonly model: string;
  complete(req: ChatRequest): Promise<ChatResult>;
}

/** HTTP status of a provider error, if it has one (ModelApiError, BedrockError and the Anthropic SDK's errors expose `status`). */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Builds a provider's model; `http` is the model's HTTP stack (one undici Agent with the TLS options). */
export type ProviderFactory = (cfg: ModelConfig, env: NodeJS.ProcessEnv, http: ModelHttp) => ChatModel;
