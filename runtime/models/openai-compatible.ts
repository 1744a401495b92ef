// Chat completions for every provider that speaks OpenAI's wire format: openai, azure_openai, ollama and gemini (Google's
// OpenAI-compatible endpoint). They differ only in the URL, where the key goes and which key; the call itself is our
// small client over undici (chat-client.ts), not the openai SDK — that SDK cost more CPU per call than the runtime's own
// A2A handling of a message.
import type { ModelConfig } from '../../contract/config.js';
import { ChatCompletionsClient, type ChatClientOptions } from './chat-client.js';
import type { ModelHttp } from './http.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, ToolCall } from './types.js';

function toOpenAiMessages(messages: ChatMessage[]): unknown[] {
  return messages.map((m) => {
    switch (m.role) {
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content || null,
          ...(m.toolCalls?.length
            ? {
                tool_calls: m.toolCalls.map((tc) => ({
                  id: tc.id,
                  type: 'function',
                  function: { name: tc.name, arguments: tc.arguments },
                })),
              }
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
  for (const key of [
    'temperature',
    'top_p',
    'max_tokens',
    'frequency_penalty',
    'presence_penalty',
    'seed',
    'n',
    'reasoning_effort',
  ] as const) {
    if (cfg[key] !== undefined && cfg[key] !== null && cfg[key] !== '') out[key] = cfg[key];
  }
  return out;
}

export class OpenAiCompatibleModel implements ChatModel {
  private readonly sampling: Record<string, unknown>;

  constructor(
    readonly provider: string,
    readonly model: string,
    private readonly client: ChatCompletionsClient,
    cfg: ModelConfig,
    /** Whether a per-call key (api_key_passthrough) replaces the configured one; Ollama has no key. */
    private readonly passthrough = true,
  ) {
    this.sampling = samplingOf(cfg);
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    const apiKey = this.passthrough && req.apiKey ? req.apiKey : undefined;
    const base = {
      model: this.model,
      messages: toOpenAiMessages(req.messages),
      ...(req.tools.length
        ? {
            tools: req.tools.map((t) => ({
              type: 'function',
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
          }
        : {}),
      ...this.sampling,
    };
    if (!req.onText) {
      const completion = await this.client.create({ ...base, stream: false }, req.signal, apiKey);
      const msg = completion.choices?.[0]?.message;
      return {
        text: msg?.content ?? '',
        toolCalls: (msg?.tool_calls ?? [])
          .filter((tc) => (tc.type ?? 'function') === 'function' && tc.function)
          .map((tc) => ({ id: tc.id, name: tc.function!.name, arguments: tc.function!.arguments || '{}' })),
        usage: { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0 },
      };
    }
    let text = '';
    const calls = new Map<number, ToolCall>();
    const usage = { input: 0, output: 0 };
    for await (const chunk of this.client.stream(
      { ...base, stream: true, stream_options: { include_usage: true } },
      req.signal,
      apiKey,
    )) {
      if (chunk.usage) {
        usage.input = chunk.usage.prompt_tokens ?? 0;
        usage.output = chunk.usage.completion_tokens ?? 0;
      }
      const delta = chunk.choices?.[0]?.delta;
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
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([i, c]) => ({ ...c, id: c.id || `call_${i}`, arguments: c.arguments || '{}' }));
    return { text, toolCalls, usage };
  }
}

/** `base` + `path` the way the openai SDK joins them (one slash between), checked here so a bad URL fails at startup. */
export function joinUrl(base: string, path: string): URL {
  const joined = base + (base.endsWith('/') && path.startsWith('/') ? path.slice(1) : path);
  let url: URL | undefined;
  try {
    url = new URL(joined);
  } catch {
    url = undefined;
  }
  // "localhost:8000" parses, as a URL of scheme "localhost:".
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(
      `not a valid http(s) URL: ${JSON.stringify(base)} (model.base_url or the provider's base URL variable)`,
    );
  }
  return url;
}

export interface CompatibleOptions {
  provider: string;
  url: URL;
  apiKey: string;
  keyHeader?: ChatClientOptions['keyHeader'];
  providerHeaders?: Record<string, string>;
  passthrough?: boolean;
}

/** The ChatModel of one OpenAI-compatible provider, over the model's HTTP stack (TLS options included). */
export function openAiCompatible(cfg: ModelConfig, http: ModelHttp, o: CompatibleOptions): ChatModel {
  const client = new ChatCompletionsClient({
    url: o.url.href,
    apiKey: o.apiKey,
    keyHeader: o.keyHeader ?? 'authorization',
    providerHeaders: o.providerHeaders,
    userHeaders: cfg.headers,
    connect: http.connect,
  });
  return new OpenAiCompatibleModel(o.provider, cfg.model, client, cfg, o.passthrough ?? true);
}
