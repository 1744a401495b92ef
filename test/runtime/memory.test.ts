// Long-term memory (config.json's `memory`): save_memory in one conversation, load_memory in a new one, over A2A with
// the SDK client and real HTTP to the mock LLM's /embeddings; the memory store on every backend (Map, a SQLite file, a
// real PostgreSQL); vector fitting; failures as tool results; bad config at startup; kagent's two conformance configs.
// Bedrock embeddings (InvokeModel, SigV4) are in memory-bedrock.test.ts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { mockEmbedding, startMockLlm, type ChatRequestBody, type MockLlm } from '../mocks/mock-llm.js';
import { memoryScript } from '../mocks/memory-script.js';
import { startFakeMetadata } from '../mocks/fake-http.js';
import { userMessage, textOf } from '../../runtime/a2a/parts.js';
import { MapMemoryStore } from '../../runtime/memory/map-store.js';
import { cosine, decodeVector, encodeVector, fitVector, MEMORY_DIMENSIONS } from '../../runtime/memory/vectors.js';
import { memoryConfigOf } from '../../runtime/memory/config.js';
import { searchResponseJson } from '../../runtime/memory/tools.js';
import type { MemoryStore } from '../../runtime/memory/types.js';
import { openSqliteFileStores } from '../../runtime/store/sqlite-file.js';
import { openPostgresStores } from '../../runtime/store/postgres.js';
import type { Stores } from '../../runtime/store/index.js';
import { baseConfig, clientFor, CONFORMANCE, startAgent } from './helpers.js';
import { usePostgres } from './postgres-server.js';

const send = (text: string, contextId?: string) => ({
  tenant: '',
  message: { ...userMessage(text), ...(contextId ? { contextId } : {}) },
  configuration: undefined,
  metadata: undefined,
});

/** The vector of a text as the runtime stores it (mock embedding, fitted to 768, normalised). */
const vec = (text: string) => fitVector(mockEmbedding(text));

let llm: MockLlm;
let dir = '';
beforeAll(async () => {
  llm = await startMockLlm(memoryScript);
  dir = await mkdtemp(join(tmpdir(), 'metagent-memory-'));
});
afterAll(async () => {
  await llm?.close();
  await rm(dir, { recursive: true, force: true });
});

const memoryBlock = (extra: Record<string, unknown> = {}) => ({
  embedding: { provider: 'openai', model: 'text-embedding-3-small', base_url: llm.url },
  ...extra,
});

async function ask(url: string, text: string, contextId?: string): Promise<Task> {
  const client = await clientFor(url);
  return (await client.sendMessage(send(text, contextId))) as Task;
}

