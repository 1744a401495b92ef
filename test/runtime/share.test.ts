// kagent's share links (config.json `share_tools`, the Agent's spec.declarative.shareTools) end to end: the scripted
// model calls create_share_link / list_share_links / delete_share_link over real A2A (the SDK client), a visitor reads
// the transcript at GET /api/shares/{token}, a revoked token is 404, a read-only token cannot send and a writable one
// continues the conversation; on every backend (memory, SQLite, PostgreSQL), the durable ones across a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { linkIn, shareScript, tokenIn, v03Send } from '../mocks/share-script.js';
import { agentCard, baseConfig, clientFor, rpc, sendText, startAgent } from './helpers.js';
import { usePostgres } from './postgres-server.js';
import { userMessage } from '../../runtime/a2a/parts.js';

const SHARE_HEADER = 'x-metagent-share-token';
const postgres = usePostgres();
let llm: MockLlm;
let dir: string;
beforeAll(async () => {
  llm = await startMockLlm(shareScript);
  dir = await mkdtemp(join(tmpdir(), 'metagent-share-'));
});
afterAll(async () => {
  await llm?.close();
  await rm(dir, { recursive: true, force: true });
});

const AGENT_ENV = { KAGENT_NAMESPACE: 'team-a', KAGENT_NAME: 'helper' };
const shareConfig = () => baseConfig(llm.url, { share_tools: true });
type Agent = Awaited<ReturnType<typeof startAgent>>;

