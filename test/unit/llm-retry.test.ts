// completeWithRetry: what is retried and what is not, with a scripted model (no HTTP: the policy is the unit here).
import { describe, expect, it } from 'vitest';
import { completeWithRetry, LlmError, retryAfterOf, withRetry } from '../../runtime/models/retry.js';
import { ModelApiError, ModelSetupError, retryAfterMs } from '../../runtime/models/model-error.js';
import type { ChatModel, ChatRequest, ChatResult } from '../../runtime/models/types.js';

/** A model whose n-th call runs script[n]: it may stream deltas through onText, then answer or throw. */
function scripted(script: Array<(req: ChatRequest) => Promise<ChatResult>>): ChatModel & { calls: number } {
  const m = {
    provider: 'openai',
    model: 'gpt-4o',
    calls: 0,
    complete: (req: ChatRequest) => script[Math.min(m.calls++, script.length - 1)](req),
  };
  return m;
}
const httpError = (status: number) => Object.assign(new Error(`upstream ${status}`), { status });
const answer = (text: string): ChatResult => ({ text, toolCalls: [], usage: { input: 1, output: 1 } });
const policy = { maxRetries: 3, baseDelayMs: 1, timeoutMs: 5_000 };
const request = (onText?: (d: string) => void): ChatRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  signal: new AbortController().signal,
  onText,
});

describe('completeWithRetry', () => {
  it('retries a 429 and a 500 that come before any text, then answers', async () => {
    const model = scripted([
      async () => {
        throw httpError(429);
      },
      async () => {
        throw httpError(500);
      },
      async (req) => {
        req.onText?.('All good.');
        return answer('All good.');
      },
    ]);
    const deltas: string[] = [];
    await expect(
      completeWithRetry(
        model,
        request((d) => deltas.push(d)),
        policy,
      ),
    ).resolves.toEqual(answer('All good.'));
    expect(model.calls).toBe(3);
    expect(deltas).toEqual(['All good.']);
  });

  it('does not retry a stream that fails after sending text: the client would get the answer twice', async () => {
    const model = scripted([
      async (req) => {
        req.onText?.('Checking the pods');
        throw httpError(503);
      },
      async (req) => {
        req.onText?.('Checking the pods... all healthy.');
        return answer('Checking the pods... all healthy.');
      },
    ]);
    const deltas: string[] = [];
    const call = completeWithRetry(
      model,
      request((d) => deltas.push(d)),
      policy,
    );
    await expect(call).rejects.toThrow(LlmError);
    await expect(call).rejects.toThrow(
      'LLM call to openai/gpt-4o failed mid-stream, after part of the answer was sent (not retried, so that text is not sent twice): HTTP 503: upstream 503',
    );
    expect(model.calls).toBe(1);
    expect(deltas).toEqual(['Checking the pods']);
  });

  it('fails at once on a 400 and after maxRetries on repeated 500s, with the attempt count', async () => {
    const bad = scripted([
      async () => {
        throw httpError(400);
      },
    ]);
    await expect(completeWithRetry(bad, request(), policy)).rejects.toThrow(
      'LLM call to openai/gpt-4o failed after 1 attempt(s): HTTP 400: upstream 400',
    );
    expect(bad.calls).toBe(1);
    const down = scripted([
      async () => {
        throw httpError(500);
      },
    ]);
    await expect(completeWithRetry(down, request(), { ...policy, maxRetries: 2 })).rejects.toMatchObject({
      status: 500,
      attempts: 3,
    });
    expect(down.calls).toBe(3);
  });

  it('fails at once on a setting that cannot be used (no status, but no attempt would go differently)', async () => {
    const misconfigured = scripted([
      async () => {
        throw new ModelSetupError('spec.tls.caCertSecretRef: cannot read /etc/ssl/model-ca/ca.crt');
      },
    ]);
    await expect(completeWithRetry(misconfigured, request(), policy)).rejects.toThrow(
      'cannot read /etc/ssl/model-ca/ca.crt',
    );
    expect(misconfigured.calls).toBe(1);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  it('reads seconds, an HTTP-date and retry-after-ms; ignores what is not one of those', () => {
    const h = (v: Record<string, string>) => new Headers(v);
    expect(retryAfterMs(h({ 'retry-after': '20' }), now)).toBe(20_000);
    expect(retryAfterMs(h({ 'retry-after': '1.5' }), now)).toBe(1_500);
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 03 Dec 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 03 Dec 2026 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': '-3' }), now)).toBeUndefined();
    expect(retryAfterMs(h({}), now)).toBeUndefined();
    // Node's http header records (the mock servers'), and SDK errors carrying Headers.
    expect(retryAfterMs({ 'retry-after': ['7'] }, now)).toBe(7_000);
    expect(retryAfterOf(Object.assign(new Error('x'), { status: 429, headers: h({ 'retry-after': '3' }) }))).toBe(
      3_000,
    );
    expect(retryAfterOf(new ModelApiError('x', 'http', 429, undefined, 4_000))).toBe(4_000);
  });

  it('waits at least what the provider asked (plus at most 10 % jitter), not the backoff', async () => {
    let calls = 0;
    const started = performance.now();
    const got = await withRetry(
      'call',
      async () => {
        if (calls++ === 0) throw new ModelApiError('slow down', 'http', 429, undefined, 300);
        return 'ok';
      },
      new AbortController().signal,
      { maxRetries: 3, baseDelayMs: 1, timeoutMs: 5_000 },
    );
    expect(got).toBe('ok');
    expect(calls).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
  });

  it("a wait past the deadline fails at once naming it; without a deadline, past one attempt's timeout", async () => {
    const asks = (ms: number) => async () => {
      throw new ModelApiError('rate limited', 'http', 429, undefined, ms);
    };
    const signal = new AbortController().signal;
    await expect(
      withRetry('LLM call to openai/gpt-4o', asks(20_000), signal, { ...policy, deadlineAt: Date.now() + 3_000 }),
    ).rejects.toThrow(
      /^LLM call to openai\/gpt-4o failed after 1 attempt\(s\): HTTP 429: rate limited — the provider asked to wait 20 s \(Retry-After\), longer than the [0-9.]+ s left before the task's deadline$/,
    );
    await expect(withRetry('embedding call', asks(20_000), signal, policy)).rejects.toThrow(
      /the provider asked to wait 20 s \(Retry-After\), longer than one wait may be without a task deadline \(5 s, one attempt's timeout\)$/,
    );
  });

  it('a deadline already passed: no attempt; an attempt is cut at the deadline and not retried', async () => {
    let calls = 0;
    const never = (s: AbortSignal) =>
      new Promise<string>((_r, reject) => {
        calls++;
        s.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const signal = new AbortController().signal;
    await expect(withRetry('call', never, signal, { ...policy, deadlineAt: Date.now() - 1 })).rejects.toThrow(
      "call not attempted: the task's deadline has passed",
    );
    expect(calls).toBe(0);
    await expect(withRetry('call', never, signal, { ...policy, deadlineAt: Date.now() + 100 })).rejects.toThrow(
      /^call failed after 1 attempt\(s\): timed out at the task's deadline \(after 0\.1 s\)$/,
    );
    expect(calls).toBe(1);
  });
});
