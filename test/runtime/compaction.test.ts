// kagent's context_config.compaction in the runtime, over real HTTP with the A2A SDK client and the scripted LLM:
// after compaction_interval turns the summariser is asked, and the next turn's prompt holds its summary instead of
// the older turns; a failing summariser leaves the conversation whole; without a summariser, a prompt over
// token_threshold drops the older turns; bad settings stop the start naming the field.
import { randomUUID } from 'node:crypto';
import type { Message, Task } from '@a2a-js/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startRuntime } from '../../runtime/index.js';
import { userMessage } from '../../runtime/a2a/parts.js';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { baseConfig, clientFor, startAgent, TEST_ENV, writeConfigDir } from './helpers.js';
import { usePostgres } from './postgres-server.js';

const SUMMARISE = 'Summarise the chat for the next turn.';
const send = (message: Message) => ({ tenant: '', message, configuration: undefined, metadata: undefined });
const isSummaryRequest = (body: ChatRequestBody) => body.messages[0]?.content === SUMMARISE;
const userTexts = (body: ChatRequestBody) =>
  body.messages.filter((m) => m.role === 'user').map((m) => String(m.content));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A runtime whose summariser, when `summarise` is given, is its own model answered by `summarise`. */
async function setup(
  compaction: Record<string, unknown>,
  summarise?: (body: ChatRequestBody) => MockTurn,
  usage?: MockTurn['usage'],
) {
  const llm: MockLlm = await startMockLlm((body) =>
    isSummaryRequest(body) ? summarise!(body) : { text: `answer to ${userTexts(body).at(-1)}`, usage },
  );
  cleanups.push(() => llm.close());
  const config = baseConfig(llm.url);
  const summarizer = summarise ? { summarizer_model: config.model } : {};
  const rt = await startAgent({ ...config, context_config: { compaction: { ...compaction, ...summarizer } } });
  cleanups.push(() => rt.close());
  const client = await clientFor(rt.url);
  const contextId = randomUUID();
  const ask = async (text: string) => (await client.sendMessage(send(userMessage(text, { contextId })))) as Task;
  return { llm, ask };
}

describe('context compaction', () => {
  it('after compaction_interval turns the next prompt holds the summary and the overlap, not the older turns', async () => {
    // No summariser configured here: the compacted turn is dropped, the overlap kept.
    const { llm, ask } = await setup({ compaction_interval: 2, overlap_size: 1, prompt_template: SUMMARISE });
    await ask('one');
    await ask('two');
    const third = await ask('three');
    expect(third.status?.state).toBe(3);
    const prompts = llm.requests.filter((r) => !isSummaryRequest(r.body));
    expect(userTexts(prompts[1].body)).toEqual(['one', 'two']);
    expect(userTexts(prompts[2].body)).toEqual(['two', 'three']);
    expect(llm.requests.some((r) => isSummaryRequest(r.body))).toBe(false);
  });

  it('with a summariser, its summary replaces the compacted turns, and later compactions fold it in', async () => {
    let n = 0;
    const { llm, ask } = await setup({ compaction_interval: 2, overlap_size: 1, prompt_template: SUMMARISE }, () => ({
      text: `SUMMARY-${++n}`,
    }));
    for (const q of ['one', 'two', 'three', 'four']) await ask(q);
    const summaries = llm.requests.filter((r) => isSummaryRequest(r.body));
    expect(summaries).toHaveLength(2);
    // The first summary request holds turn one; the second the first summary and turns two and three.
    expect(String(summaries[0].body.messages[1].content)).toBe('user: one\n\nassistant: answer to one');
    expect(String(summaries[1].body.messages[1].content)).toMatch(
      /^\[earlier summary\]\nSummary of the earlier conversation:\nSUMMARY-1\n\nuser: two\n\nassistant: answer to two\n\nuser: three/,
    );
    const prompts = llm.requests.filter((r) => !isSummaryRequest(r.body));
    const third = prompts[2].body.messages;
    expect(third.map((m) => m.role)).toEqual(['system', 'system', 'user', 'assistant', 'user']);
    expect(third[1].content).toBe('Summary of the earlier conversation:\nSUMMARY-1');
    expect(userTexts(prompts[2].body)).toEqual(['two', 'three']);
  });

  it('a failing summariser leaves the conversation whole, and the task still answers', async () => {
    const { llm, ask } = await setup({ compaction_interval: 1, overlap_size: 0, prompt_template: SUMMARISE }, () => ({
      status: 400,
    }));
    expect((await ask('one')).status?.state).toBe(3);
    expect((await ask('two')).status?.state).toBe(3);
    const prompts = llm.requests.filter((r) => !isSummaryRequest(r.body));
    expect(userTexts(prompts[1].body)).toEqual(['one', 'two']);
    expect(llm.requests.filter((r) => isSummaryRequest(r.body)).length).toBeGreaterThanOrEqual(1);
  });

  it('without a summariser, a prompt over token_threshold drops the older turns (keeping event_retention_size)', async () => {
    const { llm, ask } = await setup(
      { compaction_interval: 100, token_threshold: 50, event_retention_size: 2 },
      undefined,
      { prompt_tokens: 80, completion_tokens: 5 },
    );
    await ask('one');
    await ask('two');
    await ask('three');
    const prompts = llm.requests;
    // After each turn the prompt was over the threshold: only the last turn (two messages) is carried.
    expect(userTexts(prompts[1].body)).toEqual(['one', 'two']);
    expect(userTexts(prompts[2].body)).toEqual(['two', 'three']);
  });
});

