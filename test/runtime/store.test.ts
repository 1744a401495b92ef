// The durable stores against real backends: a SQLite file (node:sqlite) on disk, and a real PostgreSQL server started by
// the test on loopback. Restart = close (or kill) and reopen; nothing may be lost.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerCallContext } from '@a2a-js/sdk/server';
import type { Task } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createStores, type Stores } from '../../runtime/store/index.js';
import { INTERRUPTED_TEXT } from '../../runtime/store/interrupted.js';
import { CONVERSATION_TABLE } from '../../runtime/store/sql.js';
import { textOf } from '../../runtime/a2a/parts.js';
import pg from 'pg';
import { freePort } from '../cluster/cluster.js';
import { usePostgres } from './postgres-server.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ctx = () => new ServerCallContext();

/** A task with every field the SDK's codec round-trips: text, data and raw parts, an artifact, metadata. */
function richTask(id: string, contextId: string, state: number, timestamp: string): Task {
  const part = (content: any) => ({ content, metadata: undefined, filename: '', mediaType: '' });
  const message = (messageId: string, role: number, text: string) => ({
    messageId,
    contextId,
    taskId: id,
    role,
    parts: [part({ $case: 'text', value: text })],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  });
  return {
    id,
    contextId,
    status: { state, message: message(`${id}-status`, 2, 'working on it'), timestamp },
    artifacts: [
      {
        artifactId: `${id}-a`,
        name: 'answer',
        description: '',
        parts: [
          part({ $case: 'data', value: { pods: [{ name: 'web-1', phase: 'CrashLoopBackOff' }] } }),
          {
            ...part({ $case: 'raw', value: Buffer.from([0, 1, 2, 255]) }),
            filename: 'blob.bin',
            mediaType: 'application/octet-stream',
          },
        ],
        metadata: { kagent_type: 'result' },
        extensions: [],
      },
    ],
    history: [message(`${id}-u`, 1, 'are any pods unhealthy? ünïcödé ✓')],
    metadata: { adk_app_name: 'kagent__NS__k8s_agent' },
  } as Task;
}

interface Backend {
  name: string;
  env: () => NodeJS.ProcessEnv;
  available: () => string | undefined; // a reason to skip, or undefined
}

// ---------------------------------------------------------------- PostgreSQL on loopback, started by this file (postgres-server.ts)

// Started (or its absence explained) by usePostgres's own beforeAll; CI installs PostgreSQL, so there a missing
// server is a failure, not a skip.
const postgres = usePostgres();
let sqliteDir = '';

beforeAll(async () => {
  sqliteDir = await mkdtemp(join(tmpdir(), 'metagent-store-'));
});

afterAll(async () => {
  await rm(sqliteDir, { recursive: true, force: true });
});

let dbCounter = 0;
const backends: Backend[] = [
  {
    name: 'sqlite file',
    env: () => ({ METAGENT_STORE: `sqlite:${join(sqliteDir, `contract-${++dbCounter}.db`)}` }),
    available: () => undefined,
  },
  {
    name: 'postgresql',
    env: () => ({ METAGENT_STORE: postgres.url()! }),
    available: () => postgres.skipReason(),
  },
];

