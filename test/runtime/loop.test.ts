// The agent loop through the real stack: conversation memory, cancellation, iteration limit, LLM retries, tool
// failures and parallel calls, approval, and an MCP server that is down when the agent starts.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockScript } from '../mocks/mock-llm.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { dataPart, textOf, textPart, userMessage } from '../../runtime/a2a/parts.js';
import { baseConfig, clientFor, rpc, startAgent } from './helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function setup(
  script: MockScript,
  extra: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
  mcpServer?: McpTestServer,
) {
  const llm = await startMockLlm(script);
  cleanups.push(() => llm.close());
  const mcp = mcpServer ?? (await startMcpServer());
  if (!mcpServer) cleanups.push(() => mcp.close());
  const rt = await startAgent(baseConfig(llm.url, { http_tools: [{ params: { url: mcp.url } }], ...extra }), env);
  cleanups.push(() => rt.close());
  const client = await clientFor(rt.url);
  return { llm, mcp, rt, client };
}

const send = (message: Message) => ({ tenant: '', message, configuration: undefined, metadata: undefined });
const lastMessage = (llm: MockLlm, i = llm.requests.length - 1) => llm.requests[i].body.messages;
const toolMessages = (body: ChatRequestBody) => body.messages.filter((m) => m.role === 'tool');

describe('conversation', () => {
  it('a follow-up message in the same context sees the earlier turns', async () => {
    const { llm, client } = await setup([{ text: 'Nice to meet you, Ada.' }, { text: 'Your name is Ada.' }]);
    const contextId = randomUUID();
    const first = (await client.sendMessage(send(userMessage('My name is Ada.', { contextId })))) as Task;
    expect(first.contextId).toBe(contextId);
    const second = (await client.sendMessage(send(userMessage('What is my name?', { contextId })))) as Task;
    expect(textOf(second.status?.message)).toBe('Your name is Ada.');
    expect(second.id).not.toBe(first.id);
    const seen = lastMessage(llm).map((m) => `${m.role}:${String(m.content)}`);
    expect(seen).toEqual([
      'system:You are a helpful Kubernetes assistant.',
      'user:My name is Ada.',
      'assistant:Nice to meet you, Ada.',
      'user:What is my name?',
    ]);
  });

  it('concurrent messages in one context run one after another, so the history stays well-formed', async () => {
    const script: MockScript = (body) => {
      const last = body.messages[body.messages.length - 1];
      return last.role === 'tool'
        ? { text: `answer to ${String(body.messages.filter((m) => m.role === 'user').pop()?.content)}` }
        : { toolCalls: [{ name: 'slow_tool', arguments: { ms: 200 } }] };
    };
    const { llm, client } = await setup(script);
    const contextId = randomUUID();
    const [a, b] = (await Promise.all([
      client.sendMessage(send(userMessage('first', { contextId }))),
      client.sendMessage(send(userMessage('second', { contextId }))),
    ])) as Task[];
    expect([textOf(a.status?.message), textOf(b.status?.message)].sort()).toEqual([
      'answer to first',
      'answer to second',
    ]);
    // The later task saw the earlier one's complete exchange: user, assistant tool call, tool result, answer.
    const roles = lastMessage(llm).map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'tool']);
  });

  it('a different context does not see them', async () => {
    const { llm, client } = await setup([{ text: 'Hello.' }, { text: 'I do not know.' }]);
    await client.sendMessage(send(userMessage('My name is Ada.', { contextId: randomUUID() })));
    await client.sendMessage(send(userMessage('What is my name?', { contextId: randomUUID() })));
    expect(lastMessage(llm).map((m) => m.content)).toEqual([
      'You are a helpful Kubernetes assistant.',
      'What is my name?',
    ]);
  });
});

