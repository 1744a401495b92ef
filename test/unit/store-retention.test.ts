// The retention sweep of the durable stores (METAGENT_STORE_RETENTION_DAYS): what goes, what stays, scope isolation,
// the created_at migration of older databases, the setting's validation, and the timer. Run against a SQLite file
// and a real PostgreSQL server (test/runtime/postgres-server.ts; skipped without the package, except under CI).
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ServerCallContext } from '@a2a-js/sdk/server';
import { TaskState, type Task } from '@a2a-js/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStores, type StoreOptions, type Stores, type SweepLog } from '../../runtime/store/index.js';
import {
  DAY_MS,
  FINAL_STATE_NAMES,
  retentionCutoff,
  retentionIntervalMs,
  startSweeper,
} from '../../runtime/store/retention.js';
import type { SweepResult } from '../../runtime/store/types.js';
import { readSettings } from '../../runtime/settings.js';
import { usePostgres } from '../runtime/postgres-server.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const ctx = (tenant?: string) => new ServerCallContext(tenant ? ({ tenant } as any) : undefined);

function task(id: string, contextId: string, state: TaskState, at: number): Task {
  return {
    id,
    contextId,
    status: { state, message: undefined, timestamp: new Date(at).toISOString() },
    artifacts: [],
    history: [],
    metadata: undefined,
  };
}

const postgres = usePostgres();
let sqliteDir = '';
beforeAll(async () => {
  sqliteDir = await mkdtemp(join(tmpdir(), 'metagent-retention-'));
});
afterAll(async () => {
  await rm(sqliteDir, { recursive: true, force: true });
});

/** A fresh database per test: a new SQLite file, or a new PostgreSQL database on the shared server. */
interface Backend {
  name: string;
  skip(): string | undefined;
  fresh(): Promise<string>;
  /** Drops created_at, as a database written by the runtime before retention existed (the store is closed). */
  dropCreatedAt(store: string): Promise<void>;
  /** Runs SQL against a closed (SQLite) or open (PostgreSQL) store's database. */
  query(store: string, text: string, params?: unknown[]): Promise<unknown[][]>;
}

let dbCounter = 0;
const sqlite: Backend = {
  name: 'sqlite file',
  skip: () => undefined,
  fresh: async () => `sqlite:${join(sqliteDir, `r-${++dbCounter}.db`)}`,
  async dropCreatedAt(store) {
    await this.query(store, 'alter table metagent_conversation_messages drop column created_at');
  },
  query(store, text, params = []) {
    const file = store.slice('sqlite:'.length);
    const db = new DatabaseSync(file);
    try {
      const stmt = db.prepare(text);
      stmt.setReturnArrays(true);
      return Promise.resolve(stmt.all(...(params as Array<string | number | null>)) as unknown as unknown[][]);
    } finally {
      db.close();
    }
  },
};
const postgresql: Backend = {
  name: 'postgresql',
  skip: () => postgres.skipReason(),
  async fresh() {
    const name = `retention_${++dbCounter}`;
    await pgQuery(postgres.url()!, `create database ${name}`);
    return postgres.url()!.replace(/\/postgres$/, `/${name}`);
  },
  async dropCreatedAt(store) {
    await pgQuery(store, 'alter table metagent_conversation_messages drop column created_at');
  },
  query: (store, text, params) => pgQuery(store, text, params),
};

async function pgQuery(url: string, text: string, params: unknown[] = []): Promise<unknown[][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query({ text, values: params, rowMode: 'array' })).rows;
  } finally {
    await client.end();
  }
}