describe('vectors', () => {
  it('truncates a longer vector to 768 dimensions and L2-normalises it', () => {
    const raw = Array.from({ length: 1536 }, (_, i) => (i < 768 ? 2 : 100));
    const v = fitVector(raw);
    expect(v.length).toBe(MEMORY_DIMENSIONS);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    // Only the first 768 (all 2s) survive: every component is equal.
    expect(v[0]).toBeCloseTo(1 / Math.sqrt(768), 6);
    expect(v[767]).toBeCloseTo(v[0], 6);
  });

  it('normalises a 768-dim vector, refuses a shorter one or one that is not numbers', () => {
    const v = fitVector(Array.from({ length: 768 }, (_, i) => (i === 0 ? 3 : i === 1 ? 4 : 0)));
    expect([v[0], v[1]]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(() => fitVector(new Array(512).fill(1))).toThrow(
      'the embedding model returned 512 dimensions; memory needs at least 768',
    );
    expect(() => fitVector(['a'])).toThrow(/not a list of numbers/);
    expect(() => fitVector(undefined)).toThrow(/not a list of numbers/);
  });

  it('stores vectors as base64 float32 and reads them back; similar texts are near', () => {
    const v = vec('the prod cluster runs in eu-west-1');
    expect(decodeVector(encodeVector(v))).toEqual(v);
    expect(encodeVector(v).length).toBe(4096); // 768 * 4 bytes, base64
    expect(cosine(v, vec('which cluster is prod'))).toBeGreaterThan(0.3);
    expect(cosine(v, vec('banana smoothie recipe'))).toBeLessThan(0.3);
  });
});

describe('memory config', () => {
  it('names the field of every problem', () => {
    expect(memoryConfigOf(undefined)).toBeUndefined();
    expect(memoryConfigOf(null)).toBeUndefined();
    expect(() => memoryConfigOf('yes')).toThrow('config.json: memory: must be an object');
    expect(() => memoryConfigOf({})).toThrow('config.json: memory.embedding: is required');
    expect(() => memoryConfigOf({ embedding: { model: 'm' } })).toThrow(
      'config.json: memory.embedding.provider: is required',
    );
    expect(() => memoryConfigOf({ embedding: { provider: 'openai', model: '' } })).toThrow(
      'config.json: memory.embedding.model: must be a non-empty string',
    );
    expect(() => memoryConfigOf({ embedding: { provider: 'openai', model: 'm' }, ttl_days: -1 })).toThrow(
      'config.json: memory.ttl_days: must be a number of days, 0 or more',
    );
    expect(() => memoryConfigOf({ embedding: { provider: 'openai', model: 'm', base_url: 3 } })).toThrow(
      'config.json: memory.embedding.base_url: must be a string',
    );
    // kagent writes "" for an unset base_url; ttl 0 means no expiry.
    expect(memoryConfigOf({ embedding: { provider: 'openai', model: 'm', base_url: '' }, ttl_days: 0 })).toEqual({
      embedding: { provider: 'openai', model: 'm', base_url: undefined, api_key_passthrough: false },
    });
  });
});

// ---- the store on every backend ----

const postgres = usePostgres();
let dbCounter = 0;
/** reopen(): the same database again, as this agent or (with a scope) as another agent sharing it. */
type Opened = { stores: Stores; reopen(scope?: string): Promise<Stores> };
const backends: Array<{
  name: string;
  open(scope: string, now: () => number): Promise<Opened> | undefined;
  skip(): string | undefined;
  durable: boolean;
}> = [
  {
    name: 'memory (Map)',
    durable: false,
    skip: () => undefined,
    open: async (_scope, now) => {
      const memories = new MapMemoryStore(10_000, now);
      const stores = {
        taskStore: undefined as never,
        conversations: undefined as never,
        memories,
        close: async () => {},
      };
      return { stores, reopen: async () => stores };
    },
  },
  {
    name: 'sqlite file',
    durable: true,
    skip: () => undefined,
    open: async (scope, now) => {
      const file = join(dir, `memories-${++dbCounter}.db`);
      return {
        stores: await openSqliteFileStores(file, { scope, now }),
        reopen: (other = scope) => openSqliteFileStores(file, { scope: other, now }),
      };
    },
  },
  {
    name: 'postgresql',
    durable: true,
    skip: () => postgres.skipReason(),
    open: async (scope, now) => ({
      stores: await openPostgresStores(postgres.url()!, { scope, now }),
      reopen: (other = scope) => openPostgresStores(postgres.url()!, { scope: other, now }),
    }),
  },
];

describe.each(backends)('$name memory store', (backend) => {
  const T0 = Date.UTC(2026, 0, 1);

  it('saves, ranks by similarity, drops what scores under the minimum, honours the limit', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const scope = `ns/agent-${Math.random()}`;
    const { stores } = (await backend.open(scope, () => T0))!;
    try {
      const m = stores.memories!;
      await m.add('alice', {
        content: 'the prod cluster runs in eu-west-1',
        vector: vec('the prod cluster runs in eu-west-1'),
      });
      await m.add('alice', {
        content: 'alice prefers kubectl over the dashboard',
        vector: vec('alice prefers kubectl over the dashboard'),
      });
      await m.add('alice', {
        content: 'the staging cluster runs in us-east-2',
        vector: vec('the staging cluster runs in us-east-2'),
      });
      const hits = await m.search('alice', vec('where does the prod cluster run'), { limit: 5, minScore: 0.3 });
      expect(hits[0].content).toBe('the prod cluster runs in eu-west-1');
      expect(hits.map((h) => h.content)).not.toContain('alice prefers kubectl over the dashboard'); // under 0.3
      expect(hits.every((h, i) => i === 0 || h.score <= hits[i - 1].score)).toBe(true);
      expect(hits[0].score).toBeGreaterThan(0.3);
      expect(hits[0].createdAt).toBe(T0);
      expect(typeof hits[0].id).toBe('string');
      expect(await m.search('alice', vec('where does the prod cluster run'), { limit: 1, minScore: 0.3 })).toHaveLength(
        1,
      );
      expect(await m.search('alice', vec('where does the prod cluster run'), { limit: 5, minScore: 0.99 })).toEqual([]);
    } finally {
      await stores.close();
    }
  });

  it('keeps users and agent scopes apart', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const scope = `ns/agent-${Math.random()}`;
    const a = (await backend.open(scope, () => T0))!;
    const text = 'the on-call engineer this week is bob';
    try {
      await a.stores.memories!.add('alice', { content: text, vector: vec(text) });
      expect(await a.stores.memories!.search('alice', vec(text), { limit: 5, minScore: 0.3 })).toHaveLength(1);
      expect(await a.stores.memories!.search('mallory', vec(text), { limit: 5, minScore: 0.3 })).toEqual([]);
    } finally {
      await a.stores.close();
    }
    if (!backend.durable) return; // one agent per process: the Map is not shared between agents
    // Another agent sharing the database (the SQLite file: opened after the first closed) sees nothing of it.
    const other = await a.reopen(`${scope}-other`);
    try {
      expect(await other.memories!.search('alice', vec(text), { limit: 5, minScore: 0.3 })).toEqual([]);
      expect(await other.memories!.sweep(Date.UTC(2100, 0, 1))).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('never returns an expired memory; the sweep deletes it; a restart keeps the rest', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    let now = T0;
    const scope = `ns/agent-${Math.random()}`;
    const opened = (await backend.open(scope, () => now))!;
    let stores = opened.stores;
    try {
      const m = stores.memories!;
      await m.add('alice', {
        content: 'temporary: the deploy freeze ends friday',
        vector: vec('the deploy freeze ends friday'),
        expiresAt: T0 + 1000,
      });
      await m.add('alice', {
        content: 'forever: the deploy freeze policy is in the wiki',
        vector: vec('the deploy freeze policy is in the wiki'),
      });
      const query = vec('when does the deploy freeze end');
      expect((await m.search('alice', query, { limit: 5, minScore: 0.1 })).map((h) => h.content).sort()).toEqual([
        'forever: the deploy freeze policy is in the wiki',
        'temporary: the deploy freeze ends friday',
      ]);
      now = T0 + 1000; // the moment it expires
      expect((await m.search('alice', query, { limit: 5, minScore: 0.1 })).map((h) => h.content)).toEqual([
        'forever: the deploy freeze policy is in the wiki',
      ]);
      expect(await m.sweep(now)).toBe(1);
      expect(await m.sweep(now)).toBe(0);
      if (backend.durable) {
        await stores.close();
        stores = await opened.reopen();
        const hits = await stores.memories!.search('alice', query, { limit: 5, minScore: 0.1, now: T0 });
        expect(hits.map((h) => h.content)).toEqual(['forever: the deploy freeze policy is in the wiki']); // the swept one stays gone
      }
    } finally {
      await stores.close();
    }
  });
});

describe('the Map backend is bounded', () => {
  it('drops the oldest memory past its bound', async () => {
    const m = new MapMemoryStore(2);
    for (const text of ['one cluster alpha', 'two cluster beta', 'three cluster gamma'])
      await m.add('u', { content: text, vector: vec(text) });
    expect(m.size).toBe(2);
    expect((await m.search('u', vec('one cluster alpha'), { limit: 5, minScore: 0.9 })).map((h) => h.content)).toEqual(
      [],
    );
  });
});

// ---- over A2A ----

describe('save_memory then load_memory in a new conversation, over A2A', () => {
  it("offers kagent's two tools, saves in one context and finds the fact from another (memory store)", async () => {
    const rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock() }));
    try {
      const reqBefore = llm.requests.length;
      const embBefore = llm.embeddingRequests.length;
      const saved = await ask(rt.url, 'remember: the prod cluster runs in eu-west-1');
      expect(saved.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(textOf(saved.status?.message)).toBe('tool said: Successfully saved information to long-term memory.');

      const tools = llm.requests[reqBefore].body.tools!.map((t) => t.function);
      expect(tools).toEqual(
        expect.arrayContaining([
          {
            name: 'save_memory',
            description: expect.stringMatching(/^Saves a specific piece of information or text to long-term memory\./),
            parameters: {
              type: 'object',
              properties: { content: { type: 'string', description: 'The text content or fact to save to memory.' } },
              required: ['content'],
            },
          },
          {
            name: 'load_memory',
            description: 'Loads the memory for the current user. Returns a JSON string of memories.',
            parameters: {
              type: 'object',
              properties: { query: { type: 'string', description: 'The query to search memory for.' } },
              required: ['query'],
            },
          },
        ]),
      );
      // Two embedding calls: the prefetch of the conversation's first message, then save_memory's — the configured
      // model, 768 dimensions asked, the chat model's key variable.
      const [prefetch, emb] = llm.embeddingRequests.slice(embBefore);
      expect(prefetch.body).toMatchObject({ input: ['remember: the prod cluster runs in eu-west-1'] });
      expect(emb.path).toBe('/v1/embeddings');
      expect(emb.body).toMatchObject({
        model: 'text-embedding-3-small',
        input: ['the prod cluster runs in eu-west-1'],
        dimensions: 768,
      });
      expect(emb.headers.authorization).toBe('Bearer sk-test-secret-key');

      // A new context: nothing of the first conversation is in its history, only memory can answer.
      const recalled = await ask(rt.url, 'recall: which region does the prod cluster run in');
      expect(recalled.contextId).not.toBe(saved.contextId);
      const answer = textOf(recalled.status?.message);
      const json = JSON.parse(answer.replace(/^tool said: /, ''));
      expect(json.memories).toHaveLength(1);
      expect(json.memories[0]).toMatchObject({
        content: { parts: [{ text: 'the prod cluster runs in eu-west-1' }], role: 'user' },
      });
      // A question about something else finds nothing.
      const none = await ask(rt.url, 'recall: banana smoothie recipe');
      expect(JSON.parse(textOf(none.status?.message).replace(/^tool said: /, ''))).toEqual({ memories: [] });
      // The metrics count the embedding calls: three conversations' prefetches, one save, two loads.
      const metrics = await (await fetch(`${rt.url}/metrics`)).text();
      expect(metrics).toMatch(
        /metagent_runtime_embedding_requests_total\{[^}]*model="text-embedding-3-small"[^}]*outcome="ok"[^}]*\} 6/,
      );
    } finally {
      await rt.close();
    }
  });

  it("a new conversation's first message brings the closest memories into its instructions (kagent's prefetch), for that turn only", async () => {
    const rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock() }));
    const pastOf = (body: ChatRequestBody) =>
      body.messages
        .filter((m) => m.role === 'system' && String(m.content).includes('<PAST_CONVERSATIONS>'))
        .map((m) => String(m.content));
    try {
      await ask(rt.url, 'remember: the staging database password rotates every monday');
      let before = llm.requests.length;
      const first = await ask(rt.url, 'when does the staging database password rotate');
      const [past] = pastOf(llm.requests[before].body);
      expect(past).toBe(
        "The following content is from your previous conversations with the user. It may be useful for answering the user's current query.\n" +
          '<PAST_CONVERSATIONS>\nthe staging database password rotates every monday\n</PAST_CONVERSATIONS>\n',
      );
      // After the agent's own instruction, before the conversation.
      expect(llm.requests[before].body.messages.map((m) => m.role)).toEqual(['system', 'system', 'user']);
      // The next turn of that conversation does not search again, and the recalled block was not stored in it.
      before = llm.requests.length;
      const embeddingsBefore = llm.embeddingRequests.length;
      await ask(rt.url, 'thanks', first.contextId);
      expect(pastOf(llm.requests[before].body)).toEqual([]);
      expect(llm.embeddingRequests.length).toBe(embeddingsBefore);
      // A first message about something else recalls nothing (every memory scores under the minimum).
      before = llm.requests.length;
      await ask(rt.url, 'banana smoothie recipe');
      expect(pastOf(llm.requests[before].body)).toEqual([]);
    } finally {
      await rt.close();
    }
  });

  it('a prefetch that fails leaves the turn to go on without it', async () => {
    const rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock() }), { METAGENT_LLM_MAX_RETRIES: '0' });
    llm.embeddings.status = 500;
    try {
      const before = llm.requests.length;
      const task = await ask(rt.url, 'hello there');
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(textOf(task.status?.message)).toBe('ok');
      expect(llm.requests[before].body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    } finally {
      llm.embeddings.status = undefined;
      await rt.close();
    }
  });

  it('a memory saved before a restart is found after it (SQLite file store)', async () => {
    const env = {
      METAGENT_STORE: `sqlite:${join(dir, 'a2a-restart.db')}`,
      KAGENT_NAME: 'mem-agent',
      KAGENT_NAMESPACE: 'test',
    };
    let rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock({ ttl_days: 30 }) }), env);
    try {
      expect((await ask(rt.url, 'remember: the team standup is at 9:30 in room 4')).status?.state).toBe(
        TaskState.TASK_STATE_COMPLETED,
      );
    } finally {
      await rt.close();
    }
    rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock({ ttl_days: 30 }) }), env);
    try {
      const answer = textOf((await ask(rt.url, 'recall: when is the team standup')).status?.message);
      expect(answer).toContain('the team standup is at 9:30 in room 4');
    } finally {
      await rt.close();
    }
  });

  it('an embedding endpoint failing becomes the tool result; the task still completes', async () => {
    const rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock() }), { METAGENT_LLM_MAX_RETRIES: '1' });
    llm.embeddings.status = 500;
    try {
      const before = llm.embeddingRequests.length;
      const task = await ask(rt.url, 'remember: this will not be saved');
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(textOf(task.status?.message)).toMatch(
        /^tool said: Error: embedding call to openai\/text-embedding-3-small failed after 2 attempt\(s\): HTTP 500: mock LLM: scripted embeddings 500/,
      );
      // The prefetch and the save, each retried once as the LLM calls are; a failed prefetch only costs the recall.
      expect(llm.embeddingRequests.length - before).toBe(4);
      const recall = await ask(rt.url, 'recall: anything');
      expect(recall.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(textOf(recall.status?.message)).toMatch(/^tool said: Error: embedding call .* HTTP 500/);
      const metrics = await (await fetch(`${rt.url}/metrics`)).text();
      expect(metrics).toMatch(/metagent_runtime_embedding_requests_total\{[^}]*outcome="error"[^}]*\} 4/);
    } finally {
      llm.embeddings.status = undefined;
      await rt.close();
    }
  });

  it('an empty save is an error result, not a crash', async () => {
    const rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock() }));
    try {
      const task = await ask(rt.url, 'remember:');
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(textOf(task.status?.message)).toBe('tool said: Error: content is required (a non-empty string)');
    } finally {
      await rt.close();
    }
  });
});

