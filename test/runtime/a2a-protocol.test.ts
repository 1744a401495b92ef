// The A2A protocol points the TCK checks, over real HTTP against the runtime: version negotiation (A2A 1.0 §3.6),
// method routing by version, JSON-RPC envelopes (§9.5), task states by name, the card's capabilities (§3.3.4) and
// the HTTP+JSON binding (§11) beside JSON-RPC, with the SDK's own REST client; ListTasks and history as the
// dashboard reads them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions } from '@a2a-js/sdk/client';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { userMessage } from '../../runtime/a2a/parts.js';
import { baseConfig, rpc, startAgent } from './helpers.js';

let llm: MockLlm;
let rt: Awaited<ReturnType<typeof startAgent>>;
const V1 = { 'A2A-Version': '1.0' };
const sendParams = (text: string, extra: Record<string, unknown> = {}) => ({
  message: { messageId: `m-${Math.random()}`, role: 'ROLE_USER', parts: [{ text }], ...extra },
});

beforeAll(async () => {
  // "slow" messages keep their task working for a while (cancel, subscribe, returnImmediately).
  llm = await startMockLlm(
    (body) =>
      JSON.stringify(body.messages.at(-1)).includes('slow') ? { text: 'done slowly', delayMs: 1500 } : { text: 'done' },
    { record: false },
  );
  rt = await startAgent(baseConfig(llm.url));
});
afterAll(async () => {
  await rt?.close();
  await llm?.close();
});

