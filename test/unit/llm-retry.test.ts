// completeWithRetry: what is retried and what is not, with a scripted model (no HTTP: the policy is the unit here).
import { describe, expect, it } from 'vitest';
import { completeWithRetry, LlmError } from '../../runtime/models/retry.js';
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
});
