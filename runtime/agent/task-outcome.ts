// How a task ends when it does not complete: a cancelled task (its signal aborted) ends `canceled`; a model error or
// any other failure ends `failed` with the reason in the status message, counted by kind (llm, internal) and logged.
import { TaskState } from '@a2a-js/sdk';
import { textPart } from '../a2a/parts.js';
import { LlmError } from '../models/retry.js';
import type { ExecutorDeps } from './deps.js';
import type { LoopOutcome } from './loop.js';
import type { PublishStatus } from './task-events.js';

/** The final states' names as the task-duration metric labels them. */
const STATE_NAME: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_COMPLETED]: 'completed',
  [TaskState.TASK_STATE_FAILED]: 'failed',
  [TaskState.TASK_STATE_CANCELED]: 'canceled',
  [TaskState.TASK_STATE_INPUT_REQUIRED]: 'input-required',
};

export function stateName(state: TaskState): string {
  return STATE_NAME[state] ?? String(state);
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err as Error)?.name === 'AbortError';
}

/** Publishes the final status for an error that ended the task; returns the state it ended in. */
export function endWithError(
  deps: Pick<ExecutorDeps, 'telemetry' | 'log'>,
  ids: { taskId: string; contextId: string },
  err: unknown,
  signal: AbortSignal,
  publishStatus: PublishStatus,
): TaskState {
  if (isAbort(err, signal)) {
    publishStatus(TaskState.TASK_STATE_CANCELED, [textPart('Task cancelled.')], true);
    return TaskState.TASK_STATE_CANCELED;
  }
  const kind = err instanceof LlmError ? 'llm' : 'internal';
  deps.telemetry.metrics.error(kind);
  deps.log.error({ taskId: ids.taskId, contextId: ids.contextId, err: (err as Error).message }, 'task failed');
  publishStatus(TaskState.TASK_STATE_FAILED, [textPart(`Task failed: ${(err as Error).message}`)], true);
  return TaskState.TASK_STATE_FAILED;
}

export function publishNoModel(publishStatus: PublishStatus): TaskState {
  publishStatus(
    TaskState.TASK_STATE_FAILED,
    [textPart('This agent has no model configured (a BYO agent serves A2A from its own image).')],
    true,
  );
  return TaskState.TASK_STATE_FAILED;
}

export function publishMaxIterations(
  publishStatus: PublishStatus,
  outcome: Extract<LoopOutcome, { kind: 'max-iterations' }>,
): TaskState {
  publishStatus(
    TaskState.TASK_STATE_FAILED,
    [
      textPart(
        `Stopped after ${outcome.iterations} model iterations without a final answer (limit: METAGENT_MAX_ITERATIONS=${outcome.iterations}).`,
      ),
    ],
    true,
  );
  return TaskState.TASK_STATE_FAILED;
}
