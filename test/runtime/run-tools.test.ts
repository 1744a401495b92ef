// `metagent run` (a real subprocess) with an Agent that uses another Agent from the same files as a tool: both are
// served, the chosen one calls the other on its local address, and the answer comes back through both.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockLlm, type ChatRequestBody, type MockLlm } from '../mocks/mock-llm.js';
import { rpc } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let llm: MockLlm | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGTERM');
  await llm?.close();
});

const FILES = `
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: {name: model}
spec: {provider: OpenAI, model: gpt-4o, apiKeySecret: openai, apiKeySecretKey: key}
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: helper}
spec:
  type: Declarative
  description: Knows the answer.
  declarative: {systemMessage: You are the helper., modelConfig: model}
---
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: main}
spec:
  type: Declarative
  declarative:
    systemMessage: You are main.
    modelConfig: model
    tools:
      - {type: Agent, agent: {name: helper}}
`;

describe('metagent run with an Agent used as a tool', () => {
  it('serves both and the chosen one reaches the other locally', async () => {
    llm = await startMockLlm((body: ChatRequestBody) => {
      const system = String(body.messages[0]?.content);
      const last = body.messages[body.messages.length - 1];
      if (system.includes('You are the helper.')) return { text: 'the answer is 42' };
      if (last.role === 'tool') return { text: `main heard: ${String(last.content)}` };
      return { toolCalls: [{ name: 'default__NS__helper', arguments: { request: 'what is the answer?' } }] };
    });
    const dir = await mkdtemp(join(tmpdir(), 'run-tools-'));
    await writeFile(join(dir, 'agents.yaml'), FILES);
    child = spawn(
      process.execPath,
      [join(repo, 'bin/metagent.js'), 'run', '-f', join(dir, 'agents.yaml'), '--agent', 'main', '--port', '0'],
      {
        cwd: repo,
        env: { ...process.env, OPENAI_API_KEY: 'sk-local', OPENAI_BASE_URL: llm.url },
      },
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`run did not start: ${out}${err}`)), 60_000);
      child!.stdout!.on('data', (d) => {
        out += d;
        const m = /serving A2A at (\S+)[\s\S]*Press Ctrl-C/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child!.on('exit', (code) => reject(new Error(`run exited ${code}: ${err}`)));
    });
    expect(out).toMatch(/Agent default\/main is serving A2A at/);
    expect(out).toMatch(/ {2}tool: {3}Agent default\/helper at http:\/\/127\.0\.0\.1:\d+/);
    const res = await rpc(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: { kind: 'message', messageId: 'm1', role: 'user', parts: [{ kind: 'text', text: 'ask the helper' }] },
      },
    });
    expect(res.json.result.status.state).toBe('completed');
    expect(res.json.result.status.message.parts[0].text).toBe('main heard: the answer is 42');
    // The helper really was asked, by the main agent's tool call.
    expect(llm.requests.some((r) => String(r.body.messages[0]?.content).includes('You are the helper.'))).toBe(true);
    child.kill('SIGTERM');
    expect(await new Promise((r) => child!.once('exit', r))).toBe(0);
    child = undefined;
  }, 90_000);
});