// Two replicas of one agent share a PostgreSQL store. In one process a context's turns and its compaction take turns;
// across replicas they do not, so a turn can finish on one replica while the other is still summarising.
describe('compaction with two replicas on one PostgreSQL store', () => {
  const postgres = usePostgres();

  it('a turn that finishes on one replica while the other summarises is kept, after the summary that won', async (t) => {
    const skip = postgres.skipReason();
    if (skip) return t.skip(skip);
    let n = 0;
    // The first summary (replica one's) is slow; replica two's turn and its own compaction finish meanwhile.
    const llm = await startMockLlm((body) =>
      isSummaryRequest(body)
        ? ++n === 1
          ? { text: 'SLOW', delayMs: 500 }
          : { text: 'FAST' }
        : { text: `answer to ${userTexts(body).at(-1)}` },
    );
    cleanups.push(() => llm.close());
    const config = baseConfig(llm.url);
    const compaction = {
      compaction_interval: 2,
      overlap_size: 1,
      prompt_template: SUMMARISE,
      summarizer_model: config.model,
    };
    const env = { METAGENT_STORE: postgres.url()!, KAGENT_NAMESPACE: 'team', KAGENT_NAME: 'replicated' };
    const replicas = await Promise.all(
      [0, 1].map(() => startAgent({ ...config, context_config: { compaction } }, env)),
    );
    for (const r of replicas) cleanups.push(() => r.close());
    const [one, two] = await Promise.all(replicas.map((r) => clientFor(r.url)));
    const contextId = randomUUID();
    const ask = async (client: typeof one, text: string) =>
      (await client.sendMessage(send(userMessage(text, { contextId })))) as Task;

    await ask(one, 'one');
    await ask(one, 'two'); // replica one compacts: summarises turn one (slowly), keeps two
    await ask(two, 'three'); // replica two: summarises one and two, keeps three — and wins
    const deadline = Date.now() + 10_000;
    while (llm.requests.filter((r) => isSummaryRequest(r.body)).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(llm.requests.filter((r) => isSummaryRequest(r.body))).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1000)); // the slow summary has come back, and replica one has given up
    await ask(one, 'four');
    const last = llm.requests.filter((r) => !isSummaryRequest(r.body)).at(-1)!.body;
    expect(last.messages.filter((m) => m.role === 'system').map((m) => m.content)).toEqual([
      config.instruction,
      'Summary of the earlier conversation:\nFAST',
    ]);
    expect(userTexts(last)).toEqual(['three', 'four']);
  });
});

describe('compaction settings in config.json', () => {
  it.each([
    [
      { compaction: { compaction_interval: 0 } },
      'context_config.compaction.compaction_interval: must be a whole number of at least 1',
    ],
    [
      { compaction: { overlap_size: -1 } },
      'context_config.compaction.overlap_size: must be a whole number of at least 0',
    ],
    [{ compaction: { prompt_template: 7 } }, 'context_config.compaction.prompt_template: must be a string'],
    [
      { compaction: { summarizer_model: { type: 'openai' } } },
      'context_config.compaction.summarizer_model.model: is required',
    ],
    [{ compaction: 'yes' }, 'context_config.compaction: must be an object'],
  ])('%j is refused at start', async (contextConfig, message) => {
    const dir = await writeConfigDir({ ...baseConfig('http://127.0.0.1:1/v1'), context_config: contextConfig });
    await expect(startRuntime({ filepath: dir, port: 0, env: TEST_ENV })).rejects.toThrow(message);
  });
});
