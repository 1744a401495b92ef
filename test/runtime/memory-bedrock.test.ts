// Long-term memory with Bedrock embeddings (memory.embedding.provider "bedrock"), over real HTTP to a fake Bedrock
// runtime that recomputes each SigV4 signature server side and answers InvokeModel in the shape of each model family
// (Titan v2 / v1, Cohere v3 / v4), with the mock LLM's deterministic vectors: save_memory then load_memory over A2A,
// the bearer key, IRSA credentials from a fake STS, throttling retried, an unknown model id refused at startup.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { mockEmbedding, startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { memoryScript } from '../mocks/memory-script.js';
import { startFakeHttp, type FakeHttp, type SeenRequest } from '../mocks/fake-http.js';
import { userMessage, textOf } from '../../runtime/a2a/parts.js';
import { createEmbedder } from '../../runtime/memory/registry.js';
import { embedWithRetry } from '../../runtime/memory/embedding-client.js';
import { bedrockEmbeddingFamily } from '../../runtime/memory/embedders/bedrock.js';
import { signV4, type AwsCredentials } from '../../runtime/models/sigv4.js';
import { baseConfig, clientFor, startAgent } from './helpers.js';

const CREDS: AwsCredentials = {
  accessKeyId: 'AKIDMEMORY',
  secretAccessKey: 'memory/secret+key',
  sessionToken: 'memory-session',
};
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDS.sessionToken,
};

let llm: MockLlm;
beforeAll(async () => {
  llm = await startMockLlm(memoryScript);
});
afterAll(async () => {
  await llm?.close();
});