/** One message as `user` (x-user-id) into `contextId`, optionally carrying a share token; it must complete. */
async function send(
  agent: Agent,
  text: string,
  opts: { user?: string; contextId?: string; token?: string } = {},
): Promise<{ task: Task; answer: string }> {
  const headers: Record<string, string> = {
    ...(opts.user ? { 'x-user-id': opts.user } : {}),
    ...(opts.token ? { [SHARE_HEADER]: opts.token } : {}),
  };
  const sent = await sendText(agent.url, text, { contextId: opts.contextId, headers });
  expect(sent.task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  return sent;
}

async function readShare(agent: Agent, token: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${agent.url}/api/shares/${encodeURIComponent(token)}`);
  return { status: res.status, json: await res.json() };
}

const backends: Array<{ name: string; env(): NodeJS.ProcessEnv; skip(): string | undefined; durable: boolean }> = [
  { name: 'memory', env: () => ({}), skip: () => undefined, durable: false },
  {
    name: 'sqlite',
    env: () => ({ METAGENT_STORE: `sqlite:${join(dir, 'share.db')}` }),
    skip: () => undefined,
    durable: true,
  },
  {
    name: 'postgresql',
    env: () => ({ METAGENT_STORE: postgres.url()!, METAGENT_STORE_SCOPE: `team-a/helper-${Date.now()}` }),
    skip: () => postgres.skipReason(),
    durable: true,
  },
];

describe.each(backends)('share links on the $name store', (backend) => {
  it('create, read the transcript, list, revoke (404 after), owner-only; durable stores keep links across a restart', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const env = { ...AGENT_ENV, ...backend.env() };
    let agent = await startAgent(shareConfig(), env);
    try {
      const first = await send(agent, 'how are the pods?', { user: 'alice' });
      const contextId = first.task.contextId;
      const created = await send(agent, 'share', { user: 'alice', contextId });
      const token = tokenIn(created.answer);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(created.answer).toContain('Share link created (read-only): ');
      expect(linkIn(created.answer)).toBe(`/agents/team-a/helper/chat/${contextId}?share=${token}`);

      const read = await readShare(agent, token);
      expect(read.status).toBe(200);
      expect(read.json.contextId).toBe(contextId);
      expect(read.json.readOnly).toBe(true);
      expect(read.json.messages.slice(0, 3)).toEqual([
        { role: 'user', text: 'how are the pods?' },
        { role: 'assistant', text: 'echo: how are the pods? (1 user messages seen)' },
        { role: 'user', text: 'share' },
      ]);
      // Only user and assistant texts: no system prompt, no tool call or result.
      expect(read.json.messages.every((m: any) => m.role === 'user' || m.role === 'assistant')).toBe(true);
      expect(JSON.stringify(read.json)).not.toContain('helpful Kubernetes assistant');

      // A second link: the first stays valid. Listing shows both, to the owner only.
      const second = tokenIn((await send(agent, 'share rw', { user: 'alice', contextId })).answer);
      expect(second).not.toBe(token);
      // The visitor's transcript hides the context's live tokens where the model repeated them: a read-only visitor
      // cannot pick up the writable link from the answer that created it.
      const visitorView = JSON.stringify((await readShare(agent, token)).json.messages);
      expect(visitorView).not.toContain(token);
      expect(visitorView).not.toContain(second);
      expect((await readShare(agent, token)).json.messages[3]).toEqual({
        role: 'assistant',
        text: `tool said: Share link created (read-only): /agents/team-a/helper/chat/${contextId}?share=[share token hidden]\nToken: [share token hidden]`,
      });
      const listed = (await send(agent, 'list', { user: 'alice', contextId })).answer;
      expect(listed).toContain(`token: ${token}, created_at: `);
      expect(listed).toContain(`token: ${second}, created_at: `);
      expect(listed).toMatch(new RegExp(`${token}, created_at: \\S+Z \\(read-only\\)`));
      expect((await send(agent, 'list', { user: 'mallory', contextId })).answer).toBe(
        'tool said: No active share links for this session.',
      );
      expect((await send(agent, `delete: ${token}`, { user: 'mallory', contextId })).answer).toMatch(
        /^tool said: Error: no share link with that token exists for this session/,
      );
      expect((await readShare(agent, token)).status).toBe(200);
      // The token in a header instead of the path (out of request logs): the same answer.
      const byHeader = await fetch(`${agent.url}/api/shares`, { headers: { [SHARE_HEADER]: token } });
      expect(byHeader.headers.get('cache-control')).toBe('no-store');
      expect(await byHeader.json()).toEqual((await readShare(agent, token)).json);
      expect((await fetch(`${agent.url}/api/shares`)).status).toBe(404);

      if (backend.durable) {
        await agent.close();
        agent = await startAgent(shareConfig(), env);
        expect((await readShare(agent, token)).json.contextId).toBe(contextId);
      }

      expect((await send(agent, `delete: ${token}`, { user: 'alice', contextId })).answer).toBe(
        `tool said: Share link ${token} revoked.`,
      );
      const gone = await readShare(agent, token);
      expect(gone).toEqual({
        status: 404,
        json: { reason: 'ShareNotFound', message: 'share link not found (unknown or revoked)' },
      });
      expect((await readShare(agent, second)).status).toBe(200);
      // Unknown tokens answer exactly as revoked ones.
      expect(await readShare(agent, 'A'.repeat(32))).toEqual(gone);
      expect(await readShare(agent, 'not-a-token')).toEqual(gone);
      expect((await send(agent, 'list', { user: 'alice', contextId })).answer).not.toContain(token);
    } finally {
      await agent.close();
    }
  });
});

describe('visitors', () => {
  let agent: Agent;
  beforeAll(async () => {
    agent = await startAgent(shareConfig(), AGENT_ENV);
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('a read-only token cannot send; a writable one continues the conversation as the visitor', async () => {
    const first = await send(agent, 'first question', { user: 'alice' });
    const contextId = first.task.contextId;
    const ro = tokenIn((await send(agent, 'share', { user: 'alice', contextId })).answer);
    const rw = tokenIn((await send(agent, 'share rw', { user: 'alice', contextId })).answer);
    expect((await send(agent, 'list', { user: 'alice', contextId })).answer).toMatch(
      new RegExp(`${rw}, created_at: \\S+Z\\n|${rw}, created_at: \\S+Z$`),
    );

    const client = await clientFor(agent.url);
    const attempt = (token: string, ctx = contextId) =>
      client.sendMessage(
        {
          tenant: '',
          message: userMessage('visitor here', { contextId: ctx }),
          configuration: undefined,
          metadata: undefined,
        },
        { serviceParameters: { 'x-user-id': 'bob', [SHARE_HEADER]: token } },
      );
    await expect(attempt(ro)).rejects.toThrow('this share link is read-only: it does not allow sending messages');
    await expect(attempt('B'.repeat(32))).rejects.toThrow(`share link not found for context ${contextId}`);
    // A token of another context is not found for this one.
    const other = await send(agent, 'another conversation', { user: 'alice' });
    const otherToken = tokenIn(
      (await send(agent, 'share rw', { user: 'alice', contextId: other.task.contextId })).answer,
    );
    await expect(attempt(otherToken)).rejects.toThrow('share link not found');
    // The A2A error code on the wire (v0.3 JSON-RPC, as kagent's UI speaks): -32004 UnsupportedOperation.
    const raw = await rpc(agent.url, v03Send('hi', contextId), { [SHARE_HEADER]: ro });
    expect(raw.json.error).toMatchObject({ code: -32004, message: expect.stringContaining('read-only') });
    expect(raw.text).not.toContain(ro);
    // The HTTP+JSON binding (A2A 1.0 REST) is checked the same way.
    const restRes = await fetch(`${agent.url}/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'A2A-Version': '1.0', [SHARE_HEADER]: ro },
      body: JSON.stringify({ message: { messageId: 'm-rest', role: 'ROLE_USER', contextId, parts: [{ text: 'hi' }] } }),
    });
    expect(restRes.status).toBeGreaterThanOrEqual(400);
    expect(((await restRes.json()) as { error: { message: string } }).error.message).toContain('read-only');
    // Streaming is checked the same way.
    const stream = client.sendMessageStream(
      {
        tenant: '',
        message: userMessage('visitor stream', { contextId }),
        configuration: undefined,
        metadata: undefined,
      },
      { serviceParameters: { 'x-user-id': 'bob', [SHARE_HEADER]: ro } },
    );
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toThrow('read-only');
    // A token without the contextId it belongs to.
    await expect(
      client.sendMessage(
        { tenant: '', message: userMessage('no context'), configuration: undefined, metadata: undefined },
        { serviceParameters: { [SHARE_HEADER]: rw } },
      ),
    ).rejects.toThrow(`a message with ${SHARE_HEADER} must carry the shared conversation's contextId`);

    // The writable link: bob's message joins alice's conversation (the model sees its earlier turns) ...
    const visited = await send(agent, 'visitor here', { user: 'bob', contextId, token: rw });
    expect(visited.answer).toBe('echo: visitor here (5 user messages seen)');
    expect(visited.task.contextId).toBe(contextId);
    // ... and both read it in the transcript; bob's task is bob's, not alice's.
    const read = await readShare(agent, rw);
    expect(read.json.readOnly).toBe(false);
    expect(read.json.messages.slice(-2)).toEqual([
      { role: 'user', text: 'visitor here' },
      { role: 'assistant', text: 'echo: visitor here (5 user messages seen)' },
    ]);
    await expect(
      client.getTask(
        { tenant: '', id: visited.task.id, historyLength: 0 },
        { serviceParameters: { 'x-user-id': 'alice' } },
      ),
    ).rejects.toThrow();
    // Bob does not own alice's links: he lists none and cannot revoke them.
    expect((await send(agent, 'list', { user: 'bob', contextId, token: rw })).answer).toBe(
      'tool said: No active share links for this session.',
    );
  });

  it('bad tool arguments are tool errors the model sees, never a crash', async () => {
    const { task } = await send(agent, 'hello', { user: 'alice' });
    const contextId = task.contextId;
    expect((await send(agent, 'delete:', { user: 'alice', contextId })).answer).toBe(
      'tool said: Error: token is required (a non-empty string)',
    );
    expect((await send(agent, 'share args: {"read_only": "yes"}', { user: 'alice', contextId })).answer).toBe(
      'tool said: Error: read_only must be a boolean (true or false)',
    );
    expect((await send(agent, 'delete: nope', { user: 'alice', contextId })).answer).toMatch(
      /^tool said: Error: no share link with that token/,
    );
    // kagent's default is read-only; an explicit true is the same.
    expect((await send(agent, 'share args: {"read_only": true}', { user: 'alice', contextId })).answer).toContain(
      '(read-only)',
    );
    expect((await send(agent, 'share rw', { user: 'alice', contextId })).answer).toMatch(
      /^tool said: Share link created: \//,
    );
    // The tools are offered with kagent's names and arguments.
    const offered = llm.requests[llm.requests.length - 1].body.tools?.map((t: any) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining(['create_share_link', 'list_share_links', 'delete_share_link']));
  });
});