describe('memory config at startup', () => {
  it.each([
    [
      { embedding: { provider: 'anthropic', model: 'claude' } },
      /config\.json: memory\.embedding\.provider: unsupported embedding provider "anthropic" \(Anthropic has no embeddings API\) \(supported: openai, azure_openai, ollama, gemini, gemini_vertex_ai, bedrock\)/,
    ],
    [
      { embedding: { provider: 'gemini_anthropic', model: 'claude' } },
      /config\.json: memory\.embedding\.provider: unsupported embedding provider "gemini_anthropic" \(Anthropic has no embeddings API\)/,
    ],
    [
      { embedding: { provider: 'bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0' } },
      /config\.json: memory\.embedding\.model: "anthropic\.claude-3-haiku-20240307-v1:0" is not a Bedrock embedding model/,
    ],
    [{ embedding: { provider: 'openai' } }, /config\.json: memory\.embedding\.model: is required/],
    [
      { embedding: { provider: 'openai', model: 'm', base_url: 'localhost:8000' } },
      /config\.json: memory\.embedding: not a valid http\(s\) URL/,
    ],
    [
      { embedding: { provider: 'azure_openai', model: 'emb' } },
      /config\.json: memory\.embedding: azure_openai embeddings need an endpoint/,
    ],
    [
      { embedding: { provider: 'gemini_vertex_ai', model: 'text-embedding-005' } },
      /config\.json: memory\.embedding: gemini_vertex_ai embeddings needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION/,
    ],
    [{ embedding: 'openai' }, /config\.json: memory\.embedding: must be an object/],
  ])('%j is refused, naming the field', async (memory, message) => {
    await expect(startAgent(baseConfig(llm.url, { memory }))).rejects.toThrow(message);
  });

  it('no longer warns that memory is ignored', async () => {
    // Logged lines go through pino; a config with memory starts and serves its card.
    const rt = await startAgent(baseConfig(llm.url, { memory: memoryBlock() }));
    try {
      expect((await fetch(`${rt.url}/health`)).status).toBe(200);
    } finally {
      await rt.close();
    }
  });
});

