// With a durable store (METAGENT_STORE=sqlite:<file>), a runtime restart loses neither tasks nor conversations, and a
// task paused for approval can still be approved after the restart.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type MockScript } from '../mocks/mock-llm.js';
import { startMcpServer } from '../mocks/mcp-server.js';
import { dataPart, textOf, userMessage } from '../../runtime/a2a/parts.js';
import { baseConfig, clientFor, startAgent } from './helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const send = (message: ReturnType<typeof userMessage>) => ({
  tenant: '',
  message,
  configuration: undefined,
  metadata: undefined,
});

describe('restart with the SQLite store', () => {
  it('keeps tasks and conversations', async () => {
    const store = `sqlite:${join(await mkdtemp(join(tmpdir(), 'metagent-store-')), 'rt.db')}`;
    const llm = await startMockLlm([{ text: 'Noted, Ada.' }, { text: 'You are Ada.' }]);
    cleanups.push(() => llm.close());
    const config = baseConfig(llm.url);
    const contextId = randomUUID();

    const first = await startAgent(config, { METAGENT_STORE: store });
    const task = (await (
      await clientFor(first.url)
    ).sendMessage(send(userMessage('I am Ada.', { contextId })))) as Task;
    await first.close();

    const second = await startAgent(config, { METAGENT_STORE: store });
    cleanups.push(() => second.close());
    const client = await clientFor(second.url);
    const again = await client.getTask({ tenant: '', id: task.id } as never);
    expect(again.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(again.status?.message)).toBe('Noted, Ada.');
    await client.sendMessage(send(userMessage('Who am I?', { contextId })));
    expect(llm.requests[1].body.messages.map((m) => m.content)).toEqual([
      'You are a helpful Kubernetes assistant.',
      'I am Ada.',
      'Noted, Ada.',
      'Who am I?',
    ]);
  });

  it('a task waiting for approval can be approved after a restart', async () => {
    const store = `sqlite:${join(await mkdtemp(join(tmpdir(), 'metagent-store-')), 'rt.db')}`;
    const mcp = await startMcpServer();
    cleanups.push(() => mcp.close());
    const script: MockScript = (body) =>
      body.messages[body.messages.length - 1].role === 'tool'
        ? { text: `result: ${String(body.messages[body.messages.length - 1].content)}` }
        : { toolCalls: [{ name: 'delete_file', arguments: { path: '/tmp/y' }, id: 'call_1' }] };
    const llm = await startMockLlm(script);
    cleanups.push(() => llm.close());
    const config = baseConfig(llm.url, {
      http_tools: [{ params: { url: mcp.url }, tools: ['delete_file'], require_approval: ['delete_file'] }],
    });

    const first = await startAgent(config, { METAGENT_STORE: store });
    const paused = (await (await clientFor(first.url)).sendMessage(send(userMessage('delete /tmp/y')))) as Task;
    expect(paused.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    await first.close();

    const second = await startAgent(config, { METAGENT_STORE: store });
    cleanups.push(() => second.close());
    const approve = {
      ...userMessage('', { contextId: paused.contextId, taskId: paused.id }),
      parts: [dataPart({ decision_type: 'approve' })],
    };
    const done = (await (await clientFor(second.url)).sendMessage(send(approve))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(done.status?.message)).toBe('result: deleted /tmp/y');
    expect(mcp.calls.filter((c) => c.tool === 'delete_file')).toHaveLength(1);
  });
});