describe.each(backends)('$name store', (backend) => {
  /** Opens the same database again: same env value. */
  const reopen = (env: NodeJS.ProcessEnv) => createStores(env);

  it('keeps tasks and conversations across a restart', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const env = backend.env();
    const contextId = `ctx-${Date.now()}-${Math.random()}`;
    let stores: Stores = await createStores(env);
    const t1 = richTask(`t1-${contextId}`.slice(0, 36), contextId.slice(0, 36), 3, '2026-01-01T00:00:01.000Z');
    const t2 = richTask(`t2-${contextId}`.slice(0, 36), contextId.slice(0, 36), 6, '2026-01-01T00:00:02.000Z');
    await stores.taskStore.save(t1, ctx());
    await stores.taskStore.save(t2, ctx());
    t2.status!.state = 3; // overwrite: the last save wins
    await stores.taskStore.save(t2, ctx());
    await stores.conversations.append(contextId, [{ role: 'user', content: 'first' }]);
    await stores.conversations.append(contextId, [
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', function: { name: 'list_pods', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"pods":[]}' },
    ]);
    await stores.close();
    await stores.close(); // idempotent

    stores = await reopen(env);
    try {
      expect(await stores.taskStore.load(t1.id, ctx())).toEqual(t1);
      expect(await stores.taskStore.load(t2.id, ctx())).toEqual(t2);
      expect(await stores.taskStore.load('no-such-task', ctx())).toBeUndefined();
      const listed = await stores.taskStore.list({ contextId: t1.contextId, pageSize: 10 } as any, ctx());
      expect(listed.totalSize).toBe(2);
      expect(listed.tasks.map((x) => x.id)).toEqual([t2.id, t1.id]); // newest status first
      const conv = await stores.conversations.load(contextId);
      expect(conv).toEqual([
        { role: 'user', content: 'first' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', function: { name: 'list_pods', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: '{"pods":[]}' },
      ]);
      expect(await stores.conversations.load('unknown-context')).toEqual([]);
      // Tasks are scoped by tenant: another tenant does not see them.
      const other = new ServerCallContext({ tenant: 'someone-else' } as any);
      expect(await stores.taskStore.load(t1.id, other)).toBeUndefined();
    } finally {
      await stores.close();
    }
  });

  it('loses nothing under concurrent saves and appends', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const env = backend.env();
    const prefix = Math.random().toString(36).slice(2, 8);
    let stores = await createStores(env);
    const n = 60;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        Promise.all([
          stores.taskStore.save(
            richTask(`${prefix}-${i}`, `${prefix}-ctx`, 2, new Date(1_700_000_000_000 + i).toISOString()),
            ctx(),
          ),
          stores.conversations.append(`${prefix}-ctx-${i % 3}`, [{ i }]),
        ]),
      ),
    );
    await stores.close();
    stores = await reopen(env);
    try {
      const listed = await stores.taskStore.list({ contextId: `${prefix}-ctx`, pageSize: 100 } as any, ctx());
      expect(listed.totalSize).toBe(n);
      const seen = (await Promise.all([0, 1, 2].map((k) => stores.conversations.load(`${prefix}-ctx-${k}`)))).flat();
      expect(seen.map((m: any) => m.i).sort((a: number, b: number) => a - b)).toEqual(
        Array.from({ length: n }, (_, i) => i),
      );
    } finally {
      await stores.close();
    }
  });

  it('keeps agents sharing one database apart (scope from KAGENT_NAMESPACE/KAGENT_NAME)', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const env = backend.env();
    const as = (name: string) => ({ ...env, KAGENT_NAMESPACE: 'team-a', KAGENT_NAME: name });
    const contextId = `shared-${Math.random().toString(36).slice(2, 10)}`; // a client reusing one contextId for two agents
    const taskId = `t-${contextId}`;
    let stores = await createStores(as('agent-one'));
    await stores.taskStore.save(richTask(taskId, contextId, 3, '2026-01-01T00:00:00.000Z'), ctx());
    await stores.conversations.append(contextId, [{ from: 'agent-one' }]);
    await stores.close();

    stores = await createStores(as('agent-two'));
    try {
      expect(await stores.taskStore.load(taskId, ctx())).toBeUndefined();
      expect((await stores.taskStore.list({ contextId, pageSize: 10 } as any, ctx())).totalSize).toBe(0);
      expect(await stores.conversations.load(contextId)).toEqual([]);
      await stores.conversations.append(contextId, [{ from: 'agent-two' }]);
    } finally {
      await stores.close();
    }

    stores = await createStores(as('agent-one'));
    try {
      expect((await stores.taskStore.load(taskId, ctx()))?.id).toBe(taskId);
      expect(await stores.conversations.load(contextId)).toEqual([{ from: 'agent-one' }]);
    } finally {
      await stores.close();
    }
  });

  it('refuses a message that is not JSON', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const stores = await createStores(backend.env());
    try {
      await expect(stores.conversations.append('c', [undefined])).rejects.toThrow(
        /conversation c: message 0 is null or not JSON-serialisable/,
      );
      expect(await stores.conversations.load('c')).toEqual([]);
    } finally {
      await stores.close();
    }
  });
});

