// The A2A events of a task's life: the task itself as the first event, status updates carrying kagent's event
// metadata, the answer artifact, and the cancelled status. Every update after a final one is dropped.
import { TaskState, type Part, type Task } from '@a2a-js/sdk';
import { AgentEvent, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import { agentMessage, textPart } from '../a2a/parts.js';
import type { Running } from './deps.js';

export type PublishStatus = (
  state: TaskState,
  parts: Part[] | undefined,
  final?: boolean,
  extra?: Record<string, unknown>,
) => void;

/** kagent's event metadata (kagent-adk's event converter), so kagent's UI can attribute events. */
export function eventMetadata(agentName: string, taskId: string, contextId: string): Record<string, string> {
  return {
    kagent_app_name: agentName,
    kagent_session_id: contextId,
    kagent_invocation_id: taskId,
    kagent_author: agentName,
  };
}

/** Publishes status updates of `run`'s task; `final` settles it, after which nothing more is published. */
export function statusPublisher(
  run: Running,
  taskId: string,
  contextId: string,
  eventMeta: Record<string, string>,
): PublishStatus {
  const ids = { taskId, contextId };
  return (state, parts, final = false, extra) => {
    if (run.settled) return;
    if (final) run.settled = true;
    run.bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: { state, message: parts ? agentMessage(parts, ids) : undefined, timestamp: new Date().toISOString() },
        metadata: extra ? { ...eventMeta, ...extra } : eventMeta,
      }),
    );
  };
}

/**
 * The SDK requires a task (or message) as the first event of every execution, follow-ups included. It starts out
 * `working`: a separate submitted → working status update would be one more task-store round (load, merge, save, and
 * the SDK's copies) per message, and nothing observes the task between the two.
 */
export function publishFirstTask(bus: ExecutionEventBus, ctx: RequestContext, eventMeta: Record<string, string>): void {
  const { taskId, contextId } = ctx;
  const working = { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: new Date().toISOString() };
  const first: Task = ctx.task
    ? { ...ctx.task, status: working }
    : { id: taskId, contextId, status: working, artifacts: [], history: [ctx.userMessage], metadata: eventMeta };
  bus.publish(AgentEvent.task(first));
}

/** The final answer as the task's one artifact. */
export function publishAnswer(bus: ExecutionEventBus, taskId: string, contextId: string, text: string): void {
  bus.publish(
    AgentEvent.artifactUpdate({
      taskId,
      contextId,
      artifact: {
        artifactId: `${taskId}-answer`,
        name: 'answer',
        description: '',
        parts: [textPart(text)],
        metadata: undefined,
        extensions: [],
      },
      append: false,
      lastChunk: true,
      metadata: undefined,
    }),
  );
}

export function publishCancelled(bus: ExecutionEventBus, taskId: string, contextId: string): void {
  bus.publish(
    AgentEvent.statusUpdate({
      taskId,
      contextId,
      status: {
        state: TaskState.TASK_STATE_CANCELED,
        message: agentMessage([textPart('Task cancelled.')], { taskId, contextId }),
        timestamp: new Date().toISOString(),
      },
      metadata: undefined,
    }),
  );
}
