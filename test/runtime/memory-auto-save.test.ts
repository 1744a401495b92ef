// kagent's automatic memory: every 5th user message of a conversation, the agent's model extracts facts from the last
// five turns and each becomes a memory of the caller — over A2A with the scripted model, the memories then found by
// the next conversation's prefetch. Also the pure parts (when, what text, the answer) and a failed extraction.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';
import {
  AUTO_SAVE_EVERY,
  autoSaveDue,
  FACTS_INSTRUCTION,
  parseFacts,
  recentTurnsText,
} from '../../runtime/memory/auto-save.js';
import type { ChatMessage } from '../../runtime/models/types.js';
import { baseConfig, clientFor, startAgent } from './helpers.js';

const isFactsRequest = (body: ChatRequestBody) => body.messages[0]?.content === FACTS_INSTRUCTION;
const PAST = '<PAST_CONVERSATIONS>';

let factsAnswer = '["the user runs the payments service in eu-west-1", "the user prefers kubectl over dashboards"]';
function script(body: ChatRequestBody): MockTurn {
  if (isFactsRequest(body)) return { text: factsAnswer };
  return { text: 'ok' };
}

let llm: MockLlm;
beforeAll(async () => {
  llm = await startMockLlm(script);
});
afterAll(async () => {
  await llm?.close();
});

const memory = () => ({ embedding: { provider: 'openai', model: 'text-embedding-3-small', base_url: llm.url } });

async function ask(url: string, text: string, contextId: string, user: string): Promise<Task> {
  const client = await clientFor(url);
  const task = (await client.sendMessage(
    { tenant: '', message: userMessage(text, { contextId }), configuration: undefined, metadata: undefined },
    { serviceParameters: { 'x-user-id': user } },
  )) as Task;
  expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  return task;
}

describe('automatic memory over A2A', () => {
  it('the 5th user message saves the facts the model lists, for that user; the next conversation starts with them', async () => {
    const rt = await startAgent(baseConfig(llm.url, { memory: memory() }));
    try {
      const contextId = randomUUID();
      const turns = ['we run payments in eu-west-1', 'I use kubectl', 'any alerts?', 'show pods', 'thanks'];
      const start = llm.requests.length;
      const factsRequests = () => llm.requests.slice(start).filter((r) => isFactsRequest(r.body));
      for (const text of turns.slice(0, -1)) await ask(rt.url, text, contextId, 'erin');
      // A turn of a context waits for the one before it to finish, extraction included: none so far.
      expect(factsRequests()).toHaveLength(0);
      await ask(rt.url, turns.at(-1)!, contextId, 'erin');
      // The 5th extracts, after its answer is out, from the five turns' text.
      await expect.poll(() => factsRequests().length).toBe(1);
      expect(String(factsRequests()[0].body.messages[1].content)).toBe(
        turns.map((t) => `user: ${t}\nassistant: ok`).join('\n'),
      );
      // Saved once the facts are embedded and stored: the next conversation of the same user is given them.
      await expect
        .poll(() => llm.embeddingRequests.filter((r) => JSON.stringify(r.body).includes('payments service')).length)
        .toBe(1);
      let before = llm.requests.length;
      await ask(rt.url, 'where does the payments service run?', randomUUID(), 'erin');
      const recalled = llm.requests[before].body.messages.find((m) => String(m.content).includes(PAST));
      expect(String(recalled?.content)).toContain('the user runs the payments service in eu-west-1');
      before = llm.requests.length;
      await ask(rt.url, 'where does the payments service run?', randomUUID(), 'frank');
      expect(llm.requests[before].body.messages.some((m) => String(m.content).includes(PAST))).toBe(false);
    } finally {
      await rt.close();
    }
  });

  it('an answer that is not a JSON list saves nothing, and the turn still completes', async () => {
    factsAnswer = 'Sure! Here are the facts: the user likes blue.';
    const rt = await startAgent(baseConfig(llm.url, { memory: memory() }));
    try {
      const contextId = randomUUID();
      for (let i = 0; i < AUTO_SAVE_EVERY; i++)
        expect(
          textOf((await ask(rt.url, `message ${i} about the blue theme`, contextId, 'gina')).status?.message),
        ).toBe('ok');
      const metrics = () => fetch(`${rt.url}/metrics`).then((r) => r.text());
      await expect.poll(metrics).toMatch(/metagent_runtime_errors_total\{[^}]*kind="memory_auto_save"[^}]*\} 1/);
      const before = llm.requests.length;
      await ask(rt.url, 'which theme do I like? blue?', randomUUID(), 'gina');
      expect(llm.requests[before].body.messages.some((m) => String(m.content).includes(PAST))).toBe(false);
    } finally {
      factsAnswer = '[]';
      await rt.close();
    }
  });
});

describe('automatic memory: the pure parts', () => {
  const turn = (n: number): ChatMessage[] => [
    { role: 'user', content: `question ${n}` },
    { role: 'assistant', content: '', toolCalls: [{ id: `c${n}`, name: 'list_pods', arguments: '{}' }] },
    { role: 'tool', toolCallId: `c${n}`, name: 'list_pods', content: `pods ${n}` },
    { role: 'assistant', content: `answer ${n}` },
  ];

  it('is due on every 5th user message', () => {
    const conversation = Array.from({ length: 10 }, (_, i) => turn(i + 1)).flat();
    const due = Array.from({ length: 10 }, (_, i) => autoSaveDue(conversation.slice(0, (i + 1) * 4)));
    expect(due).toEqual([false, false, false, false, true, false, false, false, false, true]);
    expect(autoSaveDue([])).toBe(false);
  });

  it('takes the last five turns: words and tool results, not the calls', () => {
    const text = recentTurnsText(Array.from({ length: 6 }, (_, i) => turn(i + 1)).flat());
    expect(text.split('\n')).toEqual(
      [2, 3, 4, 5, 6].flatMap((n) => [`user: question ${n}`, `tool list_pods: pods ${n}`, `assistant: answer ${n}`]),
    );
  });

  it('reads a JSON list of facts, fenced or not; anything else is an error', () => {
    expect(parseFacts('["a", " b ", "a", ""]')).toEqual(['a', 'b']);
    expect(parseFacts('```json\n["fenced"]\n```')).toEqual(['fenced']);
    expect(parseFacts('[]')).toEqual([]);
    expect(parseFacts(JSON.stringify(Array.from({ length: 30 }, (_, i) => `fact ${i}`)))).toHaveLength(20);
    expect(parseFacts(JSON.stringify(['x'.repeat(5000)]))[0]).toHaveLength(2000);
    expect(() => parseFacts('the user likes blue')).toThrow(/did not answer with a JSON array of facts/);
    expect(() => parseFacts('{"facts": ["a"]}')).toThrow(/JSON array of strings/);
    expect(() => parseFacts('[1, 2]')).toThrow(/JSON array of strings/);
  });
});
