// A task that was submitted or working when its runtime died (SIGKILL, OOM kill, node crash) would stay "working"
// forever: nothing is running it any more. A SQLite file is only ever open in one process (sqlite-file.ts holds its
// exclusive lock), so at open every such task in the file is an orphan, whichever agent scope it belongs to; it is
// marked failed, with a status message saying why, so that a client polling tasks/get learns it will not finish.
// Tasks waiting for input (input-required, auth-required) are not touched: they resume from the stored status.
// PostgreSQL is shared by live replicas, whose working tasks are not orphans, so it does not do this.
import { Message, TaskState, TaskStatus, taskStateToJSON } from '@a2a-js/sdk';
import { TASK_TABLE } from '@a2a-js/sdk/server/database';
import { sql, type Kysely } from 'kysely';
import { agentMessage, textPart } from '../a2a/parts.js';

export const INTERRUPTED_TEXT =
  'Task failed: the agent runtime stopped while this task was running, so it did not finish. Send the message again to retry.';

const RUNNING = [TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING].map(taskStateToJSON);

interface TaskRow {
  tenant: string;
  owner: string;
  id: string;
  context_id: string;
  history: string | null;
}

/** The stored history with `message` appended, in the SDK's JSON (what DatabaseTaskStore writes); unchanged if unreadable. */
function historyWith(row: TaskRow, message: Message): string | null {
  try {
    const history = row.history ? (JSON.parse(row.history) as unknown[]) : [];
    return JSON.stringify([...history, Message.toJSON(message)]);
  } catch {
    return row.history; // a row the SDK could not read either; its state still changes
  }
}

/** Marks every submitted or working task failed (see above); returns how many there were. */
export async function failInterruptedTasks(db: Kysely<any>, now: number): Promise<number> {
  const rows = (
    await sql<TaskRow>`
      select tenant, owner, id, context_id, history from ${sql.table(TASK_TABLE)}
      where status_state in (${sql.join(RUNNING.map((s) => sql`${s}`))})`.execute(db)
  ).rows;
  for (const row of rows) {
    const message = agentMessage([textPart(INTERRUPTED_TEXT)], { contextId: row.context_id, taskId: row.id });
    const status = { state: TaskState.TASK_STATE_FAILED, message, timestamp: new Date(now).toISOString() };
    await db
      .updateTable(TASK_TABLE)
      .set({
        status_state: taskStateToJSON(TaskState.TASK_STATE_FAILED),
        status_last_updated: now,
        status: JSON.stringify(TaskStatus.toJSON(status)),
        // As the SDK's ResultManager does with a status update's message.
        history: historyWith(row, message),
      })
      .where('tenant', '=', row.tenant)
      .where('owner', '=', row.owner)
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}
