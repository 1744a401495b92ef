// The A2A task states in which a task can no longer change. A task in one of these may be forgotten (the in-memory
// store's bound, the SQL stores' retention sweep); any other state (submitted, working, input-required,
// auth-required) may still be resumed, so its task — and its conversation — is kept however old.
import { TaskState } from '@a2a-js/sdk';

export const FINAL_STATES: ReadonlySet<TaskState | undefined> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
]);
