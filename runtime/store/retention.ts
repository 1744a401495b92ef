// The retention sweep of the SQLite and PostgreSQL stores (METAGENT_STORE_RETENTION_DAYS). Without it a durable store
// keeps every task and message forever. Within this agent's scope only — rows of other agents sharing the database
// are never touched — it deletes:
//   - tasks in a final state (FINAL_STATES) whose status was last updated before the cutoff (now − retention);
//   - the messages of conversations whose newest message is older than the cutoff, unless the context still has a
//     task that is not final (e.g. input-required, waiting for an approval): resuming it needs the conversation;
//   - the share links of those contexts (a link made before the cutoff whose context has no message since).
// The cutoff is bound as a parameter, never taken from a SQL clock function, so tests drive the sweep with their own
// clock. The timer is thin; the cutoff, the interval and the statements are plain functions below.
import { TASK_TABLE } from '@a2a-js/sdk/server/database';
import { taskStateToJSON } from '@a2a-js/sdk';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { FINAL_STATES } from './final-states.js';
import { CONVERSATION_TABLE, MEMORY_TABLE, SHARE_TABLE, dialectTypes, type SqlDialect } from './sql.js';
import type { SweepResult } from './types.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The first sweep runs this long after start: off the startup path, soon enough that a restart loop still sweeps. */
export const FIRST_SWEEP_DELAY_MS = 5_000;

/** What the sweeper reports through; a pino Logger fits. */
export interface SweepLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
}

export interface RetentionOptions {
  /** Rows older than this many ms are swept; undefined keeps everything (no timer, sweep() deletes nothing). */
  retentionMs?: number;
  /** The clock (epoch ms): conversation rows are stamped with it and the sweep's cutoff is taken from it. */
  now?: () => number;
  log?: SweepLog;
  /** Delay of the first sweep after start (default FIRST_SWEEP_DELAY_MS). */
  firstSweepDelayMs?: number;
}

/** Rows last touched before this instant are expired. Whole ms: the task and conversation times are bigints. */
export function retentionCutoff(now: number, retentionMs: number): number {
  return Math.floor(now - retentionMs);
}

/** Hourly, or every tenth of the retention when that is shorter, but never more often than once a minute. */
export function retentionIntervalMs(retentionMs: number): number {
  return Math.max(MINUTE_MS, Math.min(HOUR_MS, Math.floor(retentionMs / 10)));
}

/** The task table stores states as the SDK's JSON names (taskStateToJSON), e.g. "TASK_STATE_COMPLETED". */
export const FINAL_STATE_NAMES: readonly string[] = [...FINAL_STATES].flatMap((s) =>
  s === undefined ? [] : [taskStateToJSON(s)],
);

/**
 * SqlTaskStore prefixes the SDK's owner with "<scope>|" (see sql.ts); an unscoped agent's owners are the bare user
 * names. The prefix is matched as a binary range — exact, whatever the case, unlike SQLite's LIKE — so a scope must
 * not itself contain "|" (checkSweepScope), or scope "a" would match scope "a|b"'s rows.
 */
export function ownerInScope(dialect: SqlDialect, scope: string): RawBuilder<unknown> {
  const owner = sql`owner ${sql.raw(dialectTypes[dialect].collation)}`;
  return scope ? sql`(${owner} >= ${`${scope}|`} and ${owner} < ${`${scope}}`})` : sql`${owner} not like '%|%'`;
}

/** Throws when a scope would make the owner-prefix match ambiguous (the message names the scope variable). */
export function checkSweepScope(scope: string): void {
  if (scope.includes('|')) {
    throw new Error(
      `METAGENT_STORE_SCOPE "${scope}" contains "|", which separates the scope from the user in stored task owners; ` +
        "the retention sweep (METAGENT_STORE_RETENTION_DAYS) could not tell its rows from another agent's",
    );
  }
}

const count = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0n);

