// Chat completions for every provider that speaks OpenAI's wire format: openai, azure_openai, gemini (Google's
// OpenAI-compatible endpoint) and gemini_vertex_ai (Vertex's). They differ only in the URL, where the key goes and which
// key; the call itself is the openai SDK's (openai-client.ts), its errors translated to ModelApiError here.
import type OpenAI from 'openai';
import type { ModelConfig } from '../../contract/config.js';
import type { ModelHttp } from './http.js';
import { openAiChatContent } from './attachments.js';
import { ModelApiError, providerMessage } from './model-error.js';
import { keyHeaders, openAiClient, openAiFailure, type OpenAiClientOptions } from './openai-client.js';
import { ResponsesModel } from './openai-responses.js';
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
      case 'user':
        return { role: 'user', content: openAiChatContent(m) };
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
    'max_completion_tokens',
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
    private readonly client: OpenAI,
    cfg: ModelConfig,
    private readonly o: { azure: boolean; apiKey: string; url: string; passthrough: boolean },
    body: Record<string, unknown> = {},
  ) {
    this.sampling = { ...samplingOf(cfg), ...body };
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    const apiKey = this.o.passthrough && req.apiKey ? req.apiKey : undefined;
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
    const options = { signal: req.signal, headers: keyHeaders(this.o.azure, apiKey) };
    try {
      if (!req.onText) return await this.whole(base, options);
      return await this.streamed(base, options, req.onText);
    } catch (err) {
      throw openAiFailure(err, req.signal, [apiKey, this.o.apiKey], this.o.url);
    }
  }

  private async whole(base: object, options: object): Promise<ChatResult> {
    const completion = (await this.client.chat.completions.create(
      { ...base, stream: false } as never,
      options,
    )) as unknown as WireCompletion;
    if (!completion || typeof completion !== 'object')
      throw new ModelApiError('the response is not a chat completion object', 'response');
    // Some proxies answer an error with 200 and an OpenAI error object.
    if (completion.error) throw bodyError(completion, 'response');
    const msg = completion.choices?.find((c) => (c.index ?? 0) === 0)?.message;
    return {
      text: msg?.content ?? '',
      toolCalls: (msg?.tool_calls ?? [])
        .filter((tc) => (tc.type ?? 'function') === 'function' && tc.function)
        .map((tc) => ({ id: tc.id, name: tc.function!.name, arguments: tc.function!.arguments || '{}' })),
      usage: { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0 },
    };
  }

  private async streamed(base: object, options: object, onText: (delta: string) => void): Promise<ChatResult> {
    let text = '';
    const calls = new Map<number, ToolCall>();
    const usage = { input: 0, output: 0 };
    let finished = false;
    const stream = (await this.client.chat.completions.create(
      { ...base, stream: true, stream_options: { include_usage: true } } as never,
      options,
    )) as unknown as AsyncIterable<WireChunk | null>;
    for await (const chunk of stream) {
      if (!chunk || typeof chunk !== 'object') continue; // `data: null` and the like carry nothing
      if (chunk.usage) {
        usage.input = chunk.usage.prompt_tokens ?? 0;
        usage.output = chunk.usage.completion_tokens ?? 0;
      }
      if (chunk.choices?.some((c) => c.finish_reason)) finished = true;
      // With n > 1 (Vertex's candidateCount) a chunk may carry another candidate's delta: the agent reads the first.
      const delta = chunk.choices?.find((c) => (c.index ?? 0) === 0)?.delta;
      if (!delta) continue;
      if (delta.content) {
        text += delta.content;
        onText(delta.content);
      }
      for (const tc of delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        calls.set(tc.index, call);
      }
    }
    // The SDK's stream ends quietly when aborted, at [DONE] and at a cut connection alike: an aborted call rejects
    // with the abort's reason (as fetch does), and a cut connection is not an answer.
    const signal = (options as { signal: AbortSignal }).signal;
    if (signal.aborted) throw signal.reason;
    if (!finished) throw new ModelApiError('the stream ended before the model finished (no finish_reason)', 'stream');
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([i, c]) => ({ ...c, id: c.id || `call_${i}`, arguments: c.arguments || '{}' }));
    return { text, toolCalls, usage };
  }
}

interface WireCompletion {
  error?: unknown;
  choices?: Array<{
    index?: number;
    message?: {
      content?: string | null;
      tool_calls?: Array<{ id: string; type?: string; function?: { name: string; arguments?: string } }> | null;
    };
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

interface WireChunk {
  choices?: Array<{
    index?: number;
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> | null;
    };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

function bodyError(body: unknown, kind: 'response' | 'stream'): ModelApiError {
  const found = providerMessage(body);
  return new ModelApiError(found.message ?? 'error without a message', kind, found.status, found.code);
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

/** Gemini's `max_output_tokens` (kagent's name) as the OpenAI-compatible endpoints' `max_tokens`, unless that is set. */
export function withOutputLimit(cfg: ModelConfig): ModelConfig {
  return cfg.max_output_tokens !== undefined && cfg.max_tokens === undefined
    ? { ...cfg, max_tokens: cfg.max_output_tokens }
    : cfg;
}

/** A base URL checked at startup (a bad one fails there, naming the field), as the SDK will join paths to it. */
export function checkedBase(base: string): string {
  joinUrl(base, '/chat/completions');
  return base;
}

export interface CompatibleOptions {
  provider: string;
  /** The API base the SDK appends /chat/completions to (for Azure, the resource base). */
  baseURL: string;
  apiKey: string;
  azure?: OpenAiClientOptions['azure'];
  organization?: string;
  project?: string;
  passthrough?: boolean;
  /** Provider-specific request fields, sent on every call after the shared sampling fields. */
  body?: Record<string, unknown>;
}

/** The ChatModel of one OpenAI-compatible provider, over the model's HTTP stack (TLS options included). */
export function openAiCompatible(cfg: ModelConfig, http: ModelHttp, o: CompatibleOptions): ChatModel {
  const client = openAiClient(http, {
    apiKey: o.apiKey,
    baseURL: o.baseURL,
    azure: o.azure,
    organization: o.organization,
    project: o.project,
    headers: cfg.headers,
  });
  const settings = { azure: !!o.azure, apiKey: o.apiKey, url: o.baseURL, passthrough: o.passthrough ?? true };
  // kagent's api_format: Chat Completions (the default) or the Responses API.
  const format = cfg.api_format ?? 'chatCompletions';
  if (format === 'responses') return new ResponsesModel(o.provider, cfg.model, client, cfg, settings);
  if (format !== 'chatCompletions')
    throw new Error(`model.api_format: must be "chatCompletions" or "responses", got ${JSON.stringify(format)}`);
  return new OpenAiCompatibleModel(o.provider, cfg.model, client, cfg, settings, o.body);
}
