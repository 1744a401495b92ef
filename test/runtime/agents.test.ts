// An agent as a tool (kagent's remote_agents): two runtimes, the coordinator delegating to the worker over A2A.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type ChatRequestBody, type MockLlm } from '../mocks/mock-llm.js';
import { agentCard, baseConfig, clientFor, startAgent } from './helpers.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';

const WORKER_PROMPT = 'You are the worker.';
const COORDINATOR_PROMPT = 'You are the coordinator.';

/** One mock serves both agents, telling them apart by their system prompt. */
function script(body: ChatRequestBody) {
  const system = String(body.messages[0]?.content);
  const last = body.messages[body.messages.length - 1];
  if (system === WORKER_PROMPT) {
    const userTurns = body.messages.filter((m) => m.role === 'user').length;
    return { text: `worker answer #${userTurns} to: ${String(last.content)}` };
  }
  if (last.role === 'tool') return { text: `The worker said: ${String(last.content)}` };
  return { toolCalls: [{ name: 'test__NS__worker_agent', arguments: { request: 'check the pods' } }] };
}

let llm: MockLlm;
let worker: Awaited<ReturnType<typeof startAgent>>;
let coordinator: Awaited<ReturnType<typeof startAgent>>;
beforeAll(async () => {
  llm = await startMockLlm(script);
  worker = await startAgent({ ...baseConfig(llm.url), instruction: WORKER_PROMPT }, {}, agentCard('worker_agent'));
  coordinator = await startAgent(
    {
      ...baseConfig(llm.url),
      instruction: COORDINATOR_PROMPT,
      remote_agents: [
        {
          name: 'test__NS__worker_agent',
          url: worker.url,
          description: 'Delegates to the worker',
          headers: { 'X-Kagent-Source': 'coordinator' },
        },
      ],
    },
    {},
    agentCard('coordinator_agent'),
  );
});
afterAll(async () => {
  await coordinator?.close();
  await worker?.close();
  await llm?.close();
});

describe('remote agent as a tool', () => {
  it('the coordinator sends a task to the worker and answers with its reply', async () => {
    const client = await clientFor(coordinator.url);
    const task = (await client.sendMessage({
      tenant: '',
      message: userMessage('Ask the worker.'),
      configuration: undefined,
      metadata: undefined,
    })) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.status?.message)).toBe('The worker said: worker answer #1 to: check the pods');
    // The coordinator offered the remote agent to its model as a tool with a `request` argument.
    const coordinatorRequest = llm.requests.find((r) => r.body.messages[0]?.content === COORDINATOR_PROMPT)!;
    const tool = coordinatorRequest.body.tools?.find((t) => t.function.name === 'test__NS__worker_agent');
    expect(tool?.function.description).toBe('Delegates to the worker');
    expect(tool?.function.parameters).toMatchObject({ required: ['request'] });
  });

  it('calls from one conversation share one context on the worker (it sees its earlier turns)', async () => {
    const client = await clientFor(coordinator.url);
    const contextId = randomUUID();
    await client.sendMessage({
      tenant: '',
      message: userMessage('first', { contextId }),
      configuration: undefined,
      metadata: undefined,
    });
    const second = (await client.sendMessage({
      tenant: '',
      message: userMessage('second', { contextId }),
      configuration: undefined,
      metadata: undefined,
    })) as Task;
    expect(textOf(second.status?.message)).toContain('worker answer #2');
  });

  it('a worker that is down becomes an error result, not a crashed coordinator', async () => {
    const orphan = await startAgent(
      {
        ...baseConfig(llm.url),
        instruction: COORDINATOR_PROMPT,
        remote_agents: [{ name: 'test__NS__worker_agent', url: 'http://127.0.0.1:1' }],
      },
      {},
      agentCard('orphan'),
    );
    try {
      const client = await clientFor(orphan.url);
      const task = (await client.sendMessage({
        tenant: '',
        message: userMessage('Ask the worker.'),
        configuration: undefined,
        metadata: undefined,
      })) as Task;
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(textOf(task.status?.message)).toMatch(/^The worker said: Error: /);
    } finally {
      await orphan.close();
    }
  });
});