describe('configuration', () => {
  it('KAGENT_UI_URL prefixes the link (trailing slash trimmed); names and session are URL-escaped', async () => {
    const agent = await startAgent(shareConfig(), {
      KAGENT_UI_URL: 'https://kagent.example.com/ui//',
      KAGENT_NAMESPACE: 'team-a',
      KAGENT_NAME: 'helper',
    });
    try {
      const contextId = 'ctx with space';
      const answer = (await send(agent, 'share', { user: 'alice', contextId })).answer;
      const token = tokenIn(answer);
      expect(linkIn(answer)).toBe(
        `https://kagent.example.com/ui/agents/team-a/helper/chat/ctx%20with%20space?share=${token}`,
      );
      expect((await readShare(agent, token)).json.contextId).toBe(contextId);
    } finally {
      await agent.close();
    }
  });

  it('without share_tools: no share tools offered, no /api/shares route, a share header changes nothing', async () => {
    const agent = await startAgent(baseConfig(llm.url), AGENT_ENV, agentCard('plain_agent'));
    try {
      const before = llm.requests.length;
      const sent = await send(agent, 'hello there', { user: 'alice', token: 'C'.repeat(32) });
      expect(sent.answer).toBe('echo: hello there (1 user messages seen)');
      const names = (llm.requests[before].body.tools ?? []).map((t: any) => t.function.name);
      expect(names).not.toContain('create_share_link');
      expect((await readShare(agent, 'C'.repeat(32))).status).toBe(404);
    } finally {
      await agent.close();
    }
  });
});