const fakes: FakeHttp[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

const words = (text: string) => (text.match(/\S+/g) ?? []).length;

/**
 * A Bedrock runtime answering InvokeModel for the model in the path, in that family's shape. `failures` scripted
 * answers (status, x-amzn-ErrorType) are given first, one per request.
 */
async function fakeBedrock(failures: Array<{ status: number; type: string; message: string }> = []): Promise<FakeHttp> {
  const f = await startFakeHttp((req: SeenRequest, res) => {
    const fail = failures.shift();
    if (fail) {
      // As AWS answers: the error type in x-amzn-ErrorType (with a namespace after the colon), the message in the body.
      res.writeHead(fail.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': `${fail.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      });
      res.end(JSON.stringify({ message: fail.message }));
      return undefined;
    }
    const model = decodeURIComponent(/^\/model\/([^/]+)\/invoke$/.exec(req.url)?.[1] ?? '');
    const body = JSON.parse(req.body) as { inputText?: string; texts?: string[] };
    if (model.includes('titan-embed-text-v2'))
      return {
        body: {
          embedding: mockEmbedding(body.inputText!, 1024),
          inputTextTokenCount: words(body.inputText!),
          embeddingsByType: {},
        },
      };
    if (model.includes('titan-embed-text-v1'))
      return { body: { embedding: mockEmbedding(body.inputText!, 1536), inputTextTokenCount: words(body.inputText!) } };
    if (model.includes('cohere.embed-english-v3'))
      return {
        body: {
          id: 'x',
          response_type: 'embeddings_floats',
          texts: body.texts,
          embeddings: body.texts!.map((t) => mockEmbedding(t, 1024)),
        },
      };
    if (model.includes('cohere.embed-v4'))
      return {
        body: {
          id: 'x',
          response_type: 'embeddings_by_type',
          texts: body.texts,
          embeddings: { float: body.texts!.map((t) => mockEmbedding(t, 1536)) },
        },
      };
    return { status: 400, body: { message: `unknown model ${model}` } };
  });
  fakes.push(f);
  return f;
}

/** Checks, server side, that the request carries the SigV4 signature these credentials make for it. */
async function expectSigned(base: string, got: SeenRequest, region: string, credentials: AwsCredentials) {
  const d = String(got.headers['x-amz-date']);
  const now = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  const headers = { 'content-type': String(got.headers['content-type']), accept: String(got.headers.accept) };
  const expected = await signV4({
    method: 'POST',
    url: `${base}${got.url}`,
    headers,
    body: got.body,
    region,
    service: 'bedrock',
    credentials,
    now,
  });
  expect(got.headers.authorization).toBe(expected.authorization);
  expect(got.headers.authorization).toContain(
    `Credential=${credentials.accessKeyId}/${d.slice(0, 8)}/${region}/bedrock/aws4_request`,
  );
  expect(got.headers.authorization).toContain(
    `SignedHeaders=accept;content-type;host;x-amz-date${credentials.sessionToken ? ';x-amz-security-token' : ''},`,
  );
  expect(got.headers['x-amz-security-token']).toBe(credentials.sessionToken);
}

const memoryOf = (base: string, model: string, extra: Record<string, unknown> = {}) => ({
  memory: { embedding: { provider: 'bedrock', model, base_url: base, ...extra } },
});

async function ask(url: string, text: string): Promise<Task> {
  const client = await clientFor(url);
  return (await client.sendMessage({
    tenant: '',
    message: userMessage(text),
    configuration: undefined,
    metadata: undefined,
  })) as Task;
}

const answerOf = (task: Task) => textOf(task.status?.message).replace(/^tool said: /, '');

describe('save_memory then load_memory over A2A with Bedrock embeddings', () => {
  it('Titan v2: InvokeModel with {inputText, dimensions: 1024, normalize}, SigV4-signed for AWS_REGION; found from a new conversation', async () => {
    const br = await fakeBedrock();
    const rt = await startAgent(baseConfig(llm.url, memoryOf(br.url, 'amazon.titan-embed-text-v2:0')), {
      ...AWS_ENV,
      AWS_REGION: 'eu-west-1',
    });
    try {
      const saved = await ask(rt.url, 'remember: the prod cluster runs in eu-west-1');
      expect(saved.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(answerOf(saved)).toBe('Successfully saved information to long-term memory.');
      // The prefetch of the conversation's first message, then the save.
      expect(br.seen).toHaveLength(2);
      const save = br.seen[1];
      expect(save.url).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
      expect(JSON.parse(save.body)).toEqual({
        inputText: 'the prod cluster runs in eu-west-1',
        dimensions: 1024,
        normalize: true,
      });
      for (const got of br.seen) await expectSigned(br.url, got, 'eu-west-1', CREDS);

      const recalled = await ask(rt.url, 'recall: which region does the prod cluster run in');
      expect(recalled.contextId).not.toBe(saved.contextId);
      const json = JSON.parse(answerOf(recalled));
      expect(json.memories).toHaveLength(1);
      expect(json.memories[0].content.parts[0].text).toBe('the prod cluster runs in eu-west-1');
      expect(JSON.parse(answerOf(await ask(rt.url, 'recall: banana smoothie recipe')))).toEqual({ memories: [] });

      // Titan's inputTextTokenCount is counted as input tokens of the embedding model.
      const metrics = await (await fetch(`${rt.url}/metrics`)).text();
      expect(metrics).toMatch(
        /metagent_runtime_embedding_requests_total\{[^}]*model="amazon\.titan-embed-text-v2:0"[^}]*outcome="ok"[^}]*\} 6/,
      );
      expect(metrics).toMatch(
        /metagent_runtime_llm_tokens_total\{[^}]*model="amazon\.titan-embed-text-v2:0"[^}]*type="input"[^}]*\} [1-9]/,
      );
    } finally {
      await rt.close();
    }
  });

  it('Cohere over A2A: the prefetch and load_memory search with search_query, save_memory stores with search_document', async () => {
    const br = await fakeBedrock();
    const rt = await startAgent(baseConfig(llm.url, memoryOf(br.url, 'cohere.embed-english-v3')), AWS_ENV);
    try {
      await ask(rt.url, 'remember: the staging cluster is called blue');
      await ask(rt.url, 'recall: what is the staging cluster called');
      const kinds = br.seen
        .map((r) => JSON.parse(r.body) as { texts: string[]; input_type: string })
        .map((b) => `${b.input_type}: ${b.texts[0]}`);
      expect(kinds).toEqual([
        'search_query: remember: the staging cluster is called blue', // prefetch of the first conversation's first message
        'search_document: the staging cluster is called blue',
        'search_query: recall: what is the staging cluster called', // prefetch of the second conversation
        'search_query: what is the staging cluster called', // load_memory
      ]);
    } finally {
      await rt.close();
    }
  });

  it('Titan v1 with a Bedrock API key: {inputText} only, Authorization: Bearer, nothing signed', async () => {
    const br = await fakeBedrock();
    const rt = await startAgent(baseConfig(llm.url, memoryOf(br.url, 'amazon.titan-embed-text-v1')), {
      ...AWS_ENV,
      AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-1',
    });
    try {
      expect(answerOf(await ask(rt.url, 'remember: the staging database is postgres 16'))).toBe(
        'Successfully saved information to long-term memory.',
      );
      expect(JSON.parse(br.seen[1].body)).toEqual({ inputText: 'the staging database is postgres 16' });
      expect(br.seen[1].url).toBe('/model/amazon.titan-embed-text-v1/invoke');
      for (const got of br.seen) {
        expect(got.headers.authorization).toBe('Bearer bedrock-api-key-1');
        expect(got.headers['x-amz-date']).toBeUndefined();
      }
      // 1536 dimensions answered, truncated to 768: still found.
      expect(answerOf(await ask(rt.url, 'recall: which postgres does staging run'))).toContain(
        'the staging database is postgres 16',
      );
    } finally {
      await rt.close();
    }
  });

  it('throttling (429) is retried and the save goes through; the error type and status reach the tool result when it persists', async () => {
    const br = await fakeBedrock([
      { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
    ]);
    const rt = await startAgent(baseConfig(llm.url, memoryOf(br.url, 'amazon.titan-embed-text-v2:0')), {
      ...AWS_ENV,
      METAGENT_LLM_MAX_RETRIES: '2',
    });
    try {
      expect(answerOf(await ask(rt.url, 'remember: throttled but saved'))).toBe(
        'Successfully saved information to long-term memory.',
      );
      expect(br.seen).toHaveLength(3); // the prefetch: 429, then its retry; the save
      expect(answerOf(await ask(rt.url, 'recall: throttled'))).toContain('throttled but saved');
    } finally {
      await rt.close();
    }
    const failing = await fakeBedrock(
      Array.from({ length: 6 }, () => ({ status: 429, type: 'ThrottlingException', message: 'Too many requests' })),
    );
    const rt2 = await startAgent(baseConfig(llm.url, memoryOf(failing.url, 'amazon.titan-embed-text-v2:0')), {
      ...AWS_ENV,
      METAGENT_LLM_MAX_RETRIES: '1',
    });
    try {
      const task = await ask(rt2.url, 'remember: never saved');
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(answerOf(task)).toMatch(
        /^Error: embedding call to bedrock\/amazon\.titan-embed-text-v2:0 failed after 2 attempt\(s\): HTTP 429: bedrock InvokeModel: ThrottlingException: Too many requests/,
      );
      expect(failing.seen).toHaveLength(4); // prefetch and save, each tried twice
    } finally {
      await rt2.close();
    }
  });
});

