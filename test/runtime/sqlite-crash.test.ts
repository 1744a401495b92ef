// The runtime process (`metagent runtime`, METAGENT_STORE=sqlite:<file>) SIGKILLed in the middle of a conversation —
// one turn finished, a second waiting on the model — and started again on the same file: the finished turn and its
// task are there, the task that was in flight is reported failed, a follow-up continues the conversation, the file
// passes SQLite's integrity check, and a second runtime on the file is refused with a message saying why.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskState, type Task } from '@a2a-js/sdk';
import { startMockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';
import { INTERRUPTED_TEXT } from '../../runtime/store/interrupted.js';
import { baseConfig, clientFor, spawnRuntimeCli, writeConfigDir } from './helpers.js';

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

function integrityCheck(file: string): string[] {
  const db = new DatabaseSync(file);
  try {
    return db
      .prepare('PRAGMA integrity_check')
      .all()
      .map((r) => String(r.integrity_check));
  } finally {
    db.close();
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SIGKILL of the runtime with the SQLite store', () => {
  it('keeps the finished turn, fails the in-flight task, and the file stays sound', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metagent-crash-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'agent.db');
    const env = { METAGENT_STORE: `sqlite:${file}`, METAGENT_PUBLIC_URL: 'listen' };
    // The second model call never answers while the first runtime lives: that turn is in flight when it is killed.
    let release: (turn: MockTurn) => void = () => {};
    const hanging = new Promise<MockTurn>((r) => (release = r));
    cleanups.push(async () => release({ text: 'too late' }));
    const llm = await startMockLlm((_body, n) =>
      n === 1 ? hanging : { text: n === 0 ? 'Noted, Ada.' : 'You are Ada.' },
    );
    cleanups.push(() => llm.close());
    const config = await writeConfigDir(baseConfig(llm.url));
    const contextId = randomUUID();

    const first = spawnRuntimeCli(config, env);
    cleanups.push(() => first.stop());
    const firstClient = await clientFor(await first.url);
    const done = (await firstClient.sendMessage(send(userMessage('I am Ada.', { contextId })))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const inFlight = firstClient.sendMessage(send(userMessage('Remember my name.', { contextId })));
    inFlight.catch(() => undefined); // rejects when the process dies
    await until('the second turn to reach the model', () => llm.requests.length === 2);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    // The file as the crash left it (copied with its write-ahead log, so the check does not recover the original).
    expect(existsSync(`${file}-wal`)).toBe(true);
    await copyFile(file, join(dir, 'crash.db'));
    await copyFile(`${file}-wal`, join(dir, 'crash.db-wal'));
    expect(integrityCheck(join(dir, 'crash.db'))).toEqual(['ok']);

    const second = spawnRuntimeCli(config, env);
    cleanups.push(() => second.stop());
    const client = await clientFor(await second.url);
    const listed = await client.listTasks({ tenant: '', contextId, status: TaskState.TASK_STATE_UNSPECIFIED } as never);
    const byId = new Map(listed.tasks.map((t) => [t.id, t]));
    expect(listed.tasks).toHaveLength(2);
    const finished = byId.get(done.id);
    expect(finished?.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(finished?.status?.message)).toBe('Noted, Ada.');
    const interrupted = listed.tasks.find((t) => t.id !== done.id);
    expect(interrupted?.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(interrupted?.status?.message)).toBe(INTERRUPTED_TEXT);
    expect(
      second.lines().find((l) => l.msg === 'tasks left running by the previous process marked failed'),
    ).toMatchObject({
      level: 40,
      tasks: 1,
    });

    // The conversation holds the finished turn, not the one that never finished.
    await client.sendMessage(send(userMessage('Who am I?', { contextId })));
    expect(llm.requests[2].body.messages.map((m) => m.content)).toEqual([
      'You are a helpful Kubernetes assistant.',
      'I am Ada.',
      'Noted, Ada.',
      'Who am I?',
    ]);

    // A second runtime on the same file is refused at startup, naming the file and the reason.
    const intruder = spawnRuntimeCli(config, env);
    cleanups.push(() => intruder.stop());
    expect(await intruder.exited).not.toBe(0);
    expect(JSON.stringify(intruder.output())).toContain(
      `SQLite store ${file} is in use by another process (SQLite holds it locked); two runtimes must not share one SQLite file`,
    );

    expect(await second.stop()).toBe(0);
    // Nothing but the CLI's own stop line: node:sqlite printed no ExperimentalWarning.
    expect(second.output().stderr).toBe('metagent runtime: SIGTERM, stopping\n');
    expect(integrityCheck(file)).toEqual(['ok']);
  }, 120_000);
});