/** Rows the database itself holds for a context (tombstones included), read past the store: the file, or the server. */
async function storedRows(env: NodeJS.ProcessEnv, contextId: string): Promise<number> {
  const url = env.METAGENT_STORE!;
  if (url.startsWith('sqlite:')) {
    const db = new DatabaseSync(url.slice('sqlite:'.length), { readOnly: true });
    try {
      const row = db.prepare(`select count(*) as n from ${CONVERSATION_TABLE} where context_id = ?`).get(contextId);
      return Number(row?.n);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number(
      (await client.query(`select count(*) from ${CONVERSATION_TABLE} where context_id = $1`, [contextId])).rows[0]
        .count,
    );
  } finally {
    await client.end();
  }
}

// Compaction's write, on every backend (memory too): the prefix is replaced in place, later appends stay after it,
// a stale prefix changes nothing, and of two compactions racing on one prefix exactly one wins.
describe.each([
  { name: 'memory', env: () => ({}) as NodeJS.ProcessEnv, available: () => undefined, durable: false },
  ...backends.map((b) => ({ ...b, durable: true })),
])('$name store: replacePrefix', (backend) => {
  const msg = (n: number) => ({ role: 'user', content: `message ${n}`, nested: { n, list: [n, null, 'x'] } });
  const marker = (text: string) => ({ role: 'system', content: text, metagent_compaction: { carried: 1 } });

  it('replaces the prefix in place, keeps later appends after it, and keeps the result across a restart', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const env = backend.env();
    const contextId = `rp-${Math.random().toString(36).slice(2, 10)}`;
    let stores = await createStores(env);
    try {
      await stores.conversations.append(contextId, [msg(1), msg(2), msg(3), msg(4)]);
      await stores.conversations.append('another-context', [msg(99)]);
      const loaded = await stores.conversations.load(contextId);
      await stores.conversations.append(contextId, [msg(5)]); // a turn that finished while the summary was written
      expect(await stores.conversations.replacePrefix(contextId, loaded, [marker('summary of 1-3'), msg(4)])).toBe(
        true,
      );
      expect(await stores.conversations.load(contextId)).toEqual([marker('summary of 1-3'), msg(4), msg(5)]);
      await stores.conversations.append(contextId, [msg(6)]);
      expect(await stores.conversations.load(contextId)).toEqual([marker('summary of 1-3'), msg(4), msg(5), msg(6)]);
      expect(await stores.conversations.load('another-context')).toEqual([msg(99)]);
      if (!backend.durable) return;
      await stores.close();
      expect(await storedRows(env, contextId)).toBe(4); // the replaced rows are gone, not just hidden
      stores = await createStores(env);
      expect(await stores.conversations.load(contextId)).toEqual([marker('summary of 1-3'), msg(4), msg(5), msg(6)]);
      // A second compaction of the compacted conversation works the same way.
      const again = await stores.conversations.load(contextId);
      expect(await stores.conversations.replacePrefix(contextId, again, [marker('summary of 1-5'), msg(6)])).toBe(true);
      expect(await stores.conversations.load(contextId)).toEqual([marker('summary of 1-5'), msg(6)]);
    } finally {
      await stores.close();
    }
  });

  it('changes nothing for a stale or unknown prefix, and refuses a replacement that would grow the conversation', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const stores = await createStores(backend.env());
    const contextId = `rp-${Math.random().toString(36).slice(2, 10)}`;
    try {
      await stores.conversations.append(contextId, [msg(1), msg(2), msg(3)]);
      const loaded = await stores.conversations.load(contextId);
      expect(await stores.conversations.replacePrefix(contextId, loaded, [marker('first')])).toBe(true);
      // The same prefix again: already replaced.
      expect(await stores.conversations.replacePrefix(contextId, loaded, [marker('second')])).toBe(false);
      expect(await stores.conversations.replacePrefix(contextId, [marker('first'), msg(1)], [marker('x')])).toBe(false); // longer than stored
      expect(await stores.conversations.replacePrefix(contextId, [msg(7)], [marker('x')])).toBe(false); // different content
      expect(await stores.conversations.replacePrefix('no-such-context', [msg(1)], [])).toBe(false);
      await expect(
        stores.conversations.replacePrefix(contextId, [marker('first')], [marker('a'), msg(1)]),
      ).rejects.toThrow(new RegExp(`conversation ${contextId}: a compaction of 1 messages cannot write 2`));
      expect(await stores.conversations.load(contextId)).toEqual([marker('first')]);
    } finally {
      await stores.close();
    }
  });

  it('of two compactions racing on one prefix, exactly one wins and its result is whole', async (t) => {
    const skip = backend.available();
    if (skip) return t.skip(skip);
    const stores = await createStores(backend.env());
    const contextId = `rp-${Math.random().toString(36).slice(2, 10)}`;
    try {
      await stores.conversations.append(
        contextId,
        Array.from({ length: 8 }, (_, i) => msg(i)),
      );
      const loaded = await stores.conversations.load(contextId);
      const results = await Promise.all([
        stores.conversations.replacePrefix(contextId, loaded, [marker('A'), msg(7)]),
        stores.conversations.replacePrefix(contextId, loaded, [marker('B'), msg(6), msg(7)]),
        stores.conversations.append(contextId, [msg(8)]).then(() => 'appended'),
      ]);
      expect(results.filter((r) => r === true)).toHaveLength(1);
      const expected = results[0] === true ? [marker('A'), msg(7), msg(8)] : [marker('B'), msg(6), msg(7), msg(8)];
      expect(await stores.conversations.load(contextId)).toEqual(expected);
    } finally {
      await stores.close();
    }
  });
});