describe('providers address their embeddings endpoints', () => {
  it('azure_openai: deployments/{model}/embeddings?api-version=..., the key in api-key', async () => {
    const rt = await startAgent(
      baseConfig(llm.url, { memory: { embedding: { provider: 'azure_openai', model: 'my-embedding' } } }),
      {
        AZURE_OPENAI_ENDPOINT: llm.url.replace(/\/v1$/, ''),
        AZURE_OPENAI_API_KEY: 'azure-key-123',
        OPENAI_API_VERSION: '2024-06-01',
      },
    );
    try {
      const before = llm.embeddingRequests.length;
      expect((await ask(rt.url, 'remember: azure fact')).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      const req = llm.embeddingRequests[before];
      expect(req.path).toBe('/openai/deployments/my-embedding/embeddings');
      expect(req.headers['api-key']).toBe('azure-key-123');
      expect(req.headers.authorization).toBeUndefined();
    } finally {
      await rt.close();
    }
  });

  it('ollama: /v1/embeddings at OLLAMA_API_BASE, no key', async () => {
    const rt = await startAgent(
      baseConfig(llm.url, { memory: { embedding: { provider: 'ollama', model: 'nomic-embed-text' } } }),
      { OLLAMA_API_BASE: llm.url.replace(/\/v1$/, '') },
    );
    try {
      const before = llm.embeddingRequests.length;
      expect(textOf((await ask(rt.url, 'remember: ollama fact')).status?.message)).toContain('Successfully saved');
      expect(llm.embeddingRequests[before]).toMatchObject({
        path: '/v1/embeddings',
        body: { model: 'nomic-embed-text' },
      });
      expect(llm.embeddingRequests[before].headers.authorization).toBe('Bearer ollama');
    } finally {
      await rt.close();
    }
  });
});

// ---- kagent's conformance outputs ----

async function conformanceConfig(name: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(new URL(`outputs/${name}.json`, CONFORMANCE), 'utf8')).config;
}

