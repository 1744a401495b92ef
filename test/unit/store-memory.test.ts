// The in-memory stores copy with deepCopy instead of structuredClone: stored tasks and messages must still be out of
// every caller's reach, the SDK's owner/tenant scoping and list() must see what load/save keep, and the copy must give
// what structuredClone gives (values it does not handle itself are passed to structuredClone).
import { InMemoryTaskStore, ServerCallContext } from '@a2a-js/sdk/server';
import type { Task } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { deepCopy } from '../../runtime/store/copy.js';
import { MemoryConversationStore, MemoryTaskStore } from '../../runtime/store/memory.js';

function task(id: string, contextId: string, timestamp = '2026-01-01T00:00:00.000Z'): Task {
  return {
    id,
    contextId,
    status: {
      state: 2,
      message: {
        messageId: `m-${id}`,
        role: 2,
        parts: [{ content: { $case: 'text', value: 'hello' }, metadata: undefined, filename: '', mediaType: '' }],
      } as never,
      timestamp,
    },
    artifacts: [
      { artifactId: 'a1', name: 'answer', description: '', parts: [], metadata: { k: [1, 2] }, extensions: [] },
    ] as never,
    history: [],
    metadata: { kagent_app_name: 'agent', nested: { deep: ['x'] } },
  };
}

const user = (userName: string) => new ServerCallContext({ user: { isAuthenticated: true, userName } });

describe('MemoryTaskStore', () => {
  it('uses its fast copies with this SDK', () => {
    expect(new MemoryTaskStore().fastCopies).toBe(true);
  });

  it('a caller mutating a task after saving it does not change the stored task', async () => {
    const store = new MemoryTaskStore();
    const ctx = new ServerCallContext();
    const t = task('t1', 'c1');
    await store.save(t, ctx);
    t.metadata!.kagent_app_name = 'changed';
    (t.metadata!.nested as { deep: string[] }).deep.push('y');
    (t.status!.message!.parts[0].content as { value: string }).value = 'changed';
    t.artifacts.push({ artifactId: 'a2' } as never);
    t.history.push({ messageId: 'h' } as never);
    expect(await store.load('t1', ctx)).toEqual(task('t1', 'c1'));
  });

  it('a caller mutating a loaded task does not change the stored task, and each load is a new copy', async () => {
    const store = new MemoryTaskStore();
    const ctx = new ServerCallContext();
    await store.save(task('t1', 'c1'), ctx);
    const a = (await store.load('t1', ctx))!;
    a.status!.state = 3;
    (a.artifacts[0].metadata as { k: number[] }).k.push(3);
    a.history.push({ messageId: 'h' } as never);
    const b = (await store.load('t1', ctx))!;
    expect(b).toEqual(task('t1', 'c1'));
    expect(b).not.toBe(a);
    expect(b.status).not.toBe(a.status);
    expect(b.artifacts[0]).not.toBe(a.artifacts[0]);
  });

  it('keeps undefined fields and byte parts, as structuredClone did', async () => {
    const store = new MemoryTaskStore();
    const ctx = new ServerCallContext();
    const t = task('t1', 'c1');
    t.artifacts[0].parts = [{ content: { $case: 'raw', value: new Uint8Array([1, 2, 3]) } } as never];
    const expected = structuredClone(t);
    await store.save(t, ctx);
    (t.artifacts[0].parts[0].content as { value: Uint8Array }).value[0] = 9;
    const got = (await store.load('t1', ctx))!;
    expect(got).toStrictEqual(expected);
    expect((got.artifacts[0].parts[0].content as { value: Uint8Array }).value).toBeInstanceOf(Uint8Array);
    expect(Object.keys(got.status!.message!.parts[0])).toContain('metadata');
  });

  it("scopes by owner and tenant, and list() sees what save() kept (the SDK's own scoping and paging)", async () => {
    const store = new MemoryTaskStore();
    await store.save(task('t1', 'c1', '2026-01-01T00:00:01.000Z'), user('alice'));
    await store.save(task('t2', 'c1', '2026-01-01T00:00:02.000Z'), user('alice'));
    await store.save(task('t3', 'c2', '2026-01-01T00:00:03.000Z'), user('bob'));
    await store.save(
      task('t4', 'c1'),
      new ServerCallContext({ user: { isAuthenticated: true, userName: 'alice' }, tenant: 'other' }),
    );
    expect(await store.load('t3', user('alice'))).toBeUndefined();
    expect((await store.load('t3', user('bob')))?.id).toBe('t3');
    expect(await store.load('t4', user('alice'))).toBeUndefined();

    const sdk = new InMemoryTaskStore();
    for (const [t, u] of [
      [task('t1', 'c1', '2026-01-01T00:00:01.000Z'), 'alice'],
      [task('t2', 'c1', '2026-01-01T00:00:02.000Z'), 'alice'],
      [task('t3', 'c2', '2026-01-01T00:00:03.000Z'), 'bob'],
    ] as const)
      await sdk.save(t, user(u));
    const page = await store.list({ pageSize: 1, includeArtifacts: true } as never, user('alice'));
    expect(page).toEqual(await sdk.list({ pageSize: 1, includeArtifacts: true } as never, user('alice')));
    expect(page.tasks.map((t) => t.id)).toEqual(['t2']);
    const next = await store.list({ pageSize: 1, pageToken: page.nextPageToken } as never, user('alice'));
    expect(next.tasks.map((t) => t.id)).toEqual(['t1']);
    expect(next.tasks[0].artifacts).toEqual([]);
    // Listed tasks are copies too.
    next.tasks[0].metadata!.kagent_app_name = 'changed';
    expect((await store.load('t1', user('alice')))?.metadata?.kagent_app_name).toBe('agent');
  });
});

