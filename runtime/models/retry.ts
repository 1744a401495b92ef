// The runtime's one retry layer, around every model and embedding call of every provider (the SDKs' own retries are
// off). Rate limits (429), server errors (5xx) and network failures are retried; anything else (400, 401, ...) fails at
// once. The wait before a retry is the provider's Retry-After (or retry-after-ms) when it sent one — never less, plus a
// little jitter so a fleet of pods does not come back in step — else exponential backoff with jitter. No attempt runs
// and no wait reaches past the deadline: a provider asking for longer fails the call at once, saying how long it asked.
// A cancelled task is never retried, nor a stream that already sent text to the client.
import type { ChatModel, ChatRequest, ChatResult } from './types.js';
import { statusOf } from './types.js';
import { ModelSetupError, retryAfterMs } from './model-error.js';
import { deadline } from '../deadline.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** One attempt's deadline. */
  timeoutMs: number;
  /**
   * When the whole call, retries and waits included, must be over (epoch ms): the task's deadline. Without one, a
   * single wait may be at most `timeoutMs`.
   */
  deadlineAt?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** The wait a failure asks for, in ms: our ModelApiError's, or the Retry-After of an SDK error's response headers. */
export function retryAfterOf(err: unknown): number | undefined {
  const own = (err as { retryAfterMs?: unknown })?.retryAfterMs;
  if (typeof own === 'number' && Number.isFinite(own) && own >= 0) return own;
  const headers = (err as { headers?: unknown })?.headers;
  return headers instanceof Headers ? retryAfterMs(headers) : undefined;
}

/** Jitter on top of a server-given wait: up to 10 % of it, at most 1 s, never earlier than asked. */
function withJitter(ms: number): number {
  return ms + Math.random() * Math.min(1000, ms * 0.1);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

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
  // A setting that cannot be used (an unreadable CA file) fails the same way on every attempt.
  if (err instanceof ModelSetupError) return false;
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
  const now = policy.now ?? Date.now;
  for (let attempt = 0; ; attempt++) {
    const left = policy.deadlineAt === undefined ? Infinity : policy.deadlineAt - now();
    if (left <= 0) throw new LlmError(`${label} not attempted: the task's deadline has passed`, undefined, attempt);
    const attemptMs = Math.min(policy.timeoutMs, left);
    const limit = deadline(signal, attemptMs);
    try {
      return await call(limit.signal);
    } catch (err) {
      if (signal.aborted) throw signal.reason ?? err;
      const timedOut = limit.expired;
      const reason = timedOut
        ? attemptMs < policy.timeoutMs
          ? `timed out at the task's deadline (after ${seconds(attemptMs)})`
          : `timed out after ${policy.timeoutMs / 1000}s`
        : describe(err);
      const notRetried = final?.();
      if (notRetried) throw new LlmError(`${label} failed ${notRetried}: ${reason}`, statusOf(err), attempt + 1);
      if (
        attempt >= policy.maxRetries ||
        (!timedOut && !isRetryable(err)) ||
        (timedOut && attemptMs < policy.timeoutMs)
      ) {
        throw new LlmError(`${label} failed after ${attempt + 1} attempt(s): ${reason}`, statusOf(err), attempt + 1);
      }
      limit.dispose();
      const asked = timedOut ? undefined : retryAfterOf(err);
      const backoff = policy.baseDelayMs * 2 ** attempt;
      const wait = asked !== undefined ? withJitter(asked) : backoff / 2 + Math.random() * (backoff / 2);
      const room = policy.deadlineAt === undefined ? policy.timeoutMs : policy.deadlineAt - now();
      if (asked !== undefined && asked >= room) {
        const limitText =
          policy.deadlineAt === undefined
            ? `longer than one wait may be without a task deadline (${seconds(room)}, one attempt's timeout)`
            : `longer than the ${seconds(Math.max(0, room))} left before the task's deadline`;
        throw new LlmError(
          `${label} failed after ${attempt + 1} attempt(s): ${reason} — the provider asked to wait ${seconds(asked)} (Retry-After), ${limitText}`,
          statusOf(err),
          attempt + 1,
        );
      }
      if (policy.deadlineAt !== undefined && wait >= room) {
        throw new LlmError(
          `${label} failed after ${attempt + 1} attempt(s): ${reason} — no time left for a retry before the task's deadline`,
          statusOf(err),
          attempt + 1,
        );
      }
      onRetry?.(attempt + 1, err);
      await sleep(Math.min(wait, room), signal);
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
