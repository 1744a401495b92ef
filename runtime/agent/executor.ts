// The A2A side of the agent: an @a2a-js/sdk AgentExecutor that runs the loop for each message and publishes the task's
// life as A2A events — text deltas and tool traffic as `working` status updates, the answer as an artifact and the
// final status, a tool needing approval as `input-required` with the pending call as a data part.
// This file holds the task lifecycle (start, cancel, shutdown, one task per context at a time, the task span and
// duration metric); what happens inside a task is task-run.ts, and its parts are named for what they do.
import { SpanKind } from '@opentelemetry/api';
import { TaskState } from '@a2a-js/sdk';
import type { AgentExecutor, ExecutionEventBus, RequestContext } from '@a2a-js/sdk/server';
import { agentTaskAttributes, contextFromTraceparent, withSpan } from '../telemetry/index.js';
import { ContextQueue } from './context-queue.js';
import type { ExecutorDeps, Running } from './deps.js';
import { requestHeaders } from './request-identity.js';
import { eventMetadata, publishCancelled, publishFirstTask, statusPublisher } from './task-events.js';
import { endWithError, stateName } from './task-outcome.js';
import { runTask } from './task-run.js';
import { Toolbox } from './tool-dispatch.js';

export class AgentRuntimeExecutor implements AgentExecutor {
  private readonly running = new Map<string, Running>();
  /** Context id of each task that may still be cancelled (running or paused for input). */
  private readonly contexts = new Map<string, string>();
  private readonly queue = new ContextQueue();
  private readonly toolbox: Toolbox;

  constructor(private readonly deps: ExecutorDeps) {
    this.toolbox = new Toolbox(deps);
  }

  /** Tasks still executing, for graceful shutdown. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Cancels every running task (shutdown after the grace period). */
  cancelAll(): void {
    for (const [taskId, run] of this.running) void this.cancelTask(taskId, run.bus);
  }

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.running.get(taskId);
    if (run) {
      run.controller.abort(new DOMException('task cancelled', 'AbortError'));
      if (run.settled) return;
      run.settled = true;
    }
    // Published here, not by the aborted loop, so tasks/cancel answers without waiting for in-flight calls to unwind.
    const contextId = (await this.contextOf(taskId)) ?? '';
    publishCancelled(bus, taskId, contextId);
  };

  private async contextOf(taskId: string): Promise<string | undefined> {
    return this.contexts.get(taskId);
  }

  execute = async (ctx: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = ctx;
    const started = performance.now();
    const run: Running = {
      controller: new AbortController(),
      deadlineAt: Date.now() + this.deps.settings.taskTimeoutMs,
      settled: false,
      bus,
    };
    this.running.set(taskId, run);
    this.contexts.set(taskId, contextId);
    const eventMeta = eventMetadata(this.deps.agentName, taskId, contextId);
    const publishStatus = statusPublisher(run, taskId, contextId, eventMeta);
    publishFirstTask(bus, ctx, eventMeta);

    const parent = contextFromTraceparent(requestHeaders(ctx)['traceparent']);
    let finalState = TaskState.TASK_STATE_FAILED;
    try {
      await withSpan(
        this.deps.telemetry.tracer,
        `invoke_agent ${this.deps.agentName}`,
        { attributes: agentTaskAttributes({ agent: this.deps.agentName, contextId }), parent, kind: SpanKind.SERVER },
        async (span) => {
          finalState = await this.queue.run(contextId, run.controller.signal, () =>
            runTask(this.deps, this.toolbox, ctx, run, span, publishStatus),
          );
        },
      );
    } catch (err) {
      finalState = endWithError(this.deps, { taskId, contextId }, err, run.controller.signal, publishStatus);
    } finally {
      this.running.delete(taskId);
      // A paused task can still be cancelled later; its context id is needed for that event.
      if ((finalState as TaskState) !== TaskState.TASK_STATE_INPUT_REQUIRED) this.contexts.delete(taskId);
      this.deps.telemetry.metrics.taskDuration((performance.now() - started) / 1000, stateName(finalState));
    }
  };
}