async function rest(
  path: string,
  init: RequestInit & { version?: string } = {},
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(init.version === undefined ? V1 : init.version ? { 'A2A-Version': init.version } : {}),
  };
  const res = await fetch(`${rt.url}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('§3.6 versioning', () => {
  it('A2A-Version 1.0.0 is served as 1.0 (patch numbers do not count); 2.0 is VersionNotSupported without an error log', async () => {
    const errors = vi.spyOn(console, 'error');
    try {
      const ok = await rpc(
        rt.url,
        { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: sendParams('hi') },
        { 'A2A-Version': '1.0.0' },
      );
      expect(ok.json.result.task.status.state).toBe('TASK_STATE_COMPLETED');
      const no = await rpc(
        rt.url,
        { jsonrpc: '2.0', id: 2, method: 'SendMessage', params: sendParams('hi') },
        { 'A2A-Version': '2.0' },
      );
      expect(no.json).toEqual({
        jsonrpc: '2.0',
        id: 2,
        error: { code: -32009, message: 'A2A-Version 2.0 is not supported (supported: 0.3, 1.0)' },
      });
      const query = await rpc(`${rt.url}/?A2A-Version=1.0`, {
        jsonrpc: '2.0',
        id: 3,
        method: 'GetTask',
        params: { id: ok.json.result.task.id },
      });
      expect(query.json.result.id).toBe(ok.json.result.task.id);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it('§3.6.2 a method is looked up in the requested version only, before its params are read', async () => {
    for (const params of [undefined, {}, { id: 7 }]) {
      const v1 = await rpc(rt.url, { jsonrpc: '2.0', id: 1, method: 'tasks/get', params }, V1);
      expect(v1.json.error).toEqual({ code: -32601, message: 'Method not found: tasks/get (A2A 1.0)' });
      const v03 = await rpc(rt.url, { jsonrpc: '2.0', id: 1, method: 'GetTask', params });
      expect(v03.json.error).toEqual({ code: -32601, message: 'Method not found: GetTask (A2A 0.3)' });
      const unknown = await rpc(rt.url, { jsonrpc: '2.0', id: 1, method: 'NoSuchMethod', params }, V1);
      expect(unknown.json.error.code).toBe(-32601);
    }
  });
});

describe('§9.5 JSON-RPC envelopes on the v1.0 path', () => {
  it.each([
    [{ jsonrpc: 'aaa', id: 1, method: 'SendMessage', params: sendParams('x') }, 1],
    [{ jsonrpc: '1.0', id: 1, method: 'SendMessage', params: sendParams('x') }, 1],
    [{ jsonrpc: '2.0', id: { bad: true }, method: 'SendMessage', params: sendParams('x') }, null],
  ])('%j is -32600 Invalid Request', async (body, id) => {
    const res = await rpc(rt.url, body, V1);
    expect(res.json).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32600 } });
  });
  it('empty parts, a missing role and a negative historyLength are -32602 naming the field (§5.7, §3.2.4)', async () => {
    const empty = await rpc(
      rt.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [] } },
      },
      V1,
    );
    expect(empty.json.error).toEqual({
      code: -32602,
      message: 'Invalid params: params.message.parts must not be empty',
    });
    const role = await rpc(
      rt.url,
      { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm', parts: [{ text: 'x' }] } } },
      V1,
    );
    expect(role.json.error.message).toBe('Invalid params: params.message.role is required');
    const hist = await rpc(rt.url, { jsonrpc: '2.0', id: 1, method: 'ListTasks', params: { historyLength: -1 } }, V1);
    expect(hist.json.error.message).toBe('Invalid params: params.historyLength must be >= 0');
    const ts = await rpc(
      rt.url,
      { jsonrpc: '2.0', id: 1, method: 'ListTasks', params: { statusTimestampAfter: 'yesterday' } },
      V1,
    );
    expect(ts.json.error.code).toBe(-32602);
  });
});

describe('task states by name in errors', () => {
  it('a message to a completed task names its state, per version', async () => {
    const first = await rpc(rt.url, { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: sendParams('one') }, V1);
    const taskId = first.json.result.task.id;
    const again = await rpc(
      rt.url,
      { jsonrpc: '2.0', id: 2, method: 'SendMessage', params: sendParams('two', { taskId }) },
      V1,
    );
    expect(again.json.error.message).toBe(
      `Task ${taskId} is in a terminal state (TASK_STATE_COMPLETED) and cannot be modified.`,
    );
    const v03 = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 3,
      method: 'message/send',
      params: {
        message: { kind: 'message', messageId: 'x', role: 'user', taskId, parts: [{ kind: 'text', text: 'three' }] },
      },
    });
    expect(v03.json.error.message).toMatch(/state \(completed\)/);
  });
});

describe('§3.2.2 returnImmediately, §3.1.5 cancel, §3.1.6 subscribe on a task that is still working', () => {
  it('returnImmediately answers a working task that can be subscribed to and cancelled', async () => {
    const sent = await rpc(
      rt.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { ...sendParams('slow one'), configuration: { returnImmediately: true } },
      },
      V1,
    );
    const task = sent.json.result.task;
    expect(task.status.state).toBe('TASK_STATE_WORKING');
    const sub = fetch(rt.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...V1 },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'SubscribeToTask', params: { id: task.id } }),
    });
    const res = await sub;
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const cancel = await rpc(rt.url, { jsonrpc: '2.0', id: 3, method: 'CancelTask', params: { id: task.id } }, V1);
    expect(cancel.json.result.status.state).toBe('TASK_STATE_CANCELED');
    const events = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => JSON.parse(l.slice(5)));
    expect(events.at(-1).result.statusUpdate.status.state).toBe('TASK_STATE_CANCELED');
    // §3.1.5: an already cancelled task is not cancelable (the SDK alone would answer the task again).
    const again = await rpc(rt.url, { jsonrpc: '2.0', id: 4, method: 'CancelTask', params: { id: task.id } }, V1);
    expect(again.json.error).toMatchObject({
      code: -32002,
      message: `Task not cancelable: ${task.id} is already canceled`,
    });
  });
  it('a blocking SendMessage (the default) answers the finished task', async () => {
    const sent = await rpc(
      rt.url,
      { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: sendParams('slow two') },
      V1,
    );
    expect(sent.json.result.task.status.state).toBe('TASK_STATE_COMPLETED');
    const cancel = await rpc(
      rt.url,
      { jsonrpc: '2.0', id: 2, method: 'CancelTask', params: { id: sent.json.result.task.id } },
      V1,
    );
    expect(cancel.json.error.code).toBe(-32002); // TaskNotCancelableError
  });
  it('§9.4.6 SubscribeToTask of an unknown task is an SSE stream of one TaskNotFound error; the SDK client raises it', async () => {
    const res = await fetch(rt.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...V1 },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'SubscribeToTask', params: { id: 'no-such-task' } }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(JSON.parse(text.replace(/^data: /, ''))).toMatchObject({ jsonrpc: '2.0', id: 9, error: { code: -32001 } });
    const client = await new ClientFactory().createFromUrl(rt.url);
    const stream = client.resubscribeTask({ id: 'no-such-task' } as never);
    await expect(stream.next()).rejects.toThrow(/not found/i);
  });
});

describe('§3.3.4 the card declares what is implemented', () => {
  it('streaming yes, push notifications and the extended card no; JSON-RPC and HTTP+JSON for 0.3 and 1.0', async () => {
    const card = (await (await fetch(`${rt.url}/.well-known/agent-card.json`, { headers: V1 })).json()) as {
      capabilities: unknown;
      supportedInterfaces: { protocolBinding: string; protocolVersion: string }[];
    };
    expect(card.capabilities).toMatchObject({ streaming: true, pushNotifications: false, extendedAgentCard: false });
    const ifaces = card.supportedInterfaces
      .map((i: { protocolBinding: string; protocolVersion: string }) => `${i.protocolBinding} ${i.protocolVersion}`)
      .sort();
    expect(ifaces).toEqual(['HTTP+JSON 0.3', 'HTTP+JSON 1.0', 'JSONRPC 0.3', 'JSONRPC 1.0']);
    const push = await rpc(
      rt.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'CreateTaskPushNotificationConfig',
        params: { taskId: 't', url: 'https://example.com/hook' },
      },
      V1,
    );
    expect(push.json.error.code).toBe(-32003);
  });
});

describe('§11 HTTP+JSON binding', () => {
  it('the SDK client over REST: send, get, list by context (paged) with history', async () => {
    const factory = new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { preferredTransports: ['HTTP+JSON'] }),
    );
    const client = await factory.createFromUrl(rt.url);
    const a = (await client.sendMessage({ message: userMessage('first') } as never)) as Task;
    expect(a.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const b = (await client.sendMessage({
      message: userMessage('second', { contextId: a.contextId }),
    } as never)) as Task;
    const got = await client.getTask({ id: b.id, historyLength: 1 } as never);
    expect(got.history).toHaveLength(1);
    const page1 = await client.listTasks({ contextId: a.contextId, pageSize: 1 } as never);
    expect(page1.tasks.map((t) => t.id)).toEqual([b.id]);
    expect(page1.totalSize).toBe(2);
    expect(page1.nextPageToken).not.toBe('');
    const page2 = await client.listTasks({
      contextId: a.contextId,
      pageSize: 1,
      pageToken: page1.nextPageToken,
    } as never);
    expect(page2.tasks.map((t) => t.id)).toEqual([a.id]);
    expect(page2.nextPageToken).toBe('');
  });

  it("bad input is a 400 in the binding's error shape, naming the field", async () => {
    const empty = await rest('/message:send', {
      method: 'POST',
      body: JSON.stringify({ message: { messageId: 'm', role: 'ROLE_USER', parts: [] } }),
    });
    expect(empty).toEqual({
      status: 400,
      json: {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'Invalid params: message.parts must not be empty',
          details: [],
        },
      },
    });
    const hist = await rest('/tasks?historyLength=-1');
    expect(hist.json.error.message).toBe('Invalid params: historyLength must be >= 0');
    const version = await rest('/tasks', { version: '2.0' });
    expect(version).toMatchObject({ status: 400, json: { error: { status: 'FAILED_PRECONDITION' } } });
    const missing = await rest('/tasks/no-such-task');
    expect(missing.status).toBe(404);
    const notJson = await rest('/message:send', { method: 'POST', body: '{"message": ' });
    expect(notJson.status).toBe(400);
  });

  it('v0.3 REST (no version header, /v1 paths) is served by the SDK compat layer', async () => {
    const res = await rest('/v1/message:send', {
      method: 'POST',
      version: '',
      // v0.3's HTTP+JSON binding speaks the v0.3 proto's JSON (role enum names, `content` parts).
      body: JSON.stringify({ message: { messageId: 'r03', role: 'ROLE_USER', content: [{ text: 'hi' }] } }),
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.json)).toMatch(/TASK_STATE_COMPLETED/);
  });
});