describe('sqlite file specifics', () => {
  it('a corrupt file is a clear error naming the file', async () => {
    const file = join(sqliteDir, 'corrupt.db');
    await writeFile(file, 'this is not a database, just some text that happens to be long enough '.repeat(20));
    await expect(createStores({ METAGENT_STORE: `sqlite:${file}` })).rejects.toThrow(
      new RegExp(`SQLite store ${file.replace(/[.]/g, '\\.')} is not a readable SQLite database`),
    );
    // and the corrupt file is left untouched for the operator
    expect((await readFile(file, 'utf8')).startsWith('this is not a database')).toBe(true);
  });

  it('a path in a missing directory fails at startup naming the file', async () => {
    const file = join(sqliteDir, 'no', 'such', 'dir', 'x.db');
    await expect(createStores({ METAGENT_STORE: `sqlite:${file}` })).rejects.toThrow(file);
  });

  it('one process cannot open the same file twice', async () => {
    const file = join(sqliteDir, 'twice.db');
    const first = await createStores({ METAGENT_STORE: `sqlite:${file}` });
    try {
      await expect(createStores({ METAGENT_STORE: `sqlite:${file}` })).rejects.toThrow(/already open in this process/);
    } finally {
      await first.close();
    }
    const again = await createStores({ METAGENT_STORE: `sqlite:${file}` }); // released on close
    await again.close();
  });

  it('every save is on disk before it resolves: a killed runtime loses nothing, its running task is failed, and its lock goes with it', async () => {
    const file = join(sqliteDir, 'killed.db');
    const child = join(sqliteDir, 'child.mts');
    const task = (id: string, state: number) =>
      `{ id: '${id}', contextId: 'kc', status: { state: ${state}, message: undefined, timestamp: '2026-01-01T00:00:00.000Z' }, artifacts: [], history: [], metadata: undefined }`;
    await writeFile(
      child,
      `import { createStores } from ${JSON.stringify(join(repoRoot, 'runtime/store/index.ts'))};
       const stores = await createStores({ METAGENT_STORE: ${JSON.stringify(`sqlite:${file}`)} });
       // {} is the same scope as an anonymous ServerCallContext
       await stores.taskStore.save(${task('done', 3)}, {} as any);
       await stores.taskStore.save(${task('paused', 6)}, {} as any);
       await stores.taskStore.save(${task('running', 2)}, {} as any);
       await stores.conversations.append('kc', [{ role: 'user', content: 'before the crash' }]);
       process.stdout.write('saved\\n');
       setInterval(() => {}, 1000); // wait to be killed, never closing the store
      `,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((res, rej) => {
      proc.stdout.on('data', (d) => String(d).includes('saved') && res());
      proc.once('exit', (code) => rej(new Error(`child exited ${code}: ${stderr}`)));
    });
    // While it runs, a second runtime is refused: SQLite's lock is held by the first.
    await expect(createStores({ METAGENT_STORE: `sqlite:${file}` })).rejects.toThrow(
      `SQLite store ${file} is in use by another process (SQLite holds it locked); two runtimes must not share one SQLite file`,
    );
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    expect(stderr).toBe(''); // node:sqlite printed no warning
    expect(existsSync(`${file}-wal`)).toBe(true); // the writes are in the WAL, not yet checkpointed into the file

    const stores = await createStores({ METAGENT_STORE: `sqlite:${file}` });
    try {
      expect((await stores.taskStore.load('done', ctx()))?.status?.state).toBe(3);
      expect((await stores.taskStore.load('paused', ctx()))?.status?.state).toBe(6); // resumable: untouched
      const running = await stores.taskStore.load('running', ctx());
      expect(running?.status?.state).toBe(4);
      expect(textOf(running?.status?.message)).toBe(INTERRUPTED_TEXT);
      expect(running?.history.map((m) => textOf(m))).toEqual([INTERRUPTED_TEXT]);
      expect(await stores.conversations.load('kc')).toEqual([{ role: 'user', content: 'before the crash' }]);
    } finally {
      await stores.close();
    }
    expect(existsSync(`${file}-wal`)).toBe(false); // a clean close checkpoints the WAL into the file
    expect(integrityCheck(file)).toEqual(['ok']);
  }, 60_000);

  it('a statement journal of the older sql.js-based store is refused, not silently dropped', async () => {
    const file = join(sqliteDir, 'legacy.db');
    const stores = await createStores({ METAGENT_STORE: `sqlite:${file}` });
    await stores.close();
    await writeFile(`${file}-journal`, '{"s":1,"q":"insert into t values (?)","p":[1]}\n');
    await expect(createStores({ METAGENT_STORE: `sqlite:${file}` })).rejects.toThrow(
      `SQLite store ${file}: ${file}-journal holds changes written by an older metagent runtime`,
    );
    expect(await readFile(`${file}-journal`, 'utf8')).toContain('"s":1'); // left for the operator
  });
});

/** SQLite's own check of the whole file (run on a closed store). */
function integrityCheck(file: string): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db
      .prepare('PRAGMA integrity_check')
      .all()
      .map((r) => String(r.integrity_check));
  } finally {
    db.close();
  }
}

