// The seed scenario over real HTTP: the mock LLM asks for list_pods, the MCP server answers, the mock writes the
// final text naming the unhealthy pod, and the A2A client receives it — send and stream, over v1.0 and v0.3, with the
// MCP server reached over streamable HTTP and over SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { podScript } from '../mocks/pod-script.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { userMessage, textOf } from '../../runtime/a2a/parts.js';
import { baseConfig, clientFor, rpc, sseEvents, startAgent } from './helpers.js';

const send = (text: string) => ({
  tenant: '',
  message: userMessage(text),
  configuration: undefined,
  metadata: undefined,
});

let llm: MockLlm;
let mcp: McpTestServer;
beforeAll(async () => {
  llm = await startMockLlm(podScript);
  mcp = await startMcpServer();
});
afterAll(async () => {
  await llm?.close();
  await mcp?.close();
});

describe.each([
  { transport: 'streamable HTTP', key: 'http_tools', url: () => mcp.url },
  { transport: 'SSE', key: 'sse_tools', url: () => mcp.sseUrl },
])('list_pods scenario, MCP over $transport', ({ key, url }) => {
  let rt: Awaited<ReturnType<typeof startAgent>>;
  beforeAll(async () => {
    rt = await startAgent(
      baseConfig(llm.url, {
        stream: true,
        [key]: [{ params: { url: url(), headers: { 'X-Tool-Token': 'tool-secret' } }, tools: ['list_pods'] }],
      }),
    );
  });
  afterAll(async () => rt?.close());

  it('v1.0 message/send returns the answer naming the CrashLoopBackOff pod', async () => {
    const callsBefore = mcp.calls.length;
    const client = await clientFor(rt.url);
    expect(client.protocolVersion).toBe('1.0');
    const result = (await client.sendMessage(send('Is any pod in the cluster unhealthy?'))) as Task;
    expect(result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(result.status?.message)).toContain('worker-5f6d7c8b9-xyz12');
    expect(result.artifacts[0]?.parts[0]?.content).toEqual({
      $case: 'text',
      value: expect.stringContaining('CrashLoopBackOff'),
    });
    // The tool really ran on the MCP server, with the configured headers.
    const call = mcp.calls.slice(callsBefore).find((c) => c.tool === 'list_pods');
    expect(call?.args).toEqual({ namespace: 'default' });
    expect(call?.headers['x-tool-token']).toBe('tool-secret');
    // The tool call and its result are in the task history as kagent-style data parts.
    const dataParts = result.history.flatMap((m) => m.parts).filter((p) => p.content?.$case === 'data');
    expect(dataParts.map((p) => p.metadata?.kagent_type)).toEqual(
      expect.arrayContaining(['function_call', 'function_response']),
    );
  });

  it('v1.0 message/stream delivers tool traffic and text deltas as status updates, then completes', async () => {
    const client = await clientFor(rt.url);
    const events = [];
    for await (const ev of client.sendMessageStream(send('Is any pod unhealthy?'))) events.push(ev);
    const updates = events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? [e.payload.value] : []));
    const states = updates.map((u) => u.status?.state);
    expect(states[states.length - 1]).toBe(TaskState.TASK_STATE_COMPLETED);
    const parts = updates.flatMap((u) => u.status?.message?.parts ?? []);
    const data = parts
      .filter((p) => p.content?.$case === 'data')
      .map((p) => (p.content as { value: { name: string } }).value.name);
    expect(data).toEqual(['list_pods', 'list_pods']); // the call, then its result
    const deltas = updates
      .filter((u) => u.status?.state === TaskState.TASK_STATE_WORKING)
      .map((u) => textOf(u.status?.message))
      .filter(Boolean);
    expect(deltas.join('')).toContain('CrashLoopBackOff');
    expect(llm.requests[llm.requests.length - 1].body.stream).toBe(true);
  });

  it('v0.3 message/send (kagent wire format) returns a completed task', async () => {
    const res = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 'req-1',
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: 'm-1',
          role: 'user',
          parts: [{ kind: 'text', text: 'Any unhealthy pod?' }],
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.id).toBe('req-1');
    const task = res.json.result;
    expect(task.kind).toBe('task');
    expect(task.status.state).toBe('completed');
    expect(JSON.stringify(task.artifacts)).toContain('worker-5f6d7c8b9-xyz12');

    const got = await rpc(rt.url, { jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { id: task.id } });
    expect(got.json.result.id).toBe(task.id);
    expect(got.json.result.status.state).toBe('completed');
  });

  it('v0.3 message/stream sends SSE events ending in a final completed status', async () => {
    const events = await sseEvents(rt.url, {
      jsonrpc: '2.0',
      id: 'req-2',
      method: 'message/stream',
      params: {
        message: {
          kind: 'message',
          messageId: 'm-2',
          role: 'user',
          parts: [{ kind: 'text', text: 'Any unhealthy pod?' }],
        },
      },
    });
    const results = events.map((e) => e.result);
    expect(results[0].kind).toBe('task');
    const last = results[results.length - 1];
    expect(last.kind).toBe('status-update');
    expect(last.status.state).toBe('completed');
    expect(last.final).toBe(true);
    const dataParts = results
      .flatMap((r) => r.status?.message?.parts ?? [])
      .filter((p: { kind: string }) => p.kind === 'data');
    expect(dataParts.length).toBeGreaterThanOrEqual(2);
    // kagent-adk's conventions: a function_response carries the tool's content; events carry kagent_* metadata.
    const response = dataParts.find(
      (p: { metadata: Record<string, unknown> }) => p.metadata.kagent_type === 'function_response',
    );
    expect(response.data.response.content[0].text).toContain('CrashLoopBackOff');
    const withCall = results.find((r) =>
      r.status?.message?.parts?.some(
        (p: { metadata?: Record<string, unknown> }) => p.metadata?.kagent_type === 'function_call',
      ),
    );
    expect(withCall.metadata).toMatchObject({
      kagent_app_name: 'test_agent',
      kagent_session_id: last.contextId,
      kagent_usage_metadata: { promptTokenCount: 10, candidatesTokenCount: 5 },
    });
  });
});
