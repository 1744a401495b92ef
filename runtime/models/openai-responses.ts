// OpenAI's Responses API (kagent's `api_format: responses`) through the openai SDK: the conversation records become
// input items (tool calls as function_call, tool results as function_call_output), the system prompt becomes
// `instructions`, and the answer is read from the output items — streamed as response.output_text.delta events,
// the finished response (tool calls, usage) from response.completed. Sampling fields the Responses API has no
// parameter for (frequency/presence penalty, seed, n) are refused at startup rather than dropped.
import type OpenAI from 'openai';
import type { ModelConfig } from '../../contract/config.js';
import { responsesContent } from './attachments.js';
import { ModelApiError, providerMessage } from './model-error.js';
import { keyHeaders, openAiFailure } from './openai-client.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, ToolCall } from './types.js';

type Item = Record<string, unknown>;

export function toResponsesInput(messages: ChatMessage[]): { instructions?: string; input: Item[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const input: Item[] = [];
  for (const m of messages) {
    if (m.role === 'user') input.push({ role: 'user', content: responsesContent(m) });
    else if (m.role === 'tool') input.push({ type: 'function_call_output', call_id: m.toolCallId, output: m.content });
    else if (m.role === 'assistant') {
      if (m.content) input.push({ role: 'assistant', content: m.content });
      for (const tc of m.toolCalls ?? [])
        input.push({ type: 'function_call', call_id: tc.id, name: tc.name, arguments: tc.arguments || '{}' });
    }
  }
  return { ...(system.length ? { instructions: system.join('\n\n') } : {}), input };
}

/** Sampling fields without a Responses API parameter: refused when set, naming the field. */
const NOT_IN_RESPONSES = ['frequency_penalty', 'presence_penalty', 'seed', 'n'] as const;

export function responsesSampling(cfg: ModelConfig): Record<string, unknown> {
  for (const key of NOT_IN_RESPONSES)
    if (cfg[key] !== undefined && cfg[key] !== null)
      throw new Error(`model.${key}: the Responses API (model.api_format: responses) has no such parameter`);
  const out: Record<string, unknown> = {};
  if (cfg.temperature !== undefined) out.temperature = cfg.temperature;
  if (cfg.top_p !== undefined) out.top_p = cfg.top_p;
  const limit = cfg.max_completion_tokens ?? cfg.max_tokens;
  if (limit !== undefined) out.max_output_tokens = limit;
  if (cfg.reasoning_effort) out.reasoning = { effort: cfg.reasoning_effort };
  return out;
}

interface WireResponse {
  error?: unknown;
  status?: string;
  output?: Array<{
    type?: string;
    content?: Array<{ type?: string; text?: string }>;
    call_id?: string;
    name?: string;
    arguments?: string;
  }>;
  usage?: { input_tokens?: number; output_tokens?: number } | null;
  incomplete_details?: { reason?: string } | null;
}

function fromResponse(r: WireResponse): ChatResult {
  if (r.error) {
    const found = providerMessage({ error: r.error });
    throw new ModelApiError(found.message ?? 'the response failed', 'response', found.status, found.code);
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const item of r.output ?? []) {
    if (item.type === 'message')
      for (const part of item.content ?? []) if (part.type === 'output_text') text += part.text ?? '';
    if (item.type === 'function_call')
      toolCalls.push({ id: item.call_id ?? '', name: item.name ?? '', arguments: item.arguments || '{}' });
  }
  return { text, toolCalls, usage: { input: r.usage?.input_tokens ?? 0, output: r.usage?.output_tokens ?? 0 } };
}

export class ResponsesModel implements ChatModel {
  private readonly sampling: Record<string, unknown>;

  constructor(
    readonly provider: string,
    readonly model: string,
    private readonly client: OpenAI,
    cfg: ModelConfig,
    private readonly o: { azure: boolean; apiKey: string; url: string; passthrough: boolean },
  ) {
    this.sampling = responsesSampling(cfg);
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    const apiKey = this.o.passthrough && req.apiKey ? req.apiKey : undefined;
    const body = {
      model: this.model,
      ...toResponsesInput(req.messages),
      ...(req.tools.length
        ? {
            tools: req.tools.map((t) => ({
              type: 'function',
              name: t.name,
              description: t.description,
              parameters: t.parameters,
              strict: false,
            })),
          }
        : {}),
      // Each call carries the whole conversation: nothing is kept on the provider's side.
      store: false,
      ...this.sampling,
    };
    const options = { signal: req.signal, headers: keyHeaders(this.o.azure, apiKey) };
    try {
      if (!req.onText)
        return fromResponse(
          (await this.client.responses.create({ ...body, stream: false } as never, options)) as WireResponse,
        );
      const events = (await this.client.responses.create(
        { ...body, stream: true } as never,
        options,
      )) as unknown as AsyncIterable<{ type?: string; delta?: string; response?: WireResponse; message?: string }>;
      let done: WireResponse | undefined;
      for await (const ev of events) {
        if (ev.type === 'response.output_text.delta' && ev.delta) req.onText(ev.delta);
        else if (ev.type === 'response.completed' || ev.type === 'response.incomplete') done = ev.response;
        else if (ev.type === 'response.failed')
          done = { error: ev.response?.error ?? { message: 'the response failed' } };
        else if (ev.type === 'error') throw new ModelApiError(ev.message ?? 'error event in the stream', 'stream');
      }
      if (req.signal.aborted) throw req.signal.reason;
      if (!done) throw new ModelApiError('the stream ended before the response completed', 'stream');
      return fromResponse(done);
    } catch (err) {
      throw openAiFailure(err, req.signal, [apiKey, this.o.apiKey], this.o.url);
    }
  }
}