describe('kagent conformance configs', () => {
  it('agent_with_memory: openai text-embedding-3-small at OPENAI_API_BASE, saved then found', async () => {
    const config = await conformanceConfig('agent_with_memory');
    expect(config.memory).toEqual({ embedding: { model: 'text-embedding-3-small', provider: 'openai' } });
    config.model.base_url = llm.url;
    const rt = await startAgent(config, { OPENAI_API_BASE: llm.url });
    try {
      const before = llm.embeddingRequests.length;
      await ask(rt.url, 'remember: the user likes dark mode');
      expect(llm.embeddingRequests.slice(before).map((r) => r.body.model)).toEqual([
        'text-embedding-3-small',
        'text-embedding-3-small',
      ]);
      expect(textOf((await ask(rt.url, 'recall: does the user like dark mode')).status?.message)).toContain(
        'the user likes dark mode',
      );
    } finally {
      await rt.close();
    }
  });

  it('agent_with_embedding_provider (gemini_vertex_ai): Vertex predict with outputDimensionality 768 and a Google token', async () => {
    const config = await conformanceConfig('agent_with_embedding_provider');
    expect(config.memory).toEqual({ embedding: { model: 'text-embedding-005', provider: 'gemini_vertex_ai' } });
    config.model.base_url = llm.url;
    // A fake metadata server (GKE Workload Identity) hands out the token; google-auth-library finds it through the
    // process environment.
    const metadata = await startFakeMetadata('vertex-token');
    vi.stubEnv('GCE_METADATA_HOST', metadata.host);
    const seen = () => metadata.seen.map((s) => new URL(s.url, 'http://x').pathname);
    try {
      // As the conformance output's pod env has it: the runtime starts (Vertex's address is built from project and location).
      const asDeployed = await startAgent(config, {
        GOOGLE_CLOUD_PROJECT: 'my-project',
        GOOGLE_CLOUD_LOCATION: 'us-central1',
      });
      await asDeployed.close();
      // The same memory block pointed at the mock (base_url), to see the wire.
      config.memory.embedding.base_url = `${llm.url}/projects/my-project/locations/us-central1`;
      const rt = await startAgent(config, {
        GOOGLE_CLOUD_PROJECT: 'my-project',
        GOOGLE_CLOUD_LOCATION: 'us-central1',
      });
      try {
        const before = llm.embeddingRequests.length;
        expect(textOf((await ask(rt.url, 'remember: vertex fact about the blue cluster')).status?.message)).toContain(
          'Successfully saved',
        );
        const req = llm.embeddingRequests[before + 1]; // after the prefetch of the first message
        expect(req.path).toBe(
          '/v1/projects/my-project/locations/us-central1/publishers/google/models/text-embedding-005:predict',
        );
        expect(req.body).toEqual({
          instances: [{ content: 'vertex fact about the blue cluster' }],
          parameters: { outputDimensionality: 768 },
        });
        expect(req.headers.authorization).toBe('Bearer vertex-token');
        expect(seen()).toContain('/computeMetadata/v1/instance/service-accounts/default/token');
        expect(textOf((await ask(rt.url, 'recall: the blue cluster')).status?.message)).toContain(
          'vertex fact about the blue cluster',
        );
      } finally {
        await rt.close();
      }
    } finally {
      vi.unstubAllEnvs();
      await metadata.close();
    }
  });
});

describe('load_memory answer shape', () => {
  it("is ADK's SearchMemoryResponse JSON", () => {
    const json = JSON.parse(
      searchResponseJson([{ id: 'm1', content: 'fact', score: 0.87654, createdAt: Date.UTC(2026, 0, 2) }]),
    );
    expect(json).toEqual({
      memories: [
        {
          content: { parts: [{ text: 'fact' }], role: 'user' },
          custom_metadata: { score: 0.877 },
          id: 'm1',
          author: null,
          timestamp: '2026-01-02T00:00:00.000Z',
        },
      ],
    });
  });
});

export type { MemoryStore };
