// Anthropic's Messages API through @anthropic-ai/sdk. The conversation records map onto content blocks:
// assistant tool calls become tool_use blocks, tool results become a user turn of tool_result blocks.
import Anthropic from '@anthropic-ai/sdk';
import type { ModelConfig } from '../../contract/config.js';
import { anthropicBlocks } from './attachments.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, ProviderFactory, ToolCall } from './types.js';

/** The Messages API requires max_tokens; when the ModelConfig sets none, kagent's runtime (ADK's AnthropicLlm) sends 8192. */
export const DEFAULT_MAX_TOKENS = 8192;

type Block = Record<string, unknown>;
type Turn = { role: 'user' | 'assistant'; content: Block[] };

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

/** Consecutive tool results must share one user turn, so turns are merged by role. */
export function toAnthropic(messages: ChatMessage[]): { system: string; turns: Turn[] } {
  const system = messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n\n');
  const turns: Turn[] = [];
  const push = (role: Turn['role'], blocks: Block[]) => {
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', anthropicBlocks(m));
    else if (m.role === 'tool') push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content }]);
    else if (m.role === 'assistant') {
      const blocks: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
      for (const tc of m.toolCalls ?? [])
        blocks.push({ type: 'tool_use', id: tc.id, name: tc.name, input: parseArgs(tc.arguments) });
      if (blocks.length) push('assistant', blocks);
    }
  }
  return { system, turns };
}

export class AnthropicModel implements ChatModel {
  constructor(
    readonly provider: string,
    readonly model: string,
    private readonly make: (apiKey?: string) => Anthropic,
    private readonly cfg: ModelConfig,
  ) {}

  async complete(req: ChatRequest): Promise<ChatResult> {
    const client = this.make(req.apiKey);
    const { system, turns } = toAnthropic(req.messages);
    const body: Record<string, unknown> = {
      model: this.model,
      max_tokens: this.cfg.max_tokens ?? DEFAULT_MAX_TOKENS,
      messages: turns,
      ...(system ? { system } : {}),
      ...(req.tools.length
        ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters })) }
        : {}),
      ...(this.cfg.temperature !== undefined ? { temperature: this.cfg.temperature } : {}),
      ...(this.cfg.top_p !== undefined ? { top_p: this.cfg.top_p } : {}),
      ...(this.cfg.top_k !== undefined ? { top_k: this.cfg.top_k } : {}),
      // Written for gemini_anthropic only (kagent's Anthropic ModelConfig has no stop sequences); read for both.
      ...(this.cfg.stop_sequences?.length ? { stop_sequences: this.cfg.stop_sequences } : {}),
    };
    if (req.onText) {
      const onText = req.onText;
      const stream = client.messages.stream(body as never, { signal: req.signal });
      stream.on('text', (delta: string) => onText(delta));
      return fromMessage(await stream.finalMessage());
    }
    return fromMessage(await client.messages.create(body as never, { signal: req.signal }));
  }
}

function fromMessage(msg: unknown): ChatResult {
  const m = msg as {
    content: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
    usage?: { input_tokens?: number; output_tokens?: number };
  };
  const toolCalls: ToolCall[] = [];
  let text = '';
  for (const block of m.content) {
    if (block.type === 'text') text += block.text ?? '';
    if (block.type === 'tool_use')
      toolCalls.push({ id: block.id ?? '', name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) });
  }
  return { text, toolCalls, usage: { input: m.usage?.input_tokens ?? 0, output: m.usage?.output_tokens ?? 0 } };
}

export const createAnthropic: ProviderFactory = (cfg, env, http) => {
  const make = (apiKey?: string) =>
    new Anthropic({
      apiKey: apiKey || env.ANTHROPIC_API_KEY || 'unset',
      baseURL: cfg.base_url || env.ANTHROPIC_BASE_URL || undefined,
      defaultHeaders: cfg.headers ?? {},
      maxRetries: 0,
      timeout: 24 * 3600 * 1000,
      fetch: http.fetch as never,
    });
  const shared = make();
  return new AnthropicModel('anthropic', cfg.model, (key) => (key ? make(key) : shared), cfg);
};
