// Where the runtime keeps A2A tasks and conversation history, chosen by one environment variable:
//   METAGENT_STORE=memory (default) | sqlite:/path/to/file.db | postgres://user:pass@host:5432/db (or postgresql://)
// Backends load lazily so the default in-memory runtime never pays for sql.js, Kysely or pg at startup.
import type { Stores } from './types.js';

export type { ConversationStore, Stores, TaskStore } from './types.js';

export const STORE_ENV = 'METAGENT_STORE';

export type StoreSpec =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string };

const USAGE = `${STORE_ENV} must be "memory", "sqlite:<file path>" or a "postgres://" / "postgresql://" URL`;

/** The backend a METAGENT_STORE value names; throws a message naming the variable for anything else. */
export function parseStoreSpec(value: string | undefined): StoreSpec {
  const v = (value ?? '').trim();
  if (v === '' || v === 'memory') return { kind: 'memory' };
  if (v.startsWith('sqlite:')) {
    // sqlite:/abs/file.db, sqlite:relative.db and sqlite:///abs/file.db all name a file.
    const path = v.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error(`${STORE_ENV}: "sqlite:" needs a file path, e.g. sqlite:/data/metagent.db`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(v)) return { kind: 'postgres', url: v };
  // The value may be a URL holding a password: echo only its scheme.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(v)?.[0] ?? v.slice(0, 12);
  throw new Error(`${USAGE}; got a value starting with "${scheme}"`);
}

const openers: { [K in StoreSpec['kind']]: (spec: Extract<StoreSpec, { kind: K }>) => Promise<Stores> } = {
  memory: async () => (await import('./memory.js')).openMemoryStores(),
  sqlite: async (spec) => (await import('./sqlite-file.js')).openSqliteFileStores(spec.path),
  postgres: async (spec) => (await import('./postgres.js')).openPostgresStores(spec.url),
};

/** Opens the task and conversation stores METAGENT_STORE names (memory when unset). */
export async function createStores(env: NodeJS.ProcessEnv): Promise<Stores> {
  const spec = parseStoreSpec(env[STORE_ENV]);
  return (openers[spec.kind] as (s: StoreSpec) => Promise<Stores>)(spec);
}
