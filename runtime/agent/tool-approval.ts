// Tools that need a human decision (kagent's require_approval): the task pauses as `input-required` with each pending
// call as a data part; the next message resumes it, running the approved calls and telling the model which were
// rejected (with the user's reason, or the words they replied with instead of a decision).
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { approvalRequestPart, decisionsOf, pendingCallsOf, textPart, type PendingCall } from '../a2a/parts.js';
import type { ChatMessage, ToolCall } from '../models/types.js';
import { runToolCalls, type LoopDeps, type LoopOutcome } from './loop.js';
import type { PublishStatus } from './task-events.js';

/** The calls a paused task is waiting on; none unless the task is `input-required`. */
export function pendingCalls(task: Task | undefined): PendingCall[] {
  return task?.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED ? pendingCallsOf(task.status.message) : [];
}

/**
 * A resume: the stored conversation ends with the assistant's tool calls; returns the messages that follow them —
 * the rejected calls' results, the approved calls' results, and the user's words when they carried a new request.
 */
export async function resumePendingCalls(
  pending: PendingCall[],
  userMessage: Message,
  userText: string,
  loopDeps: LoopDeps,
): Promise<ChatMessage[]> {
  const decisions = decisionsOf(userMessage, pending);
  const approved = new Set<string>();
  const resumed: ChatMessage[] = [];
  for (const p of pending) {
    const d = decisions?.get(p.id);
    if (d?.decision === 'approve') approved.add(p.id);
    else {
      const why = d?.reason ? ` Reason: ${d.reason}` : decisions ? '' : ` The user replied instead: ${userText}`;
      const text = `The user rejected this call to ${p.name}; it was not run.${why}`;
      loopDeps.emit({
        type: 'tool-result',
        call: asCall(p),
        result: text,
        isError: true,
        outcome: 'rejected',
        seconds: 0,
      });
      resumed.push({ role: 'tool', toolCallId: p.id, name: p.name, content: text });
    }
  }
  const calls = pending.filter((p) => approved.has(p.id)).map(asCall);
  const ran = await runToolCalls(calls, loopDeps, approved);
  const fresh = [...resumed, ...ran.messages];
  // A decision given as plain words carries no new request; anything else is a new user turn.
  if (!decisions && userText) fresh.push({ role: 'user', content: userText });
  return fresh;
}

/** Pauses the task: the final `input-required` status naming the calls, each as an approval request part. */
export function publishApprovalRequest(
  publishStatus: PublishStatus,
  outcome: Extract<LoopOutcome, { kind: 'input-required' }>,
): void {
  const names = outcome.pending.map((p) => p.call.name).join(', ');
  publishStatus(
    TaskState.TASK_STATE_INPUT_REQUIRED,
    [
      textPart(
        `Approval required before running: ${names}. Reply with {"decision_type": "approve"} or {"decision_type": "reject"}.`,
      ),
      ...outcome.pending.map((p) => approvalRequestPart({ id: p.call.id, name: p.call.name, args: p.args })),
    ],
    true,
  );
}

function asCall(p: PendingCall): ToolCall {
  return { id: p.id, name: p.name, arguments: JSON.stringify(p.args ?? {}) };
}
