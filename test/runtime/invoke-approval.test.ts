// `metagent invoke` (a real subprocess) with a tool that needs approval: the task pauses, invoke says which task
// waits and how to answer; `--task-id ID --approve` runs the call, `--reject --reason` tells the model instead; the
// option combinations that cannot work are refused with a message naming them.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { baseConfig, startAgent } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function invoke(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(repo, 'bin/metagent.js'), 'invoke', '--agent', 'team/ops', ...args], {
      cwd: repo,
    });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let llm: MockLlm;
let mcp: McpTestServer;
let rt: Awaited<ReturnType<typeof startAgent>>;

beforeAll(async () => {
  mcp = await startMcpServer();
  // Asks to delete the file named in the request; after the tool's answer (or the refusal), says what happened.
  llm = await startMockLlm((body) => {
    const last = body.messages[body.messages.length - 1];
    if (last.role === 'tool') return { text: `done: ${String(last.content)}` };
    const path = /delete (\S+)/.exec(String(last.content))?.[1] ?? '/tmp/x';
    return { toolCalls: [{ name: 'delete_file', arguments: { path } }] };
  });
  rt = await startAgent(
    baseConfig(llm.url, {
      http_tools: [{ params: { url: mcp.url }, tools: ['delete_file'], require_approval: ['delete_file'] }],
    }),
  );
});

afterAll(async () => {
  await rt?.close();
  await mcp?.close();
  await llm?.close();
});

const waitingTask = (stderr: string) =>
  /task (\S+) is waiting for input: metagent invoke --agent team\/ops --task-id \1 --approve/.exec(stderr)?.[1];

describe('metagent invoke and a tool that needs approval', () => {
  it('pauses and says how to answer; --approve runs the call and prints the answer', async () => {
    const first = await invoke(['--url', rt.url, '--task', 'delete /tmp/a']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Approval required before running: delete_file/);
    const taskId = waitingTask(first.stderr);
    expect(taskId).toBeDefined();
    expect(mcp.calls.some((c) => c.tool === 'delete_file')).toBe(false);

    const approved = await invoke(['--url', rt.url, '--task-id', taskId!, '--approve']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout.trim()).toBe('done: deleted /tmp/a');
    expect(mcp.calls.filter((c) => c.tool === 'delete_file').map((c) => c.args)).toEqual([{ path: '/tmp/a' }]);
    expect(waitingTask(approved.stderr)).toBeUndefined();
  });

  it('--reject --reason does not run the call and passes the reason to the model (streaming too)', async () => {
    const first = await invoke(['--url', rt.url, '--task', 'delete /tmp/b', '--stream']);
    expect(first.code, first.stderr).toBe(0);
    const taskId = waitingTask(first.stderr);
    expect(taskId).toBeDefined();
    const rejected = await invoke(['--url', rt.url, '--task-id', taskId!, '--reject', '--reason', 'not on a Friday']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toMatch(
      /^done: The user rejected this call to delete_file; it was not run\. Reason: not on a Friday/,
    );
    expect(mcp.calls.some((c) => c.tool === 'delete_file' && (c.args as { path?: string }).path === '/tmp/b')).toBe(
      false,
    );
  });

  it('a decision for a task that is not waiting is an error from the agent, not a crash', async () => {
    const r = await invoke(['--url', rt.url, '--task-id', 'no-such-task', '--approve']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/message\/send failed: .*not found/i);
  });

  it.each([
    [['--approve', '--reject', '--task-id', 't'], 'use either --approve or --reject, not both'],
    [['--approve'], '--approve needs --task-id'],
    [['--reject', '--task-id', 't', '--task', 'x'], '--task cannot go with --reject'],
    [['--task', 'x', '--reason', 'why'], '--reason goes with --reject'],
    [[], "required option '--task <text>' not specified"],
  ])('%j is refused: %s', async (args, message) => {
    const r = await invoke(['--url', rt.url, ...args]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('-o json prints one object for scripts (and one per event with --stream)', async () => {
    const first = await invoke(['--url', rt.url, '--task', 'delete /tmp/c', '-o', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const paused = JSON.parse(first.stdout);
    expect(paused).toMatchObject({
      state: 'input_required',
      text: expect.stringMatching(/^Approval required before running: delete_file/),
    });
    expect(paused.taskId).toBe(waitingTask(first.stderr));
    const streamed = await invoke(['--url', rt.url, '--task-id', paused.taskId, '--approve', '-o', 'json', '--stream']);
    expect(streamed.code, streamed.stderr).toBe(0);
    const events = streamed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.every((e) => e.taskId === paused.taskId && typeof e.event === 'string')).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'statusUpdate', state: 'completed', text: 'done: deleted /tmp/c' });
    const bad = await invoke(['--url', rt.url, '--task', 'x', '-o', 'yaml']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('expected text or json, got "yaml"');
  });
});
