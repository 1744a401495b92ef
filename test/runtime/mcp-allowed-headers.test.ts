// kagent's mcpServer.allowedHeaders (config.json `allowed_headers`): the named headers of the incoming A2A request go
// to that MCP server's tool calls, names case-insensitive; others do not, nor to a server that does not list them.
// Through the real A2A SDK client -> the runtime -> a real MCP server recording what each call carried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { TaskState, type Task } from '@a2a-js/sdk';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';
import { forwardedHeaders } from '../../runtime/tools/mcp-fetch.js';
import { McpToolset } from '../../runtime/tools/mcp.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { baseConfig, clientFor, startAgent } from './helpers.js';

describe('forwardedHeaders (pure)', () => {
  it('matches names case-insensitively, joins repeated values, skips absent ones', () => {
    expect(
      forwardedHeaders(['X-Tenant-ID', 'x-missing', 'X-Multi'], {
        'x-tenant-id': 'acme',
        'x-multi': ['a', 'b'],
        'x-other': 'no',
      }),
    ).toEqual({ 'x-tenant-id': 'acme', 'x-multi': 'a, b' });
  });

  it('never forwards headers of the connection or the MCP session, even when listed', () => {
    const incoming = {
      host: 'agent:8080',
      'content-length': '12',
      'content-type': 'application/json',
      'mcp-session-id': 's',
      authorization: 'Bearer user-token',
    };
    expect(
      forwardedHeaders(['Host', 'Content-Length', 'content-type', 'Mcp-Session-Id', 'Authorization'], incoming),
    ).toEqual({ authorization: 'Bearer user-token' });
    expect(forwardedHeaders([], incoming)).toEqual({});
  });
});

let llm: MockLlm;
let mcp: McpTestServer;
let other: McpTestServer;
let agent: Awaited<ReturnType<typeof startAgent>>;
beforeAll(async () => {
  mcp = await startMcpServer();
  other = await startMcpServer({ tools: [{ name: 'other_tool', description: 'another server' }] });
  // Each user message: call list_pods and other_tool, then answer.
  llm = await startMockLlm((body) =>
    body.messages[body.messages.length - 1].role === 'tool'
      ? { text: 'done' }
      : {
          toolCalls: [
            { name: 'list_pods', arguments: { namespace: 'default' } },
            { name: 'other_tool', arguments: {} },
          ],
        },
  );
  agent = await startAgent(
    baseConfig(llm.url, {
      http_tools: [
        { params: { url: mcp.url, headers: { 'x-static': 'config' } }, allowed_headers: ['X-Tenant-ID', 'X-Static'] },
        { params: { url: other.url } },
      ],
    }),
  );
});
afterAll(async () => {
  await agent?.close();
  await llm?.close();
  await mcp?.close();
  await other?.close();
});

async function ask(headers: Record<string, string>): Promise<void> {
  const client = await clientFor(agent.url);
  const task = (await client.sendMessage(
    { tenant: '', message: userMessage('list the pods'), configuration: undefined, metadata: undefined },
    { serviceParameters: headers },
  )) as Task;
  expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  expect(textOf(task.status?.message)).toBe('done');
}

describe('allowed_headers over A2A', () => {
  it('the allowed header reaches that server’s tool call; other headers and other servers get nothing', async () => {
    const before = mcp.calls.length;
    const otherBefore = other.calls.length;
    await ask({ 'X-Tenant-ID': 'acme', 'x-secret-note': 'not-for-tools' });
    const [call] = mcp.calls.slice(before);
    expect(call.tool).toBe('list_pods');
    expect(call.headers['x-tenant-id']).toBe('acme');
    expect(call.headers['x-secret-note']).toBeUndefined();
    // Not in the request: the server's own configured header stays.
    expect(call.headers['x-static']).toBe('config');
    const [otherCall] = other.calls.slice(otherBefore);
    expect(otherCall.tool).toBe('other_tool');
    expect(otherCall.headers['x-tenant-id']).toBeUndefined();
    expect(otherCall.headers['x-secret-note']).toBeUndefined();
  });

  it('each call carries its own request’s value; a request without the header forwards none', async () => {
    const before = mcp.calls.length;
    await ask({ 'x-tenant-id': 'globex' });
    await ask({});
    const calls = mcp.calls.slice(before);
    expect(calls.map((c) => c.headers['x-tenant-id'])).toEqual(['globex', undefined]);
  });

  it('a forwarded header replaces the configured one of the same name', async () => {
    const before = mcp.calls.length;
    await ask({ 'x-static': 'from-request' });
    expect(mcp.calls[before].headers['x-static']).toBe('from-request');
  });
});

describe('allowed_headers in the toolset', () => {
  it('the agent’s ServiceAccount token wins over a forwarded Authorization; values are never logged', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'sa-'));
    await writeFile(join(dir, 'token'), 'agent-identity');
    const logs: string[] = [];
    const ts = new McpToolset({
      kind: 'streamable-http',
      server: {
        params: { url: mcp.url, service_account_token_path: join(dir, 'token') },
        allowed_headers: ['authorization', 'x-user-email'],
      },
      defaultToolTimeoutMs: 10_000,
      reconnectBaseMs: 50,
      reconnectMaxMs: 200,
      log: pino({ level: 'trace' }, { write: (l: string) => void logs.push(l) }),
    });
    ts.start();
    await ts.settled();
    const before = mcp.calls.length;
    const tool = ts.tools().find((t) => t.spec.name === 'list_pods')!;
    await tool.call(
      {},
      {
        signal: new AbortController().signal,
        contextId: 'c',
        taskId: 't',
        requestHeaders: { authorization: 'Bearer caller-token', 'x-user-email': 'ann@example.com' },
      },
    );
    await ts.close();
    await rm(dir, { recursive: true, force: true });
    const [call] = mcp.calls.slice(before);
    expect(call.headers.authorization).toBe('Bearer agent-identity');
    expect(call.headers['x-user-email']).toBe('ann@example.com');
    expect(logs.join('')).not.toMatch(/caller-token|ann@example\.com|agent-identity/);
  });
});