const opened: Stores[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe.each([sqlite, postgresql])('$name retention', (backend) => {
  let clock = T0;
  const opts: StoreOptions = { now: () => clock, firstSweepDelayMs: 2 ** 31 - 1 }; // swept only when the test says
  const agent = (store: string, name: string | undefined, extra: NodeJS.ProcessEnv = {}) => ({
    METAGENT_STORE: store,
    METAGENT_STORE_RETENTION_DAYS: '1',
    ...(name ? { KAGENT_NAMESPACE: 'team', KAGENT_NAME: name } : {}),
    ...extra,
  });
  const open = async (env: NodeJS.ProcessEnv, o: StoreOptions = opts) => {
    const stores = await createStores(env, o);
    opened.push(stores);
    return stores;
  };
  const close = async (stores: Stores) => {
    opened.splice(opened.indexOf(stores), 1);
    await stores.close();
  };
  const ids = async (stores: Stores, contextId: string, tenant?: string) =>
    (await stores.taskStore.list({ contextId, pageSize: 100 } as any, ctx(tenant))).tasks.map((t) => t.id).sort();

  it('deletes finished tasks older than the retention and keeps recent or live ones', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const stores = await open(agent(await backend.fresh(), 'k8s'));
    const old = T0 - 2 * DAY_MS;
    const saves: [string, TaskState, number, string?][] = [
      ['old-completed', TaskState.TASK_STATE_COMPLETED, old],
      ['old-failed', TaskState.TASK_STATE_FAILED, old],
      ['old-canceled', TaskState.TASK_STATE_CANCELED, old],
      ['old-rejected', TaskState.TASK_STATE_REJECTED, old],
      ['old-completed-tenant', TaskState.TASK_STATE_COMPLETED, old, 'tenant-b'], // another tenant of the same agent
      ['just-expired', TaskState.TASK_STATE_COMPLETED, T0 - DAY_MS - 1],
      ['recent-completed', TaskState.TASK_STATE_COMPLETED, T0 - HOUR],
      ['at-cutoff', TaskState.TASK_STATE_COMPLETED, T0 - DAY_MS], // not older than the cutoff
      ['old-input-required', TaskState.TASK_STATE_INPUT_REQUIRED, T0 - 30 * DAY_MS],
      ['old-working', TaskState.TASK_STATE_WORKING, old],
      ['old-submitted', TaskState.TASK_STATE_SUBMITTED, old],
      ['old-auth-required', TaskState.TASK_STATE_AUTH_REQUIRED, old],
    ];
    for (const [id, state, at, tenant] of saves) await stores.taskStore.save(task(id, 'c', state, at), ctx(tenant));

    expect(await stores.sweep!(T0)).toEqual({ tasks: 6, messages: 0 });
    expect(await ids(stores, 'c')).toEqual([
      'at-cutoff',
      'old-auth-required',
      'old-input-required',
      'old-submitted',
      'old-working',
      'recent-completed',
    ]);
    expect(await ids(stores, 'c', 'tenant-b')).toEqual([]);
    expect(await stores.sweep!(T0)).toEqual({ tasks: 0, messages: 0 }); // nothing left to delete
    // A day later the task that was recent has expired too; the live ones never do.
    expect(await stores.sweep!(T0 + DAY_MS)).toEqual({ tasks: 2, messages: 0 });
    expect(await ids(stores, 'c')).toEqual(['old-auth-required', 'old-input-required', 'old-submitted', 'old-working']);
  });

  it('deletes idle conversations, except those with a live task or a recent message', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    const stores = await open(agent(store, 'k8s'));
    clock = T0 - 2 * DAY_MS;
    for (const c of ['old', 'old-finished', 'live', 'recent'])
      await stores.conversations.append(c, [
        { c, n: 1 },
        { c, n: 2 },
      ]);
    await stores.taskStore.save(task('finished', 'old-finished', TaskState.TASK_STATE_COMPLETED, clock), ctx());
    // Waiting for an approval for weeks: resuming needs the conversation.
    await stores.taskStore.save(task('waiting', 'live', TaskState.TASK_STATE_INPUT_REQUIRED, clock), ctx());
    clock = T0 - HOUR;
    await stores.conversations.append('recent', [{ c: 'recent', n: 3 }]);
    clock = T0;

    expect(await stores.sweep!(T0)).toEqual({ tasks: 1, messages: 4 });
    expect(await stores.conversations.load('old')).toEqual([]);
    expect(await stores.conversations.load('old-finished')).toEqual([]);
    expect(await stores.conversations.load('live')).toEqual([
      { c: 'live', n: 1 },
      { c: 'live', n: 2 },
    ]);
    expect((await stores.conversations.load('recent')).map((m: any) => m.n)).toEqual([1, 2, 3]); // all of it, old rows too
    expect((await stores.taskStore.load('waiting', ctx()))?.id).toBe('waiting');

    // Once the approval is answered and the task finishes, the conversation goes a retention period later.
    await stores.taskStore.save(task('waiting', 'live', TaskState.TASK_STATE_COMPLETED, T0), ctx());
    expect(await stores.sweep!(T0 + HOUR)).toEqual({ tasks: 0, messages: 2 });
    expect(await stores.conversations.load('live')).toEqual([]);
    expect(await stores.sweep!(T0 + 2 * DAY_MS)).toEqual({ tasks: 1, messages: 3 });

    if (backend === sqlite) {
      // The deletes are committed when the sweep resolves: a crash right now (a copy of the open store's file and
      // its write-ahead log) loses none of them.
      const file = store.slice('sqlite:'.length);
      await copyFile(file, `${file}-crash.db`);
      if (existsSync(`${file}-wal`)) await copyFile(`${file}-wal`, `${file}-crash.db-wal`);
      const recovered = await open(agent(`sqlite:${file}-crash.db`, 'k8s'));
      expect(await recovered.conversations.load('recent')).toEqual([]);
      expect(await recovered.taskStore.load('waiting', ctx())).toBeUndefined();
    }
  });

  it('deletes share links with their swept conversation, and only those', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    clock = T0 - 2 * DAY_MS;
    const other = await open(agent(store, 'k8s-two'));
    const othersLink = await other.shares!.create('idle', 'alice', true);
    await other.conversations.append('idle', [{ role: 'user', content: 'theirs' }]);
    await close(other);
    const stores = await open(agent(store, 'k8s'));
    const link = (contextId: string) => stores.shares!.create(contextId, 'alice', true);
    const idle = await link('idle');
    await stores.conversations.append('idle', [{ role: 'user', content: 'old' }]);
    const orphan = await link('never-answered'); // a first turn that failed after making the link: no messages
    const live = await link('live');
    await stores.conversations.append('live', [{ role: 'user', content: 'old' }]);
    await stores.taskStore.save(task('waiting', 'live', TaskState.TASK_STATE_INPUT_REQUIRED, clock), ctx());
    const recent = await link('recent');
    clock = T0 - HOUR;
    await stores.conversations.append('recent', [{ role: 'user', content: 'new' }]);
    const fresh = await link('fresh-orphan');

    expect(await stores.sweep!(T0)).toEqual({ tasks: 0, messages: 1, shares: 2 });
    expect(await stores.shares!.resolve(idle.token)).toBeUndefined();
    expect(await stores.shares!.resolve(orphan.token)).toBeUndefined();
    for (const kept of [live, recent, fresh]) expect(await stores.shares!.resolve(kept.token)).toBeDefined();
    expect(await stores.sweep!(T0)).toEqual({ tasks: 0, messages: 0 });
    await close(stores);
    // Another agent's link to a context of the same name is its own to sweep.
    const otherAgain = await open(agent(store, 'k8s-two'));
    expect(await otherAgain.shares!.resolve(othersLink.token)).toEqual({ contextId: 'idle', readOnly: true });
    expect(await otherAgain.sweep!(T0)).toEqual({ tasks: 0, messages: 1, shares: 1 });
  });

  it("never touches another agent's rows in the same database", async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    const old = T0 - 10 * DAY_MS;
    clock = old;
    // Agents whose scopes share a prefix ("team/k8s" and "team/k8s-two"), and an unscoped local run, in one database.
    const scopes = ['k8s', 'k8s-two', undefined] as const;
    for (const name of scopes) {
      const stores = await open(agent(store, name));
      await stores.taskStore.save(
        task(`done-${name ?? 'local'}`, 'shared', TaskState.TASK_STATE_COMPLETED, old),
        ctx(),
      );
      await stores.conversations.append('shared', [{ from: name ?? 'local' }]);
      await close(stores);
    }
    clock = T0;
    // Each agent sweeps exactly its own old task and message, whoever goes first.
    for (const name of ['k8s-two', undefined, 'k8s']) {
      const stores = await open(agent(store, name));
      expect(await stores.sweep!(T0)).toEqual({ tasks: 1, messages: 1 });
      expect(await stores.sweep!(T0)).toEqual({ tasks: 0, messages: 0 });
      await close(stores);
    }
  });

  it("keeps the other agents' rows until they sweep themselves", async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    clock = T0 - 10 * DAY_MS;
    const two = await open(agent(store, 'k8s-two'));
    await two.taskStore.save(task('two-done', 'c', TaskState.TASK_STATE_COMPLETED, clock), ctx());
    await two.conversations.append('c', [{ from: 'two' }]);
    await close(two);
    const local = await open(agent(store, undefined));
    await local.taskStore.save(task('local-done', 'c', TaskState.TASK_STATE_COMPLETED, clock), ctx());
    await local.conversations.append('c', [{ from: 'local' }]);
    await close(local);
    // "team/k8s" shares the prefix of "team/k8s-two"; it owns nothing here, so nothing goes.
    const one = await open(agent(store, 'k8s'));
    expect(await one.sweep!(T0)).toEqual({ tasks: 0, messages: 0 });
    await close(one);
    const twoAgain = await open(agent(store, 'k8s-two'));
    expect((await twoAgain.taskStore.load('two-done', ctx()))?.id).toBe('two-done');
    expect(await twoAgain.conversations.load('c')).toEqual([{ from: 'two' }]);
    await close(twoAgain);
    const localAgain = await open(agent(store, undefined));
    expect((await localAgain.taskStore.load('local-done', ctx()))?.id).toBe('local-done');
    expect(await localAgain.conversations.load('c')).toEqual([{ from: 'local' }]);
    // The unscoped agent's sweep takes its own rows and leaves team/k8s-two's.
    expect(await localAgain.sweep!(T0)).toEqual({ tasks: 1, messages: 1 });
    await close(localAgain);
    const twoLast = await open(agent(store, 'k8s-two'));
    expect(await twoLast.conversations.load('c')).toEqual([{ from: 'two' }]);
    expect(await twoLast.sweep!(T0)).toEqual({ tasks: 1, messages: 1 });
  });

  it('opens a database created before created_at existed, and stamps its messages with the migration time', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    clock = T0 - 100 * DAY_MS;
    let stores = await open(agent(store, 'k8s'));
    await stores.conversations.append('before', [{ n: 1 }, { n: 2 }]);
    await close(stores);
    await backend.dropCreatedAt(store);

    clock = T0; // the upgrade
    stores = await open(agent(store, 'k8s'));
    expect(await stores.conversations.load('before')).toEqual([{ n: 1 }, { n: 2 }]);
    await stores.conversations.append('after', [{ n: 3 }]);
    // Written 100 days ago, but its age was unknown at the upgrade: it counts from the upgrade.
    expect(await stores.sweep!(T0 + DAY_MS / 2)).toEqual({ tasks: 0, messages: 0 });
    await close(stores);

    // Opening again does not migrate (or re-stamp) again.
    clock = T0 + DAY_MS;
    stores = await open(agent(store, 'k8s'));
    expect(await stores.sweep!(T0 + DAY_MS + 1)).toEqual({ tasks: 0, messages: 3 });
    expect(await stores.conversations.load('before')).toEqual([]);
    if (backend === postgresql) {
      // A replica still on the previous version inserts without created_at: the column's default stamps it.
      await pgQuery(
        store,
        "insert into metagent_conversation_messages (scope, context_id, message) values ('team/k8s', 'old-replica', '{}')",
      );
      const [[createdAt]] = await pgQuery(
        store,
        "select created_at from metagent_conversation_messages where context_id = 'old-replica'",
      );
      expect(Math.abs(Number(createdAt) - Date.now())).toBeLessThan(60_000);
    }
  });

  it('keeps a conversation holding a message of unknown age (created_at NULL)', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    clock = T0 - 10 * DAY_MS;
    let stores = await open(agent(store, 'k8s'));
    await stores.conversations.append('mixed', [{ n: 1 }]);
    await stores.conversations.append('dated', [{ n: 1 }]);
    if (backend === sqlite) await close(stores); // the file is edited while closed
    await backend.query(
      store,
      "update metagent_conversation_messages set created_at = null where context_id = 'mixed'",
    );
    await backend.query(
      store,
      "insert into metagent_conversation_messages (scope, context_id, message, created_at) values ('team/k8s', 'mixed', '{\"n\":2}', 0)",
    );
    if (backend === sqlite) stores = await open(agent(store, 'k8s'));
    expect(await stores.sweep!(T0)).toEqual({ tasks: 0, messages: 1 });
    expect(await stores.conversations.load('mixed')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('keeps everything without METAGENT_STORE_RETENTION_DAYS, and a closed store sweeps nothing', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    clock = T0 - 10 * DAY_MS;
    let stores = await open(agent(store, 'k8s', { METAGENT_STORE_RETENTION_DAYS: '' }));
    await stores.taskStore.save(task('done', 'c', TaskState.TASK_STATE_COMPLETED, clock), ctx());
    await stores.conversations.append('c', [{ n: 1 }]);
    expect(await stores.sweep!(T0 + 1000 * DAY_MS)).toEqual({ tasks: 0, messages: 0 });
    await close(stores);

    stores = await open(agent(store, 'k8s'));
    await close(stores);
    await expect(stores.sweep!(T0)).resolves.toEqual({ tasks: 0, messages: 0 });
    stores = await open(agent(store, 'k8s', { METAGENT_STORE_RETENTION_DAYS: undefined }));
    expect((await stores.taskStore.load('done', ctx()))?.id).toBe('done');
    expect(await stores.conversations.load('c')).toEqual([{ n: 1 }]);
  });

  it('sweeps on its own shortly after start and reports through the log', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const store = await backend.fresh();
    clock = T0 - 10 * DAY_MS;
    let stores = await open(agent(store, 'k8s'));
    await stores.taskStore.save(task('done', 'c', TaskState.TASK_STATE_COMPLETED, clock), ctx());
    await stores.conversations.append('c', [{ n: 1 }]);
    await close(stores);
    clock = T0;
    const info: object[] = [];
    const log: SweepLog = { info: (fields) => info.push(fields), warn: (fields) => info.push({ warn: fields }) };
    stores = await open(agent(store, 'k8s'), { ...opts, log, firstSweepDelayMs: 10 });
    await vi.waitFor(() => expect(info).toHaveLength(1), { timeout: 10_000 });
    expect(info[0]).toMatchObject({ deletedTasks: 1, deletedMessages: 1, retentionDays: 1 });
    expect(await stores.taskStore.load('done', ctx())).toBeUndefined();
  });
});

