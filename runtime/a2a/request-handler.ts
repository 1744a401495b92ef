// The SDK's request handler with the one answer the runtime gives differently: cancelling a task that is already
// cancelled is TaskNotCancelableError (A2A 1.0 §3.1.5: "The task is not in a cancelable state (e.g., already
// completed, failed, or canceled)"); the SDK answers it with the task, as if the cancel had worked. And, with share
// links on, a message carrying a share token is checked before it is accepted (share/guard.ts).
import {
  TaskState,
  type AgentCard,
  type CancelTaskRequest,
  type Message,
  type SendMessageRequest,
  type StreamResponse,
  type Task,
} from '@a2a-js/sdk';
import { TaskNotCancelableError } from '@a2a-js/sdk/errors';
import { DefaultRequestHandler, type AgentExecutor, type ServerCallContext, type TaskStore } from '@a2a-js/sdk/server';

export class RuntimeRequestHandler extends DefaultRequestHandler {
  constructor(
    card: AgentCard,
    private readonly tasks: TaskStore,
    executor: AgentExecutor,
    /** Refuses a message whose share token does not allow sending (undefined: share links are off). */
    private readonly checkMessage?: (params: SendMessageRequest, context: ServerCallContext) => Promise<void>,
  ) {
    super(card, tasks, executor);
  }

  override async sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    await this.checkMessage?.(params, context);
    return super.sendMessage(params, context);
  }

  override async *sendMessageStream(
    params: SendMessageRequest,
    context: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    await this.checkMessage?.(params, context);
    yield* super.sendMessageStream(params, context);
  }

  override async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    const task = typeof params.id === 'string' && params.id ? await this.tasks.load(params.id, context) : undefined;
    if (task?.status?.state === TaskState.TASK_STATE_CANCELED)
      throw new TaskNotCancelableError(`Task not cancelable: ${params.id} is already canceled`);
    return super.cancelTask(params, context);
  }
}
