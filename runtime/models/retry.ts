// Retries and deadlines around one LLM call. Rate limits (429), server errors (5xx) and network failures are retried
// with exponential backoff and jitter; anything else (400, 401, ...) fails at once. A cancelled task is never retried,
// nor a stream that already sent text to the client.
import type { ChatModel, ChatRequest, ChatResult } from './types.js';
import { statusOf } from './types.js';
import { deadline } from '../deadline.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  timeoutMs: number;
}

export class LlmError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly attempts?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export function isRetryable(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return status === 429 || status === 408 || status >= 500;
  // No status: a connection failure or our per-attempt deadline.
  return true;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A provider error message without request bodies or keys: status and the provider's own short message. */
function describe(err: unknown): string {
  const status = statusOf(err);
  let msg = err instanceof Error ? err.message : String(err);
  // SDKs wrap network and TLS failures as "Connection error."; the cause says what actually went wrong.
  const cause = (err as { cause?: unknown })?.cause;
  if (cause instanceof Error && cause.message && !msg.includes(cause.message)) {
    const inner = (cause as { cause?: unknown }).cause;
    msg += ` (${cause.message}${inner instanceof Error && inner.message ? `: ${inner.message}` : ''})`;
  }
  return `${status ? `HTTP ${status}: ` : ''}${msg}`.slice(0, 500);
}

/**
 * One call with the policy's retries: a deadline per attempt, retryable failures (isRetryable, or a timed-out
 * attempt) retried with exponential backoff and jitter, never after the caller's signal aborted. `label` names the
 * call in the error ("LLM call to openai/gpt-4o"); `final` may give a reason a failure must not be retried after all.
 */
export async function withRetry<T>(
  label: string,
  call: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
  policy: RetryPolicy,
  onRetry?: (attempt: number, err: unknown) => void,
  final?: () => string | undefined,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const limit = deadline(signal, policy.timeoutMs);
    try {
      return await call(limit.signal);
    } catch (err) {
      if (signal.aborted) throw signal.reason ?? err;
      const timedOut = limit.expired;
      const reason = timedOut ? `timed out after ${policy.timeoutMs / 1000}s` : describe(err);
      const notRetried = final?.();
      if (notRetried) throw new LlmError(`${label} failed ${notRetried}: ${reason}`, statusOf(err), attempt + 1);
      if (attempt >= policy.maxRetries || (!timedOut && !isRetryable(err))) {
        throw new LlmError(`${label} failed after ${attempt + 1} attempt(s): ${reason}`, statusOf(err), attempt + 1);
      }
      limit.dispose();
      onRetry?.(attempt + 1, err);
      const backoff = policy.baseDelayMs * 2 ** attempt;
      await sleep(backoff / 2 + Math.random() * (backoff / 2), signal);
    } finally {
      limit.dispose();
    }
  }
}

export function completeWithRetry(
  model: ChatModel,
  req: ChatRequest,
  policy: RetryPolicy,
  onRetry?: (attempt: number, err: unknown) => void,
): Promise<ChatResult> {
  // Text already streamed to the client cannot be taken back: a retry would stream the answer again after the
  // partial one, so a stream that fails after its first delta fails the call instead of being retried.
  let streamed = false;
  const onText = req.onText && ((delta: string) => ((streamed = true), req.onText!(delta)));
  return withRetry(
    `LLM call to ${model.provider}/${model.model}`,
    (signal) => model.complete({ ...req, onText, signal }),
    req.signal,
    policy,
    onRetry,
    () =>
      streamed
        ? 'mid-stream, after part of the answer was sent (not retried, so that text is not sent twice)'
        : undefined,
  );
}
