// Chat completions through the openai SDK. openai, azure_openai, ollama and gemini (Google's OpenAI-compatible
// endpoint) all speak this wire format; they differ only in how the client is built.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ModelConfig } from '../config/types.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, ToolCall } from './types.js';

function toOpenAiMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content || null,
          ...(m.toolCalls?.length
            ? { tool_calls: m.toolCalls.map((tc) => ({ id: tc.id, type: 'function' as const, function: { name: tc.name, arguments: tc.arguments } })) }
            : {}),
        };
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
      default:
        return { role: m.role, content: m.content };
    }
  });
}

/** Sampling fields kagent passes through, only when set (providers reject some nulls). */
function samplingOf(cfg: ModelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['temperature', 'top_p', 'max_tokens', 'frequency_penalty', 'presence_penalty', 'seed', 'n', 'reasoning_effort'] as const) {
    if (cfg[key] !== undefined && cfg[key] !== null && cfg[key] !== '') out[key] = cfg[key];
  }
  return out;
}

export class OpenAiCompatibleModel implements ChatModel {
  constructor(
    readonly provider: string,
    readonly model: string,
    private readonly client: OpenAI,
    private readonly cfg: ModelConfig,
    /** Builds a client with another API key, for api_key_passthrough. */
    private readonly withKey?: (apiKey: string) => OpenAI,
  ) {}

  async complete(req: ChatRequest): Promise<ChatResult> {
    const client = req.apiKey && this.withKey ? this.withKey(req.apiKey) : this.client;
    const tools: ChatCompletionTool[] = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    const base = {
      model: this.model,
      messages: toOpenAiMessages(req.messages),
      ...(tools.length ? { tools } : {}),
      ...samplingOf(this.cfg),
    };
    if (!req.onText) {
      const res = await client.chat.completions.create({ ...base, stream: false } as never, { signal: req.signal });
      const completion = res as unknown as OpenAI.Chat.Completions.ChatCompletion;
      const msg = completion.choices[0]?.message;
      return {
        text: msg?.content ?? '',
        toolCalls: (msg?.tool_calls ?? [])
          .filter((tc) => tc.type === 'function')
          .map((tc) => ({ id: tc.id, name: (tc as { function: { name: string } }).function.name, arguments: (tc as { function: { arguments: string } }).function.arguments || '{}' })),
        usage: { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0 },
      };
    }
    const stream = await client.chat.completions.create(
      { ...base, stream: true, stream_options: { include_usage: true } } as never,
      { signal: req.signal },
    );
    let text = '';
    const calls = new Map<number, ToolCall>();
    const usage = { input: 0, output: 0 };
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
      if (chunk.usage) usage.input = chunk.usage.prompt_tokens, (usage.output = chunk.usage.completion_tokens);
      const delta = chunk.choices[0]?.delta;
      if (!delta) continue;
      if (delta.content) {
        text += delta.content;
        req.onText(delta.content);
      }
      for (const tc of delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        calls.set(tc.index, call);
      }
    }
    const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([i, c]) => ({ ...c, id: c.id || `call_${i}`, arguments: c.arguments || '{}' }));
    return { text, toolCalls, usage };
  }
}

/** Client options shared by every OpenAI-compatible provider. Retries are ours (see retry.ts), so the SDK's are off. */
export function clientOptions(cfg: ModelConfig, fetchImpl: typeof fetch) {
  return {
    maxRetries: 0,
    defaultHeaders: cfg.headers ?? {},
    fetch: fetchImpl as never,
    // The loop applies its own per-call deadline through the abort signal; keep the SDK's out of the way.
    timeout: 24 * 3600 * 1000,
  };
}
