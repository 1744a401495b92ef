// The share-link store on every backend (Map, SQLite, PostgreSQL): tokens, owner-only listing and deletion, contexts
// and agents kept apart, links surviving a reopen of the durable stores.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MapShareStore } from '../../runtime/share/map-store.js';
import type { ShareStore } from '../../runtime/share/types.js';
import { openSqliteFileStores } from '../../runtime/store/sqlite-file.js';
import { openPostgresStores } from '../../runtime/store/postgres.js';
import type { Stores } from '../../runtime/store/index.js';
import { usePostgres } from './postgres-server.js';

const postgres = usePostgres();
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metagent-share-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
type Open = (scope: string) => Promise<Stores>;
const backends: Array<{ name: string; skip(): string | undefined; opener(): Open | undefined }> = [
  { name: 'memory (Map)', skip: () => undefined, opener: () => undefined },
  {
    name: 'sqlite file',
    skip: () => undefined,
    opener: () => {
      const file = join(dir, `shares-${++n}.db`);
      return (scope) => openSqliteFileStores(file, { scope });
    },
  },
  {
    name: 'postgresql',
    skip: () => postgres.skipReason(),
    opener: () => (scope) => openPostgresStores(postgres.url()!, { scope }),
  },
];

describe.each(backends)('$name share store', (backend) => {
  const T = Date.UTC(2026, 11, 1);

  it('creates tokens; lists and deletes for the owner only; resolves by token alone', async (t) => {
    const skip = backend.skip();
    if (skip) return t.skip(skip);
    const open = backend.opener();
    const scope = `ns/agent-${Math.random()}`;
    const stores = open ? await open(scope) : undefined;
    const store: ShareStore = stores?.shares ?? new MapShareStore(10_000, () => T);
    try {
      const a = await store.create('ctx-1', 'alice', true);
      const b = await store.create('ctx-1', 'alice', false);
      const c = await store.create('ctx-2', 'alice', true);
      const d = await store.create('ctx-1', 'bob', true);
      const tokens = [a, b, c, d].map((l) => l.token);
      expect(new Set(tokens).size).toBe(4);
      for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(a.readOnly).toBe(true);
      expect(b.readOnly).toBe(false);
      expect(typeof a.createdAt).toBe('number');

      expect((await store.list('ctx-1', 'alice')).map((l) => l.token).sort()).toEqual([a.token, b.token].sort());
      expect(await store.list('ctx-1', 'alice')).toContainEqual(b);
      expect((await store.list('ctx-1', 'bob')).map((l) => l.token)).toEqual([d.token]);
      expect(await store.list('ctx-3', 'alice')).toEqual([]);
      expect((await store.tokens('ctx-1')).sort()).toEqual([a.token, b.token, d.token].sort()); // every owner's
      expect(await store.tokens('ctx-3')).toEqual([]);
      expect(await store.resolve(b.token)).toEqual({ contextId: 'ctx-1', readOnly: false });
      expect(await store.resolve(c.token)).toEqual({ contextId: 'ctx-2', readOnly: true });

      // Not the owner, not the context, not a token: nothing deleted.
      expect(await store.delete('ctx-1', 'bob', a.token)).toBe(false);
      expect(await store.delete('ctx-2', 'alice', a.token)).toBe(false);
      expect(await store.delete('ctx-1', 'alice', 'no-such-token')).toBe(false);
      expect(await store.resolve(a.token)).toBeDefined();
      expect(await store.delete('ctx-1', 'alice', a.token)).toBe(true);
      expect(await store.delete('ctx-1', 'alice', a.token)).toBe(false);
      expect(await store.resolve(a.token)).toBeUndefined();
      expect(await store.resolve('')).toBeUndefined();
      expect((await store.list('ctx-1', 'alice')).map((l) => l.token)).toEqual([b.token]);
      expect((await store.tokens('ctx-1')).sort()).toEqual([b.token, d.token].sort());

      if (open && stores) {
        await stores.close();
        const again = await open(scope);
        try {
          expect(await again.shares!.resolve(b.token)).toEqual({ contextId: 'ctx-1', readOnly: false });
          expect(await again.shares!.list('ctx-1', 'alice')).toEqual([b]);
        } finally {
          await again.close(); // SQLite: one process may hold the file, so the other agent opens it after
        }
        // Another agent sharing the database sees none of them.
        const other = await open(`${scope}-other`);
        try {
          expect(await other.shares!.resolve(b.token)).toBeUndefined();
          expect(await other.shares!.list('ctx-1', 'alice')).toEqual([]);
          expect(await other.shares!.delete('ctx-1', 'alice', b.token)).toBe(false);
        } finally {
          await other.close();
        }
      }
    } finally {
      await stores?.close();
    }
  });
});

describe('memory (Map) share store bound', () => {
  it('drops the oldest link past its bound', async () => {
    const store = new MapShareStore(2);
    const first = await store.create('c', 'u', true);
    await store.create('c', 'u', true);
    await store.create('c', 'u', true);
    expect(await store.resolve(first.token)).toBeUndefined();
    expect(await store.list('c', 'u')).toHaveLength(2);
  });
});