describe('METAGENT_STORE_RETENTION_DAYS', () => {
  it('is a positive number of days, fractions allowed; unset or empty keeps everything', () => {
    expect(readSettings({}).storeRetentionMs).toBeUndefined();
    expect(readSettings({ METAGENT_STORE_RETENTION_DAYS: '' }).storeRetentionMs).toBeUndefined();
    expect(readSettings({ METAGENT_STORE_RETENTION_DAYS: '  ' }).storeRetentionMs).toBeUndefined();
    expect(readSettings({ METAGENT_STORE_RETENTION_DAYS: '30' }).storeRetentionMs).toBe(30 * DAY_MS);
    expect(readSettings({ METAGENT_STORE_RETENTION_DAYS: '0.5' }).storeRetentionMs).toBe(DAY_MS / 2);
  });

  it.each(['0', '-1', 'abc', '7d', 'Infinity', '1e400', '1e306', 'NaN'])(
    'rejects %j naming the variable and the value',
    (value) => {
      expect(() => readSettings({ METAGENT_STORE_RETENTION_DAYS: value })).toThrow(
        `environment variable METAGENT_STORE_RETENTION_DAYS must be a positive number of days (fractions allowed), got "${value}"`,
      );
    },
  );

  it('a bad value fails startup with every backend, before a file is created', async () => {
    const file = join(sqliteDir, 'never.db');
    await expect(
      createStores({ METAGENT_STORE: `sqlite:${file}`, METAGENT_STORE_RETENTION_DAYS: 'soon' }),
    ).rejects.toThrow(/METAGENT_STORE_RETENTION_DAYS .* got "soon"/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    await expect(createStores({ METAGENT_STORE_RETENTION_DAYS: '-3' })).rejects.toThrow(
      /METAGENT_STORE_RETENTION_DAYS .* got "-3"/,
    );
  });

  it('is ignored by the memory store, which is bounded by count', async () => {
    const stores = await createStores({ METAGENT_STORE_RETENTION_DAYS: '1' });
    expect(stores.sweep).toBeUndefined();
    await stores.taskStore.save(task('old', 'c', TaskState.TASK_STATE_COMPLETED, 0), ctx());
    expect((await stores.taskStore.load('old', ctx()))?.id).toBe('old');
  });

  it('refuses a scope containing "|", which would make other agents\' task owners look like its own', async () => {
    const env = { METAGENT_STORE: `sqlite:${join(sqliteDir, 'pipe.db')}`, METAGENT_STORE_SCOPE: 'a|b' };
    await expect(createStores({ ...env, METAGENT_STORE_RETENTION_DAYS: '1' })).rejects.toThrow(
      /METAGENT_STORE_SCOPE "a\|b" contains "\|"/,
    );
    await (await createStores(env)).close(); // without a sweep the scope is fine, as before
  });
});

describe('retention core', () => {
  it('cuts off at now − retention in whole ms', () => {
    expect(retentionCutoff(T0, DAY_MS)).toBe(T0 - DAY_MS);
    expect(retentionCutoff(T0 + 0.7, 0.5)).toBe(T0);
  });

  it('sweeps hourly, or every tenth of a short retention, but at most once a minute', () => {
    expect(retentionIntervalMs(30 * DAY_MS)).toBe(HOUR);
    expect(retentionIntervalMs(5 * HOUR)).toBe(HOUR / 2);
    expect(retentionIntervalMs(HOUR)).toBe(6 * 60_000);
    expect(retentionIntervalMs(1000)).toBe(60_000);
  });

  it('names the final states as the task table stores them', () => {
    expect([...FINAL_STATE_NAMES].sort()).toEqual([
      'TASK_STATE_CANCELED',
      'TASK_STATE_COMPLETED',
      'TASK_STATE_FAILED',
      'TASK_STATE_REJECTED',
    ]);
  });

  it('the timer: a failed sweep is logged and retried at the next tick; stop() ends it and waits for a running sweep', async () => {
    vi.useFakeTimers();
    try {
      const cutoffs: number[] = [];
      const outcomes: (() => Promise<SweepResult>)[] = [
        async () => {
          throw new Error('connection refused');
        },
        async () => ({ tasks: 2, messages: 5 }),
        async () => ({ tasks: 0, messages: 0 }),
      ];
      const logged: [string, object][] = [];
      const log: SweepLog = {
        info: (f, m) => logged.push([`info ${m}`, f]),
        warn: (f, m) => logged.push([`warn ${m}`, f]),
      };
      let now = T0;
      const sweeper = startSweeper(
        (cutoff) => {
          cutoffs.push(cutoff);
          return outcomes.shift()!();
        },
        { retentionMs: DAY_MS, now: () => now, log, store: 'test store' },
      );
      await vi.advanceTimersByTimeAsync(4_999);
      expect(cutoffs).toEqual([]); // not at start: off the startup path
      await vi.advanceTimersByTimeAsync(1);
      expect(cutoffs).toEqual([T0 - DAY_MS]);
      expect(logged).toEqual([
        ['warn retention sweep failed; retrying at the next tick', { store: 'test store', err: 'connection refused' }],
      ]);
      now += HOUR;
      await vi.advanceTimersByTimeAsync(HOUR);
      expect(cutoffs).toEqual([T0 - DAY_MS, T0 + HOUR - DAY_MS]);
      expect(logged[1]).toEqual([
        'info retention sweep deleted expired rows',
        { store: 'test store', deletedTasks: 2, deletedMessages: 5, retentionDays: 1 },
      ]);
      await vi.advanceTimersByTimeAsync(HOUR);
      expect(cutoffs).toHaveLength(3);
      expect(logged).toHaveLength(2); // a sweep that deleted nothing says nothing

      let release!: () => void;
      outcomes.push(() => new Promise((r) => (release = () => r({ tasks: 1, messages: 0 }))));
      const running = sweeper.sweep(T0 + 10 * DAY_MS);
      let stopped = false;
      const stopping = sweeper.stop().then(() => (stopped = true));
      await vi.advanceTimersByTimeAsync(0);
      expect(stopped).toBe(false); // waits for the sweep in progress
      release();
      await expect(running).resolves.toEqual({ tasks: 1, messages: 0 });
      await stopping;
      await vi.advanceTimersByTimeAsync(10 * HOUR);
      expect(cutoffs).toHaveLength(4); // no tick after stop()
      await expect(sweeper.sweep()).resolves.toEqual({ tasks: 0, messages: 0 });
      expect(cutoffs).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the timer does not keep the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const sweeper = startSweeper(async () => ({ tasks: 0, messages: 0 }), { retentionMs: DAY_MS, store: 's' });
      const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      void sweeper.stop();
    } finally {
      spy.mockRestore();
    }
  });
});