describe('postgresql specifics', () => {
  it('an unreachable server is a startup error naming the URL without its password', async () => {
    const port = await freePort(); // nothing listens there
    const err = await createStores({ METAGENT_STORE: `postgres://agent:s3cr3t-pw@127.0.0.1:${port}/metagent` }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      new RegExp(
        `^PostgreSQL store postgres://agent:\\*\\*\\*@127\\.0\\.0\\.1:${port}/metagent: cannot prepare the schema`,
      ),
    );
    expect(err?.message).not.toContain('s3cr3t-pw');
  });
});

describe('memory store limits from the environment', () => {
  it('METAGENT_MEMORY_MAX_TASKS and _MAX_CONTEXTS bound the default store', async () => {
    const stores = await createStores({ METAGENT_MEMORY_MAX_TASKS: '1', METAGENT_MEMORY_MAX_CONTEXTS: '1' });
    const ctx = new ServerCallContext();
    await stores.taskStore.save(richTask('t-old', 'c', 3, '2026-01-01T00:00:01.000Z'), ctx);
    await stores.taskStore.save(richTask('t-new', 'c', 3, '2026-01-01T00:00:02.000Z'), ctx);
    expect(await stores.taskStore.load('t-old', ctx)).toBeUndefined();
    expect((await stores.taskStore.load('t-new', ctx))?.id).toBe('t-new');
    await stores.conversations.append('c-old', [{ role: 'user', content: 'a' }]);
    await stores.conversations.append('c-new', [{ role: 'user', content: 'b' }]);
    expect(await stores.conversations.load('c-old')).toEqual([]);
    expect(await stores.conversations.load('c-new')).toEqual([{ role: 'user', content: 'b' }]);
  });

  it.each([
    ['METAGENT_MEMORY_MAX_TASKS', '0', /METAGENT_MEMORY_MAX_TASKS must be at least 1, got "0"/],
    ['METAGENT_MEMORY_MAX_CONTEXTS', 'many', /METAGENT_MEMORY_MAX_CONTEXTS must be a non-negative number, got "many"/],
  ])('a bad %s=%s is a startup error naming the variable', async (name, value, message) => {
    await expect(createStores({ [name]: value })).rejects.toThrow(message);
  });
});
