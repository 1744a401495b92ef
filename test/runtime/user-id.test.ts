// kagent's user id: the `x-user-id` header its UI and controller send (unauthenticated, as in kagent). Memories are
// kept per user id, and an agent called as a tool is given the caller's id in turn — two runtimes over real A2A.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { memoryScript } from '../mocks/memory-script.js';
import { agentCard, baseConfig, clientFor, startAgent } from './helpers.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';

const WORKER = 'test__NS__notes_agent';

/** The memory model (memory-script.ts), plus "delegate: X", which hands X to the worker agent. */
function script(body: ChatRequestBody): MockTurn {
  const last = body.messages[body.messages.length - 1];
  const text = String(last.content);
  if (last.role !== 'tool' && text.startsWith('delegate:'))
    return { toolCalls: [{ name: WORKER, arguments: { request: text.slice(9).trim() } }] };
  return memoryScript(body);
}

let llm: MockLlm;
let worker: Awaited<ReturnType<typeof startAgent>>;
let coordinator: Awaited<ReturnType<typeof startAgent>>;
beforeAll(async () => {
  llm = await startMockLlm(script);
  const memory = { embedding: { provider: 'openai', model: 'text-embedding-3-small', base_url: llm.url } };
  worker = await startAgent(baseConfig(llm.url, { memory }), {}, agentCard('notes_agent'));
  coordinator = await startAgent(
    baseConfig(llm.url, { remote_agents: [{ name: WORKER, url: worker.url, description: 'Keeps notes' }] }),
    {},
    agentCard('coordinator_agent'),
  );
});
afterAll(async () => {
  await coordinator?.close();
  await worker?.close();
  await llm?.close();
});

/** Sends `text` to an agent, as `user` when given (the x-user-id header), and returns the answer's text. */
async function ask(url: string, text: string, user?: string): Promise<string> {
  const client = await clientFor(url);
  const task = (await client.sendMessage(
    { tenant: '', message: userMessage(text), configuration: undefined, metadata: undefined },
    user ? { serviceParameters: { 'x-user-id': user } } : undefined,
  )) as Task;
  expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  return textOf(task.status?.message);
}

const memoriesIn = (answer: string) =>
  (
    JSON.parse(answer.replace(/^tool said: /, '')) as { memories: { content: { parts: { text: string }[] } }[] }
  ).memories.map((m) => m.content.parts[0].text);

describe('x-user-id', () => {
  it('keeps each user’s memories to that user; without the header the caller is anonymous', async () => {
    expect(await ask(worker.url, 'remember: alice deploys on tuesdays', 'alice')).toBe(
      'tool said: Successfully saved information to long-term memory.',
    );
    expect(memoriesIn(await ask(worker.url, 'recall: alice deploys on which days', 'alice'))).toEqual([
      'alice deploys on tuesdays',
    ]);
    expect(memoriesIn(await ask(worker.url, 'recall: alice deploys on which days', 'bob'))).toEqual([]);
    expect(memoriesIn(await ask(worker.url, 'recall: alice deploys on which days'))).toEqual([]);
  });

  it('is passed on to an agent called as a tool, so its memories are the same user’s', async () => {
    const saved = await ask(coordinator.url, 'delegate: remember: carol prefers the eu-central cluster', 'carol');
    expect(saved).toContain('Successfully saved information to long-term memory.');
    // The worker filed it under carol: she finds it there, dave does not.
    expect(memoriesIn(await ask(worker.url, 'recall: which cluster does carol prefer', 'carol'))).toEqual([
      'carol prefers the eu-central cluster',
    ]);
    expect(memoriesIn(await ask(worker.url, 'recall: which cluster does carol prefer', 'dave'))).toEqual([]);
    // A call without the header passes none on: the worker's caller is anonymous.
    await ask(coordinator.url, 'delegate: remember: an anonymous note about the eu-central cluster');
    expect(memoriesIn(await ask(worker.url, 'recall: anonymous note about the eu-central cluster'))).toEqual([
      'an anonymous note about the eu-central cluster',
    ]);
  });
});

/** ListTasks as `user` (none: without the header): the ids of the tasks that caller sees. */
async function taskIds(url: string, user?: string): Promise<string[]> {
  const client = await clientFor(url);
  const page = await client.listTasks(
    { tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '' } as never,
    user ? { serviceParameters: { 'x-user-id': user } } : undefined,
  );
  return page.tasks.map((t) => t.id).sort();
}

async function send(url: string, text: string, user?: string): Promise<Task> {
  const client = await clientFor(url);
  return (await client.sendMessage(
    { tenant: '', message: userMessage(text), configuration: undefined, metadata: undefined },
    user ? { serviceParameters: { 'x-user-id': user } } : undefined,
  )) as Task;
}

describe('x-user-id scopes the tasks (the conversations list)', () => {
  it('each user lists and reads only their own tasks; without the header only the header-less ones', async () => {
    const erin = [await send(worker.url, 'recall: one', 'erin'), await send(worker.url, 'recall: two', 'erin')];
    const frank = await send(worker.url, 'recall: three', 'frank');
    const nobody = await send(worker.url, 'recall: four');
    expect(await taskIds(worker.url, 'erin')).toEqual(erin.map((t) => t.id).sort());
    expect(await taskIds(worker.url, 'frank')).toEqual([frank.id]);
    const anonymous = await taskIds(worker.url);
    expect(anonymous).toContain(nobody.id);
    expect(anonymous).not.toContain(frank.id);
    expect(anonymous.some((id) => erin.some((t) => t.id === id))).toBe(false);
    // Another user's task id is not found, as if it did not exist.
    const client = await clientFor(worker.url);
    await expect(
      client.getTask({ tenant: '', id: frank.id, historyLength: 0 } as never, {
        serviceParameters: { 'x-user-id': 'erin' },
      }),
    ).rejects.toThrow(/not found/i);
    const own = await client.getTask({ tenant: '', id: frank.id, historyLength: 0 } as never, {
      serviceParameters: { 'x-user-id': 'frank' },
    });
    expect(own.id).toBe(frank.id);
  });

  it('a user id too long for the stores is kept by its hash: the same id finds its tasks, another does not', async () => {
    const long = `${'g'.repeat(300)}@example.com`;
    const task = await send(worker.url, 'recall: five', long);
    expect(await taskIds(worker.url, long)).toEqual([task.id]);
    expect(await taskIds(worker.url, `${'g'.repeat(300)}@example.org`)).toEqual([]);
  });
});
