// The agent loop: model → tool calls (in parallel) → results → model, until the model answers without tool calls,
// a tool needs a human decision, or the iteration limit is reached. It knows nothing of A2A: it reports progress
// through `emit`, and the executor turns that into task events.
import type { ChatMessage, ChatResult, ToolCall, ToolSpec } from '../models/types.js';
import type { Tool } from '../tools/types.js';

export type LoopEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'assistant'; text: string; toolCalls: ToolCall[]; usage: { input: number; output: number } }
  | { type: 'tool-call'; call: ToolCall; args: unknown }
  | { type: 'tool-result'; call: ToolCall; result: string; isError: boolean; outcome: ToolOutcome; seconds: number };

export type ToolOutcome = 'ok' | 'error' | 'timeout' | 'unknown' | 'rejected' | 'cancelled';

export type LoopOutcome =
  | { kind: 'completed'; text: string }
  | { kind: 'input-required'; pending: Array<{ call: ToolCall; args: unknown }> }
  | { kind: 'max-iterations'; iterations: number };

export interface LoopDeps {
  /** One LLM call (with retries and deadline applied by the caller). */
  llm(messages: ChatMessage[], tools: ToolSpec[], onText: ((delta: string) => void) | undefined): Promise<ChatResult>;
  tools: Map<string, Tool>;
  maxIterations: number;
  signal: AbortSignal;
  stream: boolean;
  emit(event: LoopEvent): void;
  /** Runs one tool call with its deadline and tracing; provided by the executor. */
  runTool(
    tool: Tool,
    call: ToolCall,
    args: Record<string, unknown>,
  ): Promise<{ result: string; isError: boolean; outcome: ToolOutcome; seconds: number }>;
}

/** Parses the model's argument text; invalid JSON becomes an error result rather than a crash. */
export function parseArgs(raw: string): { args?: Record<string, unknown>; error?: string } {
  try {
    const v: unknown = JSON.parse(raw || '{}');
    if (v && typeof v === 'object' && !Array.isArray(v)) return { args: v as Record<string, unknown> };
    return { error: 'tool arguments must be a JSON object' };
  } catch (err) {
    return { error: `tool arguments are not valid JSON (${(err as Error).message})` };
  }
}

/**
 * Runs the given tool calls in parallel and returns their `tool` messages in call order. Calls that need approval
 * (and are not pre-approved) are not run; they are returned as pending.
 */
export async function runToolCalls(
  calls: ToolCall[],
  deps: LoopDeps,
  approved: ReadonlySet<string> = new Set(),
): Promise<{ messages: ChatMessage[]; pending: Array<{ call: ToolCall; args: unknown }> }> {
  const pending: Array<{ call: ToolCall; args: unknown }> = [];
  const results = await Promise.all(
    calls.map(async (call): Promise<ChatMessage | undefined> => {
      const tool = deps.tools.get(call.name);
      const parsed = parseArgs(call.arguments);
      deps.emit({ type: 'tool-call', call, args: parsed.args ?? call.arguments });
      const finish = (result: string, isError: boolean, outcome: ToolOutcome, seconds = 0): ChatMessage => {
        deps.emit({ type: 'tool-result', call, result, isError, outcome, seconds });
        return { role: 'tool', toolCallId: call.id, name: call.name, content: result };
      };
      if (!tool)
        return finish(
          `Error: unknown tool "${call.name}". Available tools: ${[...deps.tools.keys()].join(', ') || 'none'}.`,
          true,
          'unknown',
        );
      if (!parsed.args) return finish(`Error: ${parsed.error}`, true, 'error');
      if (tool.requireApproval && !approved.has(call.id)) {
        pending.push({ call, args: parsed.args });
        return undefined;
      }
      const r = await deps.runTool(tool, call, parsed.args);
      return finish(r.result, r.isError, r.outcome, r.seconds);
    }),
  );
  return { messages: results.filter((m): m is ChatMessage => m !== undefined), pending };
}

/**
 * Continues a conversation. `messages` is the full model input (system prompt, history, the new user turn, and on a
 * resume the tool results of the approved calls); new turns are appended to it in place, so the caller can persist
 * exactly what the model saw.
 */
export async function runLoop(messages: ChatMessage[], deps: LoopDeps): Promise<LoopOutcome> {
  const specs = [...deps.tools.values()].map((t) => t.spec);
  for (let iteration = 0; iteration < deps.maxIterations; iteration++) {
    deps.signal.throwIfAborted();
    const onText = deps.stream ? (text: string) => deps.emit({ type: 'text-delta', text }) : undefined;
    const result = await deps.llm(messages, specs, onText);
    messages.push({
      role: 'assistant',
      content: result.text,
      ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}),
    });
    deps.emit({ type: 'assistant', text: result.text, toolCalls: result.toolCalls, usage: result.usage });
    if (!result.toolCalls.length) return { kind: 'completed', text: result.text };
    const { messages: toolMessages, pending } = await runToolCalls(result.toolCalls, deps);
    messages.push(...toolMessages);
    if (pending.length) return { kind: 'input-required', pending };
  }
  return { kind: 'max-iterations', iterations: deps.maxIterations };
}