describe('tools', () => {
  it('runs several tool calls of one turn and feeds every result (errors included) back to the model', async () => {
    const { llm, mcp, client } = await setup([
      {
        toolCalls: [
          { name: 'list_pods', arguments: {}, id: 'a' },
          { name: 'fail_tool', id: 'b' },
          { name: 'no_such_tool', id: 'c' },
          { name: 'list_pods', arguments: '{not json', id: 'd' },
        ],
      },
      { text: 'done' },
    ]);
    const task = (await client.sendMessage(send(userMessage('go')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const results = Object.fromEntries(
      toolMessages(llm.requests[1].body).map((m) => [m.tool_call_id, String(m.content)]),
    );
    expect(results.a).toContain('CrashLoopBackOff');
    expect(results.b).toMatch(/^Error: .*fail_tool exploded on purpose/);
    expect(results.c).toMatch(/^Error: unknown tool "no_such_tool"/);
    expect(results.d).toMatch(/^Error: tool arguments are not valid JSON/);
    expect(mcp.calls.map((c) => c.tool).sort()).toEqual(['fail_tool', 'list_pods']);
  });

  it('a tool name LLM APIs reject is offered under a safe name and called by its own', async () => {
    const { llm, mcp, client } = await setup([{ toolCalls: [{ name: 'k8s_get_events' }] }, { text: 'done' }]);
    await client.sendMessage(send(userMessage('events?')));
    expect(llm.requests[0].body.tools?.map((t) => t.function.name)).toContain('k8s_get_events');
    expect(mcp.calls.map((c) => c.tool)).toEqual(['k8s.get_events']);
    expect(String(toolMessages(llm.requests[1].body)[0].content)).toContain('Back-off');
  });

  it('stops at the iteration limit with a clear message', async () => {
    const { llm, client } = await setup(
      () => ({ toolCalls: [{ name: 'list_pods' }] }),
      {},
      { METAGENT_MAX_ITERATIONS: '3' },
    );
    const task = (await client.sendMessage(send(userMessage('loop forever')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(task.status?.message)).toMatch(/Stopped after 3 model iterations/);
    expect(llm.requests).toHaveLength(3);
  });

  it('cancel aborts an in-flight tool call', async () => {
    const { mcp, client } = await setup([
      { toolCalls: [{ name: 'slow_tool', arguments: { ms: 20_000 } }] },
      { text: 'never' },
    ]);
    const stream = client.sendMessageStream(send(userMessage('take your time')));
    let taskId = '';
    for await (const ev of stream) {
      if (ev.payload?.$case === 'task') taskId = ev.payload.value.id;
      const parts = ev.payload?.$case === 'statusUpdate' ? (ev.payload.value.status?.message?.parts ?? []) : [];
      if (parts.some((p) => p.content?.$case === 'data')) break; // the slow tool call has been issued
    }
    expect(taskId).not.toBe('');
    await expect.poll(() => mcp.calls.some((c) => c.tool === 'slow_tool')).toBe(true);
    const cancelled = await client.cancelTask({ tenant: '', id: taskId, metadata: undefined } as never);
    expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    // The MCP server saw the cancellation (notifications/cancelled), long before the tool's 20 s.
    await expect.poll(() => mcp.calls.find((c) => c.tool === 'slow_tool')?.cancelled, { timeout: 5_000 }).toBe(true);
    const after = await client.getTask({ tenant: '', id: taskId } as never);
    expect(after.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });
});

describe('timeouts', () => {
  it('a tool call that outlives sse_read_timeout becomes a timeout error result', async () => {
    const mcp = await startMcpServer();
    cleanups.push(() => mcp.close());
    const { llm, client } = await setup(
      [{ toolCalls: [{ name: 'slow_tool', arguments: { ms: 5_000 } }] }, { text: 'gave up' }],
      { http_tools: [{ params: { url: mcp.url, sse_read_timeout: 0.3 } }] },
      {},
      mcp,
    );
    const task = (await client.sendMessage(send(userMessage('slow')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(String(toolMessages(llm.requests[1].body)[0].content)).toMatch(/^Error: .*(timed out|Request timed out)/i);
    await expect.poll(() => mcp.calls.find((c) => c.tool === 'slow_tool')?.cancelled).toBe(true);
  });

  it('an LLM call that outlives model.timeout is retried, then fails the task', async () => {
    const llm = await startMockLlm(() => ({ text: 'too late', delayMs: 2_000 }));
    cleanups.push(() => llm.close());
    const rt = await startAgent(
      { ...baseConfig(llm.url), model: { type: 'openai', model: 'gpt-4o', base_url: llm.url, timeout: 0.2 } },
      { METAGENT_LLM_MAX_RETRIES: '1' },
    );
    cleanups.push(() => rt.close());
    const task = (await (await clientFor(rt.url)).sendMessage(send(userMessage('hi')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(task.status?.message)).toMatch(/failed after 2 attempt\(s\): timed out after 0.2s/);
    expect(llm.requests).toHaveLength(2);
  });
});

describe('api_key_passthrough', () => {
  it("uses the caller's bearer token as the LLM key", async () => {
    const llm = await startMockLlm(() => ({ text: 'ok' }));
    cleanups.push(() => llm.close());
    const rt = await startAgent({
      ...baseConfig(llm.url),
      model: { type: 'openai', model: 'gpt-4o', base_url: llm.url, api_key_passthrough: true },
    });
    cleanups.push(() => rt.close());
    const res = await rpc(
      rt.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: { message: { kind: 'message', messageId: 'p1', role: 'user', parts: [{ kind: 'text', text: 'hi' }] } },
      },
      { authorization: 'Bearer user-token-123' },
    );
    expect(res.json.result.status.state).toBe('completed');
    expect(llm.requests[0].headers.authorization).toBe('Bearer user-token-123');
  });
});

describe('LLM failures', () => {
  it('retries 429 and 500, then succeeds', async () => {
    const { llm, client } = await setup([{ status: 429 }, { status: 500 }, { text: 'finally' }]);
    const task = (await client.sendMessage(send(userMessage('hi')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.status?.message)).toBe('finally');
    expect(llm.requests).toHaveLength(3);
  });

  it('a persistent 500 becomes a failed task after the retries, without leaking the API key', async () => {
    const { llm, client } = await setup(() => ({ status: 500 }), {}, { METAGENT_LLM_MAX_RETRIES: '2' });
    const task = (await client.sendMessage(send(userMessage('hi')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(task.status?.message)).toMatch(/failed after 3 attempt\(s\): HTTP 500/);
    expect(JSON.stringify(task)).not.toContain('sk-test-secret-key');
    expect(llm.requests).toHaveLength(3);
    expect(llm.requests[0].headers.authorization).toBe('Bearer sk-test-secret-key');
  });

  it("a 429's Retry-After (seconds) is waited out, then the call is retried and the task completes", async () => {
    const { llm, client } = await setup([{ status: 429, headers: { 'retry-after': '2' } }, { text: 'after the wait' }]);
    const task = (await client.sendMessage(send(userMessage('hi')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.status?.message)).toBe('after the wait');
    expect(llm.requests).toHaveLength(2);
    // The backoff alone (METAGENT_LLM_RETRY_BASE_MS=10 in tests) would retry within milliseconds.
    expect(llm.requests[1].at - llm.requests[0].at).toBeGreaterThanOrEqual(2_000);
  });

  it("a 503's Retry-After as an HTTP-date is waited out too", async () => {
    const at = () => new Date(Date.now() + 2_000).toUTCString();
    const { llm, client } = await setup((_b, i) =>
      i === 0 ? { status: 503, headers: { 'retry-after': at() } } : { text: 'back' },
    );
    const task = (await client.sendMessage(send(userMessage('hi')))) as Task;
    expect(textOf(task.status?.message)).toBe('back');
    // An HTTP-date has whole seconds: the wait is at least 1 s whatever the sub-second clock was.
    expect(llm.requests[1].at - llm.requests[0].at).toBeGreaterThanOrEqual(1_000);
  });

  it("a Retry-After beyond the task's deadline fails the task at once, saying how long the provider asked to wait", async () => {
    const { llm, client } = await setup(
      [{ status: 429, headers: { 'retry-after': '20' } }, { text: 'too late' }],
      {},
      { METAGENT_TASK_TIMEOUT_SECONDS: '5' },
    );
    const task = (await client.sendMessage(send(userMessage('hi')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(task.status?.message)).toMatch(
      /^Task failed: LLM call to openai\/gpt-4o failed after 1 attempt\(s\): HTTP 429: mock LLM: scripted 429 — the provider asked to wait 20 s \(Retry-After\), longer than the [0-9.]+ s left before the task's deadline$/,
    );
    expect(llm.requests).toHaveLength(1);
  });

  it('a 400 is not retried', async () => {
    const { llm, client } = await setup([{ status: 400 }, { text: 'unused' }]);
    const task = (await client.sendMessage(send(userMessage('hi')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(llm.requests).toHaveLength(1);
  });
});

describe('approval (require_approval)', () => {
  const approvalConfig = (url: string) => ({
    http_tools: [{ params: { url }, tools: ['read_file', 'delete_file'], require_approval: ['delete_file'] }],
  });
  const script: MockScript = (body) =>
    body.messages[body.messages.length - 1].role === 'tool'
      ? { text: `result: ${String(body.messages[body.messages.length - 1].content)}` }
      : { toolCalls: [{ name: 'delete_file', arguments: { path: '/tmp/x' }, id: 'call_del' }] };

  async function pause() {
    const mcp = await startMcpServer();
    cleanups.push(() => mcp.close());
    const env = await setup(script, approvalConfig(mcp.url), {}, mcp);
    const task = (await env.client.sendMessage(send(userMessage('delete /tmp/x')))) as Task;
    return { ...env, task };
  }
  const decision = (task: Task, data: Record<string, unknown>): Message => ({
    ...userMessage('', { contextId: task.contextId, taskId: task.id }),
    parts: [dataPart(data)],
  });

  it('pauses in input-required with the pending call as a data part, and approve runs it', async () => {
    const { mcp, client, llm, task } = await pause();
    expect(task.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const data = task.status?.message?.parts.find((p) => p.content?.$case === 'data')?.content as { value: any };
    expect(data.value.name).toBe('adk_request_confirmation');
    expect(data.value.args.originalFunctionCall).toEqual({
      id: 'call_del',
      name: 'delete_file',
      args: { path: '/tmp/x' },
    });
    expect(mcp.calls.some((c) => c.tool === 'delete_file')).toBe(false);

    const done = (await client.sendMessage(send(decision(task, { decision_type: 'approve' })))) as Task;
    expect(done.id).toBe(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(mcp.calls.filter((c) => c.tool === 'delete_file')).toHaveLength(1);
    expect(textOf(done.status?.message)).toBe('result: deleted /tmp/x');
    expect(llm.requests).toHaveLength(2);
  });

  it('reject does not run the tool and tells the model why', async () => {
    const { mcp, client, llm, task } = await pause();
    const done = (await client.sendMessage(
      send(decision(task, { decision_type: 'reject', rejection_reason: 'too dangerous' })),
    )) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(mcp.calls.some((c) => c.tool === 'delete_file')).toBe(false);
    const toolMsg = toolMessages(llm.requests[1].body)[0];
    expect(toolMsg.tool_call_id).toBe('call_del');
    expect(String(toolMsg.content)).toMatch(/rejected.*Reason: too dangerous/);
  });

  it('over v0.3 (kagent UI wire format): input-required with the data part, then approve', async () => {
    const mcp = await startMcpServer();
    cleanups.push(() => mcp.close());
    const { rt } = await setup(script, approvalConfig(mcp.url), {}, mcp);
    const first = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: { kind: 'message', messageId: 'a1', role: 'user', parts: [{ kind: 'text', text: 'delete /tmp/x' }] },
      },
    });
    const task = first.json.result;
    expect(task.status.state).toBe('input-required');
    const part = task.status.message.parts.find((p: { kind: string }) => p.kind === 'data');
    expect(part.data.args.originalFunctionCall.name).toBe('delete_file');
    expect(part.metadata).toMatchObject({ kagent_type: 'function_call', kagent_is_long_running: true });
    const second = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 2,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: 'a2',
          role: 'user',
          taskId: task.id,
          contextId: task.contextId,
          parts: [{ kind: 'data', data: { decision_type: 'approve' } }],
        },
      },
    });
    expect(second.json.result.status.state).toBe('completed');
    expect(mcp.calls.some((c) => c.tool === 'delete_file')).toBe(true);
  });

  it('a task waiting for approval can be cancelled (v0.3 tasks/cancel)', async () => {
    const { mcp, rt, task } = await pause();
    const res = await rpc(rt.url, { jsonrpc: '2.0', id: 9, method: 'tasks/cancel', params: { id: task.id } });
    expect(res.json.result.status.state).toBe('canceled');
    expect(res.json.result.contextId).toBe(task.contextId);
    expect(mcp.calls.some((c) => c.tool === 'delete_file')).toBe(false);
  });

  it('a plain "approve" text also resumes (kagent keyword fallback)', async () => {
    const { mcp, client, task } = await pause();
    const msg: Message = {
      ...userMessage('approve', { contextId: task.contextId, taskId: task.id }),
      role: Role.ROLE_USER,
      parts: [textPart('approve')],
    };
    const done = (await client.sendMessage(send(msg))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(mcp.calls.some((c) => c.tool === 'delete_file')).toBe(true);
  });
});

describe('MCP server restarts', () => {
  it('the next call reconnects (new session) and succeeds', async () => {
    const script: MockScript = (body) =>
      body.messages[body.messages.length - 1].role === 'tool'
        ? { text: String(body.messages[body.messages.length - 1].content) }
        : { toolCalls: [{ name: 'list_pods' }] };
    const first = await startMcpServer();
    const { client } = await setup(
      script,
      { http_tools: [{ params: { url: first.url }, tools: ['list_pods'] }] },
      {},
      first,
    );
    expect(textOf(((await client.sendMessage(send(userMessage('pods?')))) as Task).status?.message)).toContain(
      'CrashLoopBackOff',
    );
    await first.close();
    const second = await startMcpServer({ port: first.port });
    cleanups.push(() => second.close());
    const after = (await client.sendMessage(send(userMessage('pods again?')))) as Task;
    expect(textOf(after.status?.message)).toContain('CrashLoopBackOff');
    expect(second.calls.some((c) => c.tool === 'list_pods')).toBe(true);
  });
});

describe('MCP server down at start', () => {
  it('the agent starts, the model hears "unavailable", and the tools work once the server is up', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const url = `http://127.0.0.1:${port}/mcp`;
    const script: MockScript = (body) =>
      body.messages[body.messages.length - 1].role === 'tool'
        ? { text: String(body.messages[body.messages.length - 1].content) }
        : { toolCalls: [{ name: 'list_pods' }] };
    const llm = await startMockLlm(script);
    cleanups.push(() => llm.close());
    const rt = await startAgent(
      baseConfig(llm.url, { http_tools: [{ params: { url, timeout: 2 }, tools: ['list_pods'] }] }),
    );
    cleanups.push(() => rt.close());
    expect((await fetch(`${rt.url}/ready`)).status).toBe(200);
    const client = await clientFor(rt.url);

    const down = (await client.sendMessage(send(userMessage('pods?')))) as Task;
    expect(down.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(down.status?.message)).toMatch(/Error: tool list_pods is unavailable: MCP server .* not reachable/);

    const mcp = await startMcpServer({ port });
    cleanups.push(() => mcp.close());
    await expect
      .poll(async () => textOf(((await client.sendMessage(send(userMessage('pods?')))) as Task).status?.message), {
        timeout: 10_000,
        interval: 200,
      })
      .toContain('CrashLoopBackOff');
  });
});