describe('the Bedrock embedder', () => {
  const policy = { maxRetries: 2, baseDelayMs: 1, timeoutMs: 5_000 };
  const embedder = (model: string, env: NodeJS.ProcessEnv, extra: Record<string, unknown> = {}) =>
    createEmbedder({ provider: 'bedrock', model, ...extra }, env);

  it('Cohere embeds what is saved as search_document and what is searched with as search_query', async () => {
    const br = await fakeBedrock();
    const e = await embedder('cohere.embed-english-v3', AWS_ENV, { base_url: br.url });
    await e.embed(['a fact'], AbortSignal.timeout(5_000), undefined, 'document');
    await e.embed(['a question'], AbortSignal.timeout(5_000), undefined, 'query');
    expect(br.seen.map((r) => JSON.parse(r.body).input_type)).toEqual(['search_document', 'search_query']);
    // Titan has one kind of embedding: the body does not change.
    const t = await embedder('amazon.titan-embed-text-v2:0', AWS_ENV, { base_url: br.url });
    await t.embed(['a question'], AbortSignal.timeout(5_000), undefined, 'query');
    expect(JSON.parse(br.seen.at(-1)!.body)).toEqual({ inputText: 'a question', dimensions: 1024, normalize: true });
  });

  it('Cohere v3 and v4 (a cross-region profile id): {texts, input_type: search_document}, both answer shapes', async () => {
    const br = await fakeBedrock();
    for (const [model, dims] of [
      ['cohere.embed-english-v3', 1024],
      ['us.cohere.embed-v4:0', 1536],
    ] as const) {
      const e = await embedder(model, AWS_ENV, { base_url: br.url });
      const { vectors } = await e.embed(['first text', 'second text'], AbortSignal.timeout(5_000));
      expect(vectors).toEqual([mockEmbedding('first text', dims), mockEmbedding('second text', dims)]);
      const got = br.seen[br.seen.length - 1];
      expect(JSON.parse(got.body)).toEqual({ texts: ['first text', 'second text'], input_type: 'search_document' });
      expect(got.url).toBe(`/model/${encodeURIComponent(model)}/invoke`);
      await expectSigned(br.url, got, 'us-east-1', CREDS); // no AWS_REGION: us-east-1
    }
  });

  it('Titan takes one text per call: several texts are several calls, in order, tokens summed', async () => {
    const br = await fakeBedrock();
    const e = await embedder(
      'amazon.titan-embed-text-v2:0',
      { ...AWS_ENV, AWS_DEFAULT_REGION: 'ap-southeast-2' },
      { base_url: br.url },
    );
    const out = await e.embed(['one two', 'three four five'], AbortSignal.timeout(5_000));
    expect(out).toEqual({
      vectors: [mockEmbedding('one two', 1024), mockEmbedding('three four five', 1024)],
      inputTokens: 5,
    });
    expect(br.seen.map((s) => JSON.parse(s.body).inputText)).toEqual(['one two', 'three four five']);
    await expectSigned(br.url, br.seen[0], 'ap-southeast-2', CREDS);
  });

  it('a 400 is not retried and says what Bedrock said; a 503 is', async () => {
    const br = await fakeBedrock([
      { status: 400, type: 'ValidationException', message: 'Malformed input request' },
      { status: 503, type: 'ServiceUnavailableException', message: 'busy' },
    ]);
    const e = await embedder('amazon.titan-embed-text-v2:0', AWS_ENV, { base_url: br.url });
    await expect(embedWithRetry(e, ['x'], AbortSignal.timeout(5_000), policy)).rejects.toThrow(
      'embedding call to bedrock/amazon.titan-embed-text-v2:0 failed after 1 attempt(s): HTTP 400: bedrock InvokeModel: ValidationException: Malformed input request',
    );
    expect(br.seen).toHaveLength(1);
    const ok = await embedWithRetry(e, ['y'], AbortSignal.timeout(5_000), policy);
    expect(ok.vectors[0]).toEqual(mockEmbedding('y', 1024));
    expect(br.seen).toHaveLength(3); // 503, then the retry
  });

  it('an answer of the wrong shape is an error naming the family', async () => {
    const f = await startFakeHttp(() => ({ body: { embeddings: [] } }));
    fakes.push(f);
    const e = await embedder('cohere.embed-multilingual-v3', AWS_ENV, { base_url: f.url });
    await expect(e.embed(['a'], AbortSignal.timeout(5_000))).rejects.toThrow(
      'bedrock InvokeModel: the Cohere Embed answer holds 0 embeddings for 1 input(s)',
    );
  });

  it('without any credentials (instance metadata off too) a call fails saying what to set', async () => {
    const e = await embedder(
      'amazon.titan-embed-text-v2:0',
      { AWS_EC2_METADATA_DISABLED: 'true' },
      { base_url: 'http://127.0.0.1:1' },
    );
    await expect(e.embed(['a'], AbortSignal.timeout(5_000))).rejects.toThrow(
      /^bedrock: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK, or give the pod an IAM role/,
    );
  });

  it('IRSA: the web identity token is exchanged with STS and the calls are signed with the temporary credentials', async () => {
    const sts = await startFakeHttp(() => ({
      type: 'text/xml',
      body: `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAMEM</AccessKeyId><SecretAccessKey>irsa-secret</SecretAccessKey><SessionToken>irsa-session</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
    }));
    fakes.push(sts);
    const tokenFile = join(await mkdtemp(join(tmpdir(), 'irsa-memory-')), 'token');
    await writeFile(tokenFile, 'irsa-jwt');
    const br = await fakeBedrock();
    const env = {
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/agent',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'eu-north-1',
    };
    const e = await embedder('amazon.titan-embed-text-v2:0', env, { base_url: br.url });
    await e.embed(['a'], AbortSignal.timeout(5_000));
    await e.embed(['b'], AbortSignal.timeout(5_000));
    expect(sts.seen).toHaveLength(1); // cached
    expect(new URLSearchParams(sts.seen[0].body).get('WebIdentityToken')).toBe('irsa-jwt');
    for (const got of br.seen)
      await expectSigned(br.url, got, 'eu-north-1', {
        accessKeyId: 'ASIAMEM',
        secretAccessKey: 'irsa-secret',
        sessionToken: 'irsa-session',
      });
  });

  it('knows model families by id prefix, through geography prefixes and ARNs', () => {
    expect(bedrockEmbeddingFamily('amazon.titan-embed-text-v2:0')?.name).toBe('Amazon Titan Text Embeddings v2');
    expect(bedrockEmbeddingFamily('amazon.titan-embed-text-v1')?.name).toBe('Amazon Titan Text Embeddings v1');
    expect(bedrockEmbeddingFamily('amazon.titan-embed-g1-text-02')?.name).toBe('Amazon Titan Embeddings G1 - Text');
    expect(bedrockEmbeddingFamily('eu.cohere.embed-v4:0')?.name).toBe('Cohere Embed');
    expect(
      bedrockEmbeddingFamily('arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0')?.name,
    ).toBe('Amazon Titan Text Embeddings v2');
    expect(bedrockEmbeddingFamily('anthropic.claude-3-haiku-20240307-v1:0')).toBeUndefined();
    expect(bedrockEmbeddingFamily('amazon.titan-embed-image-v1')).toBeUndefined();
  });
});

describe('Bedrock memory config at startup', () => {
  it.each([
    [
      { provider: 'bedrock', model: 'amazon.nova-pro-v1:0' },
      /config\.json: memory\.embedding\.model: "amazon\.nova-pro-v1:0" is not a Bedrock embedding model the runtime knows the InvokeModel body of \(known: amazon\.titan-embed-text-v2\*, .*cohere\.embed-\*\)/,
    ],
    [
      { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0', base_url: 'localhost:8000' },
      /config\.json: memory\.embedding: not a valid http\(s\) URL: "localhost:8000"/,
    ],
  ])('%j is refused, naming the field', async (embedding, message) => {
    await expect(startAgent(baseConfig(llm.url, { memory: { embedding } }), AWS_ENV)).rejects.toThrow(message);
  });

  it('a known model starts without credentials or a region (AWS_REGION may come later; the call says what is missing)', async () => {
    const rt = await startAgent(
      baseConfig(llm.url, { memory: { embedding: { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0' } } }),
    );
    try {
      expect((await fetch(`${rt.url}/health`)).status).toBe(200);
    } finally {
      await rt.close();
    }
  });
});