/** Deletes this scope's expired tasks and conversations; what was deleted is returned. */
export async function deleteExpired(
  db: Kysely<any>,
  dialect: SqlDialect,
  scope: string,
  cutoff: number,
): Promise<SweepResult> {
  const tasks = sql.table(TASK_TABLE);
  const conv = sql.table(CONVERSATION_TABLE);
  const owned = ownerInScope(dialect, scope);
  const finals = sql.join(FINAL_STATE_NAMES.map((name) => sql`${name}`));
  const deletedTasks = await sql`
    delete from ${tasks}
    where ${owned} and status_state in (${finals}) and status_last_updated < ${cutoff}`.execute(db);
  // A context goes when every message has a time (count(created_at) = count(*): a row written without one, by an
  // older runtime during a rolling upgrade, means "age unknown" and keeps the context) and the newest is expired.
  const deletedMessages = await sql`
    delete from ${conv}
    where scope = ${scope}
      and context_id in (
        select context_id from ${conv} where scope = ${scope}
        group by context_id
        having max(created_at) < ${cutoff} and count(created_at) = count(*))
      and not exists (
        select 1 from ${tasks}
        where ${sql.ref(`${TASK_TABLE}.context_id`)} = ${sql.ref(`${CONVERSATION_TABLE}.context_id`)}
          and ${owned}
          and (status_state is null or status_state not in (${finals})))`.execute(db);
  // The same rule for share links, as one statement: a link older than the cutoff goes when its context has no message
  // since the cutoff (nor one of unknown age) and no live task — so with the conversation just deleted, and also
  // when that conversation never got a message (a first turn that failed after creating the link).
  const deletedShares = await sql`
    delete from ${sql.table(SHARE_TABLE)}
    where scope = ${scope}
      and created_at < ${cutoff}
      and not exists (
        select 1 from ${conv}
        where ${conv}.scope = ${scope}
          and ${conv}.context_id = ${sql.ref(`${SHARE_TABLE}.context_id`)}
          and (${conv}.created_at is null or ${conv}.created_at >= ${cutoff}))
      and not exists (
        select 1 from ${tasks}
        where ${sql.ref(`${TASK_TABLE}.context_id`)} = ${sql.ref(`${SHARE_TABLE}.context_id`)}
          and ${owned}
          and (status_state is null or status_state not in (${finals})))`.execute(db);
  const shares = count(deletedShares);
  return { tasks: count(deletedTasks), messages: count(deletedMessages), ...(shares ? { shares } : {}) };
}

/**
 * Deletes this scope's long-term memories whose TTL (memory.ttl_days) ended at or before `now`, for every user. Their
 * own expiry, not METAGENT_STORE_RETENTION_DAYS, decides: memories are meant to outlive conversations. runtime/memory
 * runs it on its own timer whenever memory is configured (searches never return an expired row meanwhile).
 */
export async function deleteExpiredMemories(db: Kysely<any>, scope: string, now: number): Promise<number> {
  const deleted =
    await sql`delete from ${sql.table(MEMORY_TABLE)} where scope = ${scope} and expires_at is not null and expires_at <= ${Math.floor(now)}`.execute(
      db,
    );
  return count(deleted);
}

export interface Sweeper {
  /** Sweeps with the cutoff `now − retention` (now defaults to the clock); after stop() it deletes nothing. */
  sweep(now?: number): Promise<SweepResult>;
  /** Stops the timer and waits for a sweep in progress, so the caller can close the database after it. */
  stop(): Promise<void>;
}

/**
 * The sweep of one store and its timer: once FIRST_SWEEP_DELAY_MS after start, then every retentionIntervalMs. The
 * timer is unref'd (it never keeps the process alive); a failed sweep (database down) is logged and retried at the
 * next tick; the next tick is scheduled when one ends, so they never overlap.
 */
export function startSweeper(
  run: (cutoff: number) => Promise<SweepResult>,
  opts: RetentionOptions & { store: string },
): Sweeper {
  const { retentionMs, log } = opts;
  const clock = opts.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** Sweeps in progress (the timer's and direct calls), which stop() waits for. */
  const inflight = new Set<Promise<unknown>>();

  const sweep = (now = clock()): Promise<SweepResult> => {
    if (stopped || retentionMs === undefined) return Promise.resolve({ tasks: 0, messages: 0 });
    const p = run(retentionCutoff(now, retentionMs));
    const settled = p.catch(() => {}).finally(() => inflight.delete(settled));
    inflight.add(settled);
    return p;
  };

  const tick = async () => {
    if (stopped) return;
    try {
      const result = await sweep();
      if (result.tasks > 0 || result.messages > 0 || result.shares) {
        log?.info(
          {
            store: opts.store,
            deletedTasks: result.tasks,
            deletedMessages: result.messages,
            ...(result.shares ? { deletedShares: result.shares } : {}),
            retentionDays: retentionMs! / DAY_MS,
          },
          'retention sweep deleted expired rows',
        );
      }
    } catch (err) {
      const fields = { store: opts.store, err: (err as Error).message };
      if (log) log.warn(fields, 'retention sweep failed; retrying at the next tick');
      else process.emitWarning(`retention sweep of ${opts.store} failed; retrying at the next tick: ${fields.err}`);
    }
  };

  if (retentionMs !== undefined) {
    const schedule = (delay: number) => {
      timer = setTimeout(() => {
        void tick().then(() => {
          if (!stopped) schedule(retentionIntervalMs(retentionMs));
        });
      }, delay);
      timer.unref();
    };
    schedule(opts.firstSweepDelayMs ?? FIRST_SWEEP_DELAY_MS);
  }

  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inflight]);
    },
  };
}
