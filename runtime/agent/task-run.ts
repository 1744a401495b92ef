// One task from start to final status: the conversation so far, recalled memories, the resume of a paused task, the
// agent loop, the conversation persisted, then the final status by the loop's outcome — and after a completed answer,
// compaction and the automatic memory save, still inside the context's turn.
import type { Span } from '@opentelemetry/api';
import { TaskState } from '@a2a-js/sdk';
import type { RequestContext } from '@a2a-js/sdk/server';
import { textPart } from '../a2a/parts.js';
import type { ChatMessage } from '../models/types.js';
import { effectiveHistory } from './compaction.js';
import { compactConversation } from './compact-conversation.js';
import type { ExecutorDeps, Running } from './deps.js';
import { callLlm } from './llm-call.js';
import { runLoop, type LoopDeps, type LoopOutcome } from './loop.js';
import { autoSaveMemory, memoryCaller } from './memory-turn.js';
import { checkAttachments } from '../models/attachments.js';
import { forwardedUserId, passthroughKey, requestHeaders, userAttachments, userContent } from './request-identity.js';
import { loopEventPublisher } from './stream-events.js';
import { publishAnswer, type PublishStatus } from './task-events.js';
import { publishMaxIterations, publishNoModel } from './task-outcome.js';
import { pendingCalls, publishApprovalRequest, resumePendingCalls } from './tool-approval.js';
import { runTool, type Toolbox } from './tool-dispatch.js';

/** Runs (or resumes) the loop; publishes the final status; returns the final state. */
export async function runTask(
  deps: ExecutorDeps,
  toolbox: Toolbox,
  ctx: RequestContext,
  run: Running,
  taskSpan: Span,
  publishStatus: PublishStatus,
): Promise<TaskState> {
  const { taskId, contextId } = ctx;
  const model = deps.model;
  if (!model) return publishNoModel(publishStatus);
  const signal = run.controller.signal;
  const stream = deps.config.stream === true;
  const apiKey = passthroughKey(deps.config, ctx);
  await toolbox.settled();
  const history = effectiveHistory(await deps.conversations.load(contextId));
  const fresh: ChatMessage[] = [];
  const tools = toolbox.forTask(memoryCaller(ctx, taskSpan));
  const events = loopEventPublisher(publishStatus, { stream, signal, telemetry: deps.telemetry });

  const loopDeps: LoopDeps = {
    tools,
    maxIterations: deps.settings.maxIterations,
    signal,
    stream,
    emit: events.emit,
    llm: (messages, specs, onText) =>
      callLlm(deps, { model, messages, specs, onText, signal, apiKey, parent: taskSpan, deadlineAt: run.deadlineAt }),
    runTool: (tool, call, args) =>
      runTool(
        deps,
        tool,
        call,
        args,
        { signal, contextId, taskId, userId: forwardedUserId(ctx), requestHeaders: requestHeaders(ctx) },
        taskSpan,
      ),
  };

  const system: ChatMessage[] = deps.config.instruction ? [{ role: 'system', content: deps.config.instruction }] : [];
  const userText = userContent(ctx.userMessage);
  const pending = pendingCalls(ctx.task);
  // Files the model cannot take fail the task here, naming them, before anything is called or stored.
  const attachments = pending.length ? [] : userAttachments(ctx.userMessage);
  if (attachments.length && deps.config.model) checkAttachments(deps.config.model, attachments);
  if (deps.memory && !pending.length && !history.some((m) => m.role === 'user')) {
    // The conversation's first message: its closest memories join the instructions for this turn (not stored).
    const recalled = await deps.memory.prefetch(userText, memoryCaller(ctx, taskSpan), signal);
    if (recalled) system.push({ role: 'system', content: recalled });
  }
  const messages: ChatMessage[] = [...system, ...history];

  if (pending.length) fresh.push(...(await resumePendingCalls(pending, ctx.userMessage, userText, loopDeps)));
  else fresh.push({ role: 'user', content: userText, ...(attachments.length ? { attachments } : {}) });

  messages.push(...fresh);
  const before = messages.length;
  let outcome: LoopOutcome;
  try {
    outcome = await runLoop(messages, loopDeps);
  } finally {
    events.flush();
  }
  fresh.push(...messages.slice(before));
  // Persist what the model saw, so a follow-up in this context (or an approval resume) continues from here.
  await deps.conversations.append(contextId, fresh);

  switch (outcome.kind) {
    case 'completed': {
      publishAnswer(run.bus, taskId, contextId, outcome.text);
      publishStatus(TaskState.TASK_STATE_COMPLETED, [textPart(outcome.text)], true);
      // After the answer is out (the client does not wait for this) and still inside the context's turn, so the
      // next message of this context sees the compacted history. Never while a task is paused: its pending tool
      // calls must stay next to the results an approval adds.
      await compactConversation(deps, contextId, events.lastPromptTokens(), taskSpan, signal);
      await autoSaveMemory(deps, ctx, messages, taskSpan, signal);
      return TaskState.TASK_STATE_COMPLETED;
    }
    case 'input-required':
      publishApprovalRequest(publishStatus, outcome);
      return TaskState.TASK_STATE_INPUT_REQUIRED;
    case 'max-iterations':
      return publishMaxIterations(publishStatus, outcome);
  }
}
