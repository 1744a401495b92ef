// Config loading: every required kagent conformance config starts the runtime; broken configs are refused with a
// message naming the file and the field; the CLI exits non-zero on them and 0 on SIGTERM.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, startRuntime, validateAgentConfig } from '../../runtime/index.js';
import { startMockLlm } from '../mocks/mock-llm.js';
import { CONFORMANCE, TEST_ENV, agentCard, baseConfig, clientFor, spawnRuntimeCli, writeConfigDir } from './helpers.js';
import { userMessage, textOf } from '../../runtime/a2a/parts.js';
import type { Task } from '@a2a-js/sdk';

const cases = JSON.parse(readFileSync(new URL('cases.json', CONFORMANCE), 'utf8')) as { required: string[] };

describe('kagent conformance configs', () => {
  it.each(cases.required)(
    '%s: config.json + agent-card.json load, the runtime starts and serves the card',
    async (name) => {
      const out = JSON.parse(readFileSync(new URL(`outputs/${name}.json`, CONFORMANCE), 'utf8')) as {
        config: unknown;
        agentCard: { name: string };
      };
      const dir = await writeConfigDir(out.config, out.agentCard);
      // MCP servers and remote agents in these configs do not exist here: the runtime must start anyway.
      const rt = await startRuntime({
        filepath: dir,
        host: '127.0.0.1',
        port: 0,
        env: { ...TEST_ENV, METAGENT_MCP_RECONNECT_BASE_MS: '5000' },
      });
      try {
        const card = (await (
          await fetch(`${rt.url}/.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } })
        ).json()) as { name: string };
        expect(card.name).toBe(out.agentCard.name);
        expect((await fetch(`${rt.url}/ready`)).status).toBe(200);
      } finally {
        await rt.close();
      }
    },
  );
});

describe('invalid config', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['model missing', { instruction: 'x' }, /config\.json: model: is required/],
    ['model.type missing', { model: { model: 'gpt-4o' } }, /config\.json: model\.type: is required/],
    [
      'model.temperature wrong type',
      { model: { type: 'openai', model: 'm', temperature: 'hot' } },
      /model\.temperature: must be a number/,
    ],
    [
      'model.top_k wrong type',
      { model: { type: 'gemini_anthropic', model: 'm', top_k: '40' } },
      /model\.top_k: must be a number/,
    ],
    [
      'model.stop_sequences not a list of strings',
      { model: { type: 'gemini_anthropic', model: 'm', stop_sequences: 'END' } },
      /model\.stop_sequences: must be a list of strings/,
    ],
    [
      'MCP url missing',
      { model: { type: 'openai', model: 'm' }, http_tools: [{ params: {} }] },
      /http_tools\[0\]\.params\.url: is required/,
    ],
    [
      'MCP url not a URL',
      { model: { type: 'openai', model: 'm' }, sse_tools: [{ params: { url: 'nope' } }] },
      /sse_tools\[0\]\.params\.url: must be a valid URL/,
    ],
    [
      'remote agent name missing',
      { model: { type: 'openai', model: 'm' }, remote_agents: [{ url: 'http://a:8080' }] },
      /remote_agents\[0\]\.name: is required/,
    ],
    ['not an object', [1, 2], /config\.json: must be an object/],
  ];
  it.each(bad)('%s', (_name, config, message) => {
    expect(() => validateAgentConfig(config)).toThrow(message);
  });

  it('an unsupported provider is a startup error naming it', async () => {
    const dir = await writeConfigDir({ instruction: '', model: { type: 'watsonx', model: 'm' } });
    await expect(startRuntime({ filepath: dir, port: 0, env: TEST_ENV })).rejects.toThrow(
      /config\.json: model\.type: unsupported model provider "watsonx"/,
    );
  });

  it('a missing file names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metagent-empty-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify(baseConfig('http://127.0.0.1:1/v1')));
    const err = await startRuntime({ filepath: dir, port: 0, env: TEST_ENV }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`${join(dir, 'agent-card.json')}: file not found`);
  });

  it('invalid JSON names the file', async () => {
    const dir = await writeConfigDir({}, agentCard());
    await writeFile(join(dir, 'config.json'), '{"model": ');
    await expect(startRuntime({ filepath: dir, port: 0, env: TEST_ENV })).rejects.toThrow(/config\.json: invalid JSON/);
  });
});

describe('graceful stop', () => {
  it('cancels tasks still running after the grace period, and refuses new work meanwhile', async () => {
    const { startMcpServer } = await import('../mocks/mcp-server.js');
    const mcp = await startMcpServer();
    const llm = await startMockLlm([{ toolCalls: [{ name: 'slow_tool', arguments: { ms: 30_000 } }] }]);
    try {
      const dir = await writeConfigDir(baseConfig(llm.url, { http_tools: [{ params: { url: mcp.url } }] }));
      const rt = await startRuntime({
        filepath: dir,
        host: '127.0.0.1',
        port: 0,
        env: { ...TEST_ENV, METAGENT_SHUTDOWN_GRACE_SECONDS: '0.5' },
        publicUrl: 'listen',
      });
      const client = await clientFor(rt.url);
      const pending = client.sendMessage({
        tenant: '',
        message: userMessage('slow'),
        configuration: undefined,
        metadata: undefined,
      });
      await expect.poll(() => mcp.calls.length).toBe(1);
      const closing = rt.close();
      await expect.poll(async () => (await fetch(`${rt.url}/ready`)).status).toBe(503);
      const task = (await pending) as Task;
      expect(task.status?.state).toBe(5 /* TASK_STATE_CANCELED */);
      await closing;
      await expect.poll(() => mcp.calls[0].cancelled).toBe(true);
    } finally {
      await llm.close();
      await mcp.close();
    }
  });
});

describe('metagent runtime (CLI)', () => {
  it('exits non-zero with the file and field when the config is invalid', async () => {
    const dir = await writeConfigDir({ instruction: '', model: { type: 'openai' } });
    const run = spawnRuntimeCli(dir);
    expect(await run.exited).not.toBe(0);
    expect(run.output().stderr).toContain(`${join(dir, 'config.json')}: model.model: is required`);
  });

  it('what the A2A SDK writes with console.* comes out as JSON log lines', async () => {
    const llm = await startMockLlm(() => ({ text: 'ok' }));
    try {
      const dir = await writeConfigDir(baseConfig(llm.url));
      const run = spawnRuntimeCli(dir);
      const url = await run.url;
      // The SDK warns with console.warn about a referenced task it cannot find.
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'message/send',
          params: {
            message: {
              kind: 'message',
              messageId: 'ref-1',
              role: 'user',
              parts: [{ kind: 'text', text: 'hi' }],
              referenceTaskIds: ['no-such-task'],
            },
          },
        }),
      });
      expect(((await res.json()) as { result: { status: { state: string } } }).result.status.state).toBe('completed');
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const { stdout, stderr } = run.output();
      const lines = stdout.split('\n').filter(Boolean);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      const warning = lines.map((l) => JSON.parse(l)).find((l) => /Reference task no-such-task not found/.test(l.msg));
      expect(warning).toMatchObject({ level: 40, source: 'console' });
      expect(stderr).not.toMatch(/Reference task/);
    } finally {
      await llm.close();
    }
  });

  it('on SIGTERM finishes the in-flight task, then exits 0', async () => {
    const llm = await startMockLlm([{ text: 'finished during shutdown', delayMs: 800 }]);
    try {
      // An unreachable MCP server with a secret header: its warnings must not carry the header.
      const mcpDown = {
        params: {
          url: 'http://127.0.0.1:1/mcp?token=query-secret',
          headers: { Authorization: 'Bearer mcp-secret-token' },
        },
        tools: ['list_pods'],
      };
      const dir = await writeConfigDir(baseConfig(llm.url, { http_tools: [mcpDown] }));
      const run = spawnRuntimeCli(dir, { METAGENT_PUBLIC_URL: 'listen' });
      const url = await run.url;
      const client = await clientFor(url);
      const pending = client.sendMessage({
        tenant: '',
        message: userMessage('slow question'),
        configuration: undefined,
        metadata: undefined,
      });
      await expect.poll(() => llm.requests.length).toBe(1);
      run.child.kill('SIGTERM');
      const task = (await pending) as Task;
      expect(textOf(task.status?.message)).toBe('finished during shutdown');
      expect(await run.exited).toBe(0);
      const { stdout } = run.output();
      expect(stdout).toContain('MCP server unreachable');
      for (const secret of ['sk-test-secret-key', 'mcp-secret-token', 'query-secret'])
        expect(stdout).not.toContain(secret);
    } finally {
      await llm.close();
    }
  });
});
