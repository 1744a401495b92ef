// Choosing a store backend from METAGENT_STORE, and the in-memory backend's contract.
import { ServerCallContext } from '@a2a-js/sdk/server';
import type { Task } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { createStores, parseStoreSpec, storeScope } from '../../runtime/store/index.js';

describe('parseStoreSpec', () => {
  it('defaults to memory', () => {
    expect(parseStoreSpec(undefined)).toEqual({ kind: 'memory' });
    expect(parseStoreSpec('')).toEqual({ kind: 'memory' });
    expect(parseStoreSpec(' memory ')).toEqual({ kind: 'memory' });
  });

  it('reads sqlite file paths in every spelling', () => {
    expect(parseStoreSpec('sqlite:/data/a.db')).toEqual({ kind: 'sqlite', path: '/data/a.db' });
    expect(parseStoreSpec('sqlite:///data/a.db')).toEqual({ kind: 'sqlite', path: '/data/a.db' });
    expect(parseStoreSpec('sqlite:rel/a.db')).toEqual({ kind: 'sqlite', path: 'rel/a.db' });
  });

  it('reads PostgreSQL URLs whole', () => {
    expect(parseStoreSpec('postgres://u:p@db:5432/x?sslmode=require')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/x?sslmode=require',
    });
    expect(parseStoreSpec('postgresql://db/x').kind).toBe('postgres');
  });

  it('rejects anything else naming the variable, without echoing a password', () => {
    expect(() => parseStoreSpec('sqlite:')).toThrow(/METAGENT_STORE: "sqlite:" needs a file path/);
    expect(() => parseStoreSpec('mysql://root:hunter2@db/x')).toThrow(
      /METAGENT_STORE must be .*got a value starting with "mysql:"/,
    );
    expect(() => parseStoreSpec('mysql://root:hunter2@db/x')).not.toThrow(/hunter2/);
    expect(() => parseStoreSpec('redis')).toThrow(/METAGENT_STORE/);
  });

  it('createStores refuses an unknown backend before opening anything', async () => {
    await expect(createStores({ METAGENT_STORE: 'etcd://x' })).rejects.toThrow(/METAGENT_STORE/);
  });
});

function task(id: string, contextId: string, state: number, timestamp: string): Task {
  return {
    id,
    contextId,
    status: { state, message: undefined, timestamp },
    artifacts: [],
    history: [],
    metadata: { n: 1 },
  };
}

describe('storeScope', () => {
  it('names the agent from the pod environment, or METAGENT_STORE_SCOPE', () => {
    expect(storeScope({ KAGENT_NAMESPACE: 'kagent', KAGENT_NAME: 'k8s-agent' })).toBe('kagent/k8s-agent');
    expect(storeScope({ KAGENT_NAME: 'k8s-agent' })).toBe('k8s-agent');
    expect(storeScope({ KAGENT_NAMESPACE: 'kagent', KAGENT_NAME: 'a', METAGENT_STORE_SCOPE: 'shared' })).toBe('shared');
    expect(storeScope({ KAGENT_NAMESPACE: 'kagent' })).toBe('');
    expect(storeScope({})).toBe('');
  });
});

describe('memory stores', () => {
  it('keeps tasks and conversations, and hands out copies', async () => {
    const stores = await createStores({});
    const ctx = new ServerCallContext();
    const t = task('t1', 'c1', 2, '2026-01-01T00:00:00.000Z');
    await stores.taskStore.save(t, ctx);
    t.metadata = { mutated: true };
    expect((await stores.taskStore.load('t1', ctx))?.metadata).toEqual({ n: 1 });
    expect(await stores.taskStore.load('missing', ctx)).toBeUndefined();

    expect(await stores.conversations.load('c1')).toEqual([]);
    await stores.conversations.append('c1', [{ role: 'user', content: 'a' }]);
    await stores.conversations.append('c1', []);
    await stores.conversations.append('c1', [
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ]);
    const loaded = await stores.conversations.load('c1');
    expect(loaded.map((m: any) => m.content)).toEqual(['a', 'b', 'c']);
    (loaded[0] as any).content = 'changed';
    expect(((await stores.conversations.load('c1'))[0] as any).content).toBe('a');
    expect(await stores.conversations.load('c2')).toEqual([]);
    await stores.close();
  });
});
