// One model call of a task: retried (models/retry.ts), traced as a `chat` span with its token usage, counted in the
// metrics (tokens, retries, failures). A cancelled task's failure is not counted as an LLM error.
import { SpanKind, type Span } from '@opentelemetry/api';
import type { ChatMessage, ChatModel, ChatResult, ToolSpec } from '../models/types.js';
import { completeWithRetry } from '../models/retry.js';
import { llmRequestAttributes, llmUsageAttributes, withSpan } from '../telemetry/index.js';
import type { ExecutorDeps } from './deps.js';

export interface LlmCall {
  model: ChatModel;
  messages: ChatMessage[];
  specs: ToolSpec[];
  onText: ((delta: string) => void) | undefined;
  signal: AbortSignal;
  apiKey: string | undefined;
  parent: Span;
  /** When the call, retries and their waits included, must be over (the task's deadline, epoch ms). */
  deadlineAt?: number;
  /** Per attempt; default: the agent's own model's `timeout` when it sets one, else METAGENT_LLM_TIMEOUT_SECONDS. */
  timeoutMs?: number;
}

export function callLlm(
  deps: Pick<ExecutorDeps, 'config' | 'settings' | 'telemetry' | 'log'>,
  call: LlmCall,
): Promise<ChatResult> {
  const { model, messages, specs, onText, signal, apiKey, parent } = call;
  const timeoutMs =
    call.timeoutMs ?? (deps.config.model?.timeout ? deps.config.model.timeout * 1000 : deps.settings.llmTimeoutMs);
  return withSpan(
    deps.telemetry.tracer,
    `chat ${model.model}`,
    {
      attributes: llmRequestAttributes({ provider: model.provider, model: model.model }),
      parent,
      kind: SpanKind.CLIENT,
    },
    async (span) => {
      try {
        const result = await completeWithRetry(
          model,
          { messages, tools: specs, signal, onText, apiKey },
          {
            maxRetries: deps.settings.llmMaxRetries,
            baseDelayMs: deps.settings.llmRetryBaseMs,
            timeoutMs,
            deadlineAt: call.deadlineAt,
          },
          (attempt, err) => {
            deps.telemetry.metrics.error('llm_retry');
            deps.log.warn({ attempt, err: (err as Error).message?.slice(0, 300) }, 'LLM call failed; retrying');
          },
        );
        span.setAttributes(llmUsageAttributes({ inputTokens: result.usage.input, outputTokens: result.usage.output }));
        deps.telemetry.metrics.llmTokens(model.model, result.usage.input, result.usage.output);
        return result;
      } catch (err) {
        if (!signal.aborted) deps.telemetry.metrics.error('llm');
        throw err;
      }
    },
  );
}
