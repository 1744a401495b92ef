// Where the runtime keeps A2A tasks and conversation history, chosen by one environment variable:
//   METAGENT_STORE=memory (default) | sqlite:/path/to/file.db | postgres://user:pass@host:5432/db (or postgresql://)
// Backends load lazily so the default in-memory runtime never pays for node:sqlite, Kysely or pg at startup.
// Several agents may share one database (one PostgreSQL for a cluster's agents): each agent's rows carry its scope,
// METAGENT_STORE_SCOPE or else "<KAGENT_NAMESPACE>/<KAGENT_NAME>" (set in every agent pod), so agents never see each
// other's tasks or conversations even when a client reuses a contextId across agents.
// METAGENT_STORE_RETENTION_DAYS turns on the SQLite and PostgreSQL stores' retention sweep (retention.ts).
import type { Stores } from './types.js';
import type { RetentionOptions } from './retention.js';
import { readSettings } from '../settings.js';

export type { ConversationStore, Stores, SweepResult, TaskStore } from './types.js';
export type { SweepLog } from './retention.js';

export const STORE_ENV = 'METAGENT_STORE';
export const SCOPE_ENV = 'METAGENT_STORE_SCOPE';

/** The agent's scope within a shared database; '' when nothing names the agent (a local run). */
export function storeScope(env: NodeJS.ProcessEnv): string {
  const explicit = env[SCOPE_ENV]?.trim();
  if (explicit) return explicit;
  const name = env.KAGENT_NAME?.trim() ?? '';
  const namespace = env.KAGENT_NAMESPACE?.trim() ?? '';
  return name ? (namespace ? `${namespace}/${name}` : name) : '';
}

export type StoreSpec = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

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

/** What the caller adds to the environment: where the retention sweep reports; for tests, its clock and first delay. */
export type StoreOptions = Pick<RetentionOptions, 'log' | 'now' | 'firstSweepDelayMs'>;

type Opener<K extends StoreSpec['kind']> = (
  spec: Extract<StoreSpec, { kind: K }>,
  scope: string,
  env: NodeJS.ProcessEnv,
  opts: StoreOptions,
) => Promise<Stores>;

/** The durable backends' retention settings (METAGENT_STORE_RETENTION_DAYS, validated by readSettings). */
const retention = (env: NodeJS.ProcessEnv, opts: StoreOptions) => ({
  retentionMs: readSettings(env).storeRetentionMs,
  ...opts,
});

const openers: { [K in StoreSpec['kind']]: Opener<K> } = {
  // One agent per process: nothing to scope. Bounded by count, so a long-lived pod's memory does not grow without
  // end; METAGENT_STORE_RETENTION_DAYS does not apply (it is still validated: a bad value fails every backend).
  memory: async (_spec, _scope, env) => {
    const { memoryMaxTasks, memoryMaxContexts } = readSettings(env);
    const stores = await (
      await import('./memory.js')
    ).openMemoryStores({ maxTasks: memoryMaxTasks, maxContexts: memoryMaxContexts });
    const { MapMemoryStore } = await import('../memory/map-store.js');
    return { ...stores, memories: new MapMemoryStore() };
  },
  sqlite: async (spec, scope, env, opts) =>
    (await import('./sqlite-file.js')).openSqliteFileStores(spec.path, { scope, ...retention(env, opts) }),
  postgres: async (spec, scope, env, opts) =>
    (await import('./postgres.js')).openPostgresStores(spec.url, { scope, ...retention(env, opts) }),
};

/** Opens the task and conversation stores METAGENT_STORE names (memory when unset). */
export async function createStores(env: NodeJS.ProcessEnv, opts: StoreOptions = {}): Promise<Stores> {
  const spec = parseStoreSpec(env[STORE_ENV]);
  return (openers[spec.kind] as Opener<StoreSpec['kind']>)(spec, storeScope(env), env, opts);
}