describe('MemoryConversationStore', () => {
  it('appended and loaded messages are copies', async () => {
    const store = new MemoryConversationStore();
    const msgs = [{ role: 'assistant', content: 'a', toolCalls: [{ id: '1', name: 'x', arguments: '{}' }] }];
    await store.append('c', msgs);
    msgs[0].toolCalls[0].name = 'changed';
    const loaded = (await store.load('c')) as typeof msgs;
    expect(loaded[0].toolCalls[0].name).toBe('x');
    loaded[0].toolCalls.push({ id: '2', name: 'y', arguments: '{}' });
    expect(((await store.load('c')) as typeof msgs)[0].toolCalls).toHaveLength(1);
  });
});

describe('deepCopy', () => {
  it('equals structuredClone for JSON-like data, undefined fields and null-prototype objects included', () => {
    const nullProto = Object.assign(Object.create(null), { a: 1 });
    const value = {
      s: 'x',
      n: 1.5,
      b: false,
      z: null,
      u: undefined,
      big: 10n,
      arr: [1, 'two', { three: [3] }, [], undefined],
      o: { deep: { er: {} } },
      nullProto,
    };
    const copied = deepCopy(value);
    expect(copied).toStrictEqual(structuredClone(value));
    expect(copied.o.deep).not.toBe(value.o.deep);
    expect(Object.getPrototypeOf(copied.nullProto)).toBe(Object.prototype);
  });

  it('hands Dates, Maps, typed arrays and class instances to structuredClone', () => {
    class Point {
      constructor(public x: number) {}
    }
    const value = {
      d: new Date(0),
      m: new Map([['k', { v: 1 }]]),
      bytes: new Uint8Array([1]),
      p: new Point(1),
      e: new Error('boom'),
    };
    const copied = deepCopy(value);
    expect(copied.d).toBeInstanceOf(Date);
    expect(copied.d).not.toBe(value.d);
    expect(copied.m.get('k')).toEqual({ v: 1 });
    expect(copied.m.get('k')).not.toBe(value.m.get('k'));
    expect(copied.bytes).toEqual(new Uint8Array([1]));
    expect(copied.p).toEqual(structuredClone(value.p));
    expect(copied.p).not.toBeInstanceOf(Point); // structuredClone's rule: class instances become plain objects
    expect((copied.e as Error).message).toBe('boom');
  });

  it('keeps cycles and shared references by falling back to structuredClone', () => {
    const shared = { s: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const copied = deepCopy(cyclic);
    expect(copied.self).toBe(copied);
    expect(copied.shared).toBe(copied.again);
    expect(copied.shared).not.toBe(shared);
  });

  it('throws DataCloneError on functions and symbols, like structuredClone', () => {
    expect(() => deepCopy({ f: () => 1 })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(() => deepCopy([Symbol('s')])).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });
});

describe('memory store bounds', () => {
  const withState = (id: string, state: number) =>
    ({ ...task(id, 'c1'), status: { ...task(id, 'c1').status!, state } }) as Task;
  const COMPLETED = 3;
  const WORKING = 2;
  const INPUT_REQUIRED = 6;

  it('drops the least recently saved finished task past maxTasks, never a live one', async () => {
    const store = new MemoryTaskStore(3);
    const ctx = new ServerCallContext();
    await store.save(withState('live', INPUT_REQUIRED), ctx); // oldest, but paused: must survive
    await store.save(withState('a', COMPLETED), ctx);
    await store.save(withState('b', COMPLETED), ctx);
    await store.save(withState('a', COMPLETED), ctx); // a written again: now b is the least recent finished task
    await store.save(withState('c', WORKING), ctx);
    expect(store.size).toBe(3);
    expect(await store.load('b', ctx)).toBeUndefined();
    expect((await store.load('live', ctx))?.id).toBe('live');
    expect((await store.load('a', ctx))?.id).toBe('a');
    expect((await store.load('c', ctx))?.id).toBe('c');
  });

  it('keeps every live task even beyond the bound, and drops finished ones once they finish', async () => {
    const store = new MemoryTaskStore(2);
    const ctx = new ServerCallContext();
    for (const id of ['w1', 'w2', 'w3']) await store.save(withState(id, WORKING), ctx);
    expect(store.size).toBe(3);
    for (const id of ['w1', 'w2', 'w3']) expect((await store.load(id, ctx))?.id).toBe(id);
    await store.save(withState('w1', COMPLETED), ctx); // w1 finished: the only evictable task, and over the bound
    expect(await store.load('w1', ctx)).toBeUndefined();
    expect(store.size).toBe(2);
  });

  it('counts the same task id under two owners as two tasks', async () => {
    const store = new MemoryTaskStore(1);
    await store.save(withState('t', COMPLETED), user('alice'));
    await store.save(withState('t', COMPLETED), user('bob'));
    expect(await store.load('t', user('alice'))).toBeUndefined();
    expect((await store.load('t', user('bob')))?.id).toBe('t');
  });

  it('drops the least recently used conversation past maxContexts', async () => {
    const conv = new MemoryConversationStore(2);
    await conv.append('c1', [{ role: 'user', content: '1' }]);
    await conv.append('c2', [{ role: 'user', content: '2' }]);
    await conv.load('c1'); // c1 used: c2 is now the least recent
    await conv.append('c3', [{ role: 'user', content: '3' }]);
    expect(conv.size).toBe(2);
    expect(await conv.load('c2')).toEqual([]);
    expect(await conv.load('c1')).toEqual([{ role: 'user', content: '1' }]);
    expect(await conv.load('c3')).toEqual([{ role: 'user', content: '3' }]);
  });
});
