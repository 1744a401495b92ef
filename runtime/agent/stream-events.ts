// The loop's progress as `working` status updates: text deltas coalesced (each status update is a task-store write),
// the model's tool calls with kagent's usage metadata, and each tool's result.
import { TaskState, type Part } from '@a2a-js/sdk';
import { textPart, toolCallPart, toolResultPart } from '../a2a/parts.js';
import type { Telemetry } from '../telemetry/index.js';
import type { LoopEvent } from './loop.js';
import type { PublishStatus } from './task-events.js';

/** How often coalesced text deltas are published. */
const DELTA_FLUSH_MS = 40;

export interface LoopEventPublisher {
  emit(ev: LoopEvent): void;
  /** Publishes the text deltas still buffered. */
  flush(): void;
  /** The prompt size (input tokens) of the model's last answer, for compaction. */
  lastPromptTokens(): number;
}

export function loopEventPublisher(
  publishStatus: PublishStatus,
  opts: { stream: boolean; signal: AbortSignal; telemetry: Telemetry },
): LoopEventPublisher {
  const { stream, signal, telemetry } = opts;
  let lastPromptTokens = 0;
  let buffered = '';
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (buffered) publishStatus(TaskState.TASK_STATE_WORKING, [textPart(buffered)]);
    buffered = '';
  };
  const emit = (ev: LoopEvent) => {
    if (signal.aborted) return;
    switch (ev.type) {
      case 'text-delta':
        buffered += ev.text;
        flushTimer ??= setTimeout(flush, DELTA_FLUSH_MS);
        return;
      case 'assistant': {
        lastPromptTokens = ev.usage.input;
        flush();
        // Without streaming, the model's interim text (before tool calls) is still worth showing.
        const parts: Part[] = [];
        if (!stream && ev.text && ev.toolCalls.length) parts.push(textPart(ev.text));
        for (const tc of ev.toolCalls)
          parts.push(toolCallPart({ id: tc.id, name: tc.name, args: safeJson(tc.arguments) }));
        const usage = {
          promptTokenCount: ev.usage.input,
          candidatesTokenCount: ev.usage.output,
          totalTokenCount: ev.usage.input + ev.usage.output,
        };
        if (parts.length) publishStatus(TaskState.TASK_STATE_WORKING, parts, false, { kagent_usage_metadata: usage });
        return;
      }
      case 'tool-call':
        return;
      case 'tool-result':
        telemetry.metrics.toolCall(ev.call.name, ev.outcome, ev.seconds);
        publishStatus(TaskState.TASK_STATE_WORKING, [toolResultPart(ev.call, ev.result, ev.isError)]);
        return;
    }
  };
  return { emit, flush, lastPromptTokens: () => lastPromptTokens };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}
