// Embedding calls share the chat calls' one retry layer: a 429 from the mock LLM's /embeddings with Retry-After is
// waited out and retried, and one asking for longer than a call may wait fails naming the wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { createOpenAiEmbedder } from '../../runtime/memory/embedders/openai.js';
import { embedWithRetry } from '../../runtime/memory/embedding-client.js';
import { modelHttp } from '../../runtime/models/http.js';

let llm: MockLlm;
beforeAll(async () => {
  llm = await startMockLlm([]);
});
afterAll(() => llm.close());

const embedder = () =>
  createOpenAiEmbedder(
    { provider: 'openai', model: 'text-embedding-3-small', base_url: llm.url },
    { OPENAI_API_KEY: 'sk-embed-0123456789' },
    modelHttp({ type: 'openai', model: 'text-embedding-3-small' }),
  );
const policy = { maxRetries: 3, baseDelayMs: 1, timeoutMs: 5_000 };

describe('embedding retries', () => {
  it('a 429 with Retry-After: 1 is waited out, then answered; the request is the OpenAI embeddings body', async () => {
    llm.embeddings.failures = [{ status: 429, headers: { 'retry-after': '1' } }];
    const before = llm.embeddingRequests.length;
    const { vectors } = await embedWithRetry(embedder(), ['pods in kube-system'], AbortSignal.timeout(10_000), policy);
    expect(vectors).toHaveLength(1);
    const [first, second] = llm.embeddingRequests.slice(before);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_000);
    expect(second.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['pods in kube-system'],
      dimensions: 768,
      encoding_format: 'float',
    });
    expect(second.headers.authorization).toBe('Bearer sk-embed-0123456789');
  });

  it('a Retry-After longer than one attempt may take fails at once with the wait in the message', async () => {
    llm.embeddings.failures = [{ status: 429, headers: { 'retry-after': '60' } }];
    const before = llm.embeddingRequests.length;
    await expect(embedWithRetry(embedder(), ['x'], AbortSignal.timeout(10_000), policy)).rejects.toThrow(
      /^embedding call to openai\/text-embedding-3-small failed after 1 attempt\(s\): HTTP 429: mock LLM: scripted embeddings 429 — the provider asked to wait 60 s \(Retry-After\)/,
    );
    expect(llm.embeddingRequests.length - before).toBe(1);
  });
});
