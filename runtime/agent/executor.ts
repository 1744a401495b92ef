// The A2A side of the agent: an @a2a-js/sdk AgentExecutor that runs the loop for each message and publishes the task's
// life as A2A events — text deltas and tool traffic as `working` status updates, the answer as an artifact and the
// final status, a tool needing approval as `input-required` with the pending call as a data part.
import { SpanKind, type Span } from '@opentelemetry/api';
import { TaskState, type Message, type Part, type Task } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import type { Logger } from 'pino';
import type { AgentConfig } from '../../contract/config.js';
import type { ChatMessage, ChatModel, ToolCall } from '../models/types.js';
import { completeWithRetry, LlmError } from '../models/retry.js';
import type { ConversationStore } from '../store/index.js';
import type { Telemetry } from '../telemetry/index.js';
import { agentTaskAttributes, contextFromTraceparent, llmRequestAttributes, llmUsageAttributes, toolCallAttributes, withSpan } from '../telemetry/index.js';
import type { RuntimeSettings } from '../settings.js';
import { deadline } from '../deadline.js';
import type { Tool, ToolContext, Toolset } from '../tools/types.js';
import type { Memory, MemoryCaller } from '../memory/index.js';
import { autoSaveDue, factsRequest, parseFacts, recentTurnsText } from '../memory/auto-save.js';
import {
  agentMessage,
  approvalRequestPart,
  decisionsOf,
  pendingCallsOf,
  textOf,
  textPart,
  toolCallPart,
  toolResultPart,
  type PendingCall,
} from '../a2a/parts.js';
import { runLoop, runToolCalls, type LoopDeps, type LoopEvent, type LoopOutcome, type ToolOutcome } from './loop.js';
import { compactionEntries, effectiveHistory, planCompaction, summaryRequest, type CompactionSettings } from './compaction.js';

export interface ExecutorDeps {
  config: AgentConfig;
  /** Undefined for a BYO agent (model: null): every task fails with a clear message. */
  model: ChatModel | undefined;
  toolsets: Toolset[];
  conversations: ConversationStore;
  telemetry: Telemetry;
  settings: RuntimeSettings;
  log: Logger;
  agentName: string;
  /** context_config.compaction, with its summariser model (undefined: compacted messages are dropped). */
  compaction?: { settings: CompactionSettings; summarizer?: ChatModel };
  /** kagent's long-term memory (config.json `memory`): save_memory and load_memory for each task's caller. */
  memory?: Memory;
  /** kagent's skills (KAGENT_SKILLS_FOLDER): the `skills` and `read_file` tools, the same for every task. */
  skills?: Tool[];
}

const STATE_NAME: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_COMPLETED]: 'completed',
  [TaskState.TASK_STATE_FAILED]: 'failed',
  [TaskState.TASK_STATE_CANCELED]: 'canceled',
  [TaskState.TASK_STATE_INPUT_REQUIRED]: 'input-required',
};

/** How often coalesced text deltas are published: each status update is a task-store write. */
const DELTA_FLUSH_MS = 40;
/** Longest a task waits for MCP servers still making their first connection attempt. */
const FIRST_CONNECT_WAIT_MS = 5_000;

interface Running {
  controller: AbortController;
  /** Set once a final (or interrupted) status was published; later events are dropped. */
  settled: boolean;
  bus: ExecutionEventBus;
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err as Error)?.name === 'AbortError';
}

export class AgentRuntimeExecutor implements AgentExecutor {
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: ExecutorDeps) {}

  /** Tasks still executing, for graceful shutdown. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Cancels every running task (shutdown after the grace period). */
  cancelAll(): void {
    for (const [taskId, run] of this.running) void this.cancelTask(taskId, run.bus);
  }

  private allSettled = false;
  private async toolsetsSettled(): Promise<void> {
    if (this.allSettled || !this.deps.toolsets.length) return;
    let timer: NodeJS.Timeout | undefined;
    const settled = Promise.all(this.deps.toolsets.map((t) => t.settled?.())).then(() => {
      this.allSettled = true;
    });
    await Promise.race([settled, new Promise((r) => (timer = setTimeout(r, FIRST_CONNECT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private tools(): Map<string, Tool> {
    const map = new Map<string, Tool>();
    for (const set of this.deps.toolsets) for (const tool of set.tools()) if (!map.has(tool.spec.name)) map.set(tool.spec.name, tool);
    return map;
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
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_CANCELED, message: agentMessage([textPart('Task cancelled.')], { taskId, contextId }), timestamp: new Date().toISOString() },
        metadata: undefined,
      }),
    );
  };

  private readonly contexts = new Map<string, string>();
  private async contextOf(taskId: string): Promise<string | undefined> {
    return this.contexts.get(taskId);
  }

  execute = async (ctx: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = ctx;
    const started = performance.now();
    const run: Running = { controller: new AbortController(), settled: false, bus };
    this.running.set(taskId, run);
    this.contexts.set(taskId, contextId);
    const ids = { taskId, contextId };
    // kagent's event metadata (kagent-adk's event converter), so kagent's UI can attribute events.
    const eventMeta = { kagent_app_name: this.deps.agentName, kagent_session_id: contextId, kagent_invocation_id: taskId, kagent_author: this.deps.agentName };
    const publishStatus = (state: TaskState, parts: Part[] | undefined, final = false, extra?: Record<string, unknown>) => {
      if (run.settled) return;
      if (final) run.settled = true;
      bus.publish(
        AgentEvent.statusUpdate({
          taskId,
          contextId,
          status: { state, message: parts ? agentMessage(parts, ids) : undefined, timestamp: new Date().toISOString() },
          metadata: extra ? { ...eventMeta, ...extra } : eventMeta,
        }),
      );
    };

    // The SDK requires a task (or message) as the first event of every execution, follow-ups included. It starts out
    // `working`: a separate submitted → working status update would be one more task-store round (load, merge,
    // save, and the SDK's copies) per message, and nothing observes the task between the two.
    const working = { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: new Date().toISOString() };
    const first: Task = ctx.task
      ? { ...ctx.task, status: working }
      : { id: taskId, contextId, status: working, artifacts: [], history: [ctx.userMessage], metadata: eventMeta };
    bus.publish(AgentEvent.task(first));

    const parent = contextFromTraceparent(this.headers(ctx)['traceparent']);
    let finalState = TaskState.TASK_STATE_FAILED;
    try {
      await withSpan(
        this.deps.telemetry.tracer,
        `invoke_agent ${this.deps.agentName}`,
        { attributes: agentTaskAttributes({ agent: this.deps.agentName, contextId }), parent, kind: SpanKind.SERVER },
        async (span) => {
          finalState = await this.inContext(contextId, run.controller.signal, () => this.runTask(ctx, run, span, publishStatus));
        },
      );
    } catch (err) {
      if (isAbort(err, run.controller.signal)) {
        finalState = TaskState.TASK_STATE_CANCELED;
        publishStatus(TaskState.TASK_STATE_CANCELED, [textPart('Task cancelled.')], true);
      } else {
        const kind = err instanceof LlmError ? 'llm' : 'internal';
        this.deps.telemetry.metrics.error(kind);
        this.deps.log.error({ taskId, contextId, err: (err as Error).message }, 'task failed');
        publishStatus(TaskState.TASK_STATE_FAILED, [textPart(`Task failed: ${(err as Error).message}`)], true);
      }
    } finally {
      this.running.delete(taskId);
      // A paused task can still be cancelled later; its context id is needed for that event.
      if ((finalState as TaskState) !== TaskState.TASK_STATE_INPUT_REQUIRED) this.contexts.delete(taskId);
      this.deps.telemetry.metrics.taskDuration((performance.now() - started) / 1000, STATE_NAME[finalState] ?? String(finalState));
    }
  };

  private readonly contextTails = new Map<string, Promise<void>>();

  /**
   * Runs tasks of one context one after another: each loads the conversation, runs, and appends to it, so two
   * concurrent messages in a context must not interleave (an assistant tool-call turn without its results would
   * break every later turn of that conversation).
   */
  private async inContext<T>(contextId: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const previous = this.contextTails.get(contextId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.contextTails.set(contextId, tail);
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        previous,
        new Promise<void>((_, reject) => {
          onAbort = () => reject(signal.reason);
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      return await fn();
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      release();
      if (this.contextTails.get(contextId) === tail) this.contextTails.delete(contextId);
    }
  }

  private headers(ctx: RequestContext): Record<string, string | string[] | undefined> {
    return (ctx.context?.state.get('headers') as Record<string, string | string[] | undefined> | undefined) ?? {};
  }

  /** kagent's api_key_passthrough: the caller's bearer token becomes the LLM API key. */
  private passthroughKey(ctx: RequestContext): string | undefined {
    if (this.deps.config.model?.api_key_passthrough !== true) return undefined;
    return this.bearer(ctx);
  }

  private bearer(ctx: RequestContext): string | undefined {
    const auth = this.headers(ctx)['authorization'];
    const value = Array.isArray(auth) ? auth[0] : auth;
    return value?.toLowerCase().startsWith('bearer ') ? value.slice(7).trim() : undefined;
  }

  /**
   * The caller's user id: kagent's `x-user-id` header (set by kagent's UI and controller, and passed from agent to
   * agent; not authenticated, as in kagent), else the A2A server's user, else "anonymous".
   */
  private userId(ctx: RequestContext): string {
    return this.forwardedUserId(ctx) || ctx.context?.user?.userName || 'anonymous';
  }

  /** The `x-user-id` the call carried, if any: what agents called as tools are given in turn. */
  private forwardedUserId(ctx: RequestContext): string | undefined {
    const header = this.headers(ctx)['x-user-id'];
    return (Array.isArray(header) ? header[0] : header)?.trim() || undefined;
  }

  /** Whose memories a task reads and writes. */
  private memoryCaller(ctx: RequestContext, span: Span): MemoryCaller {
    return { userId: this.userId(ctx), bearer: this.bearer(ctx), span };
  }

  /**
   * The agent's tools for this task: the toolsets', then memory's bound to the caller, then the skills tools. A
   * toolset's tool of the same name wins (as kagent adds its built-ins only under names not yet taken).
   */
  private taskTools(ctx: RequestContext, span: Span): Map<string, Tool> {
    const tools = this.tools();
    const add = (list: Tool[]) => {
      for (const tool of list) if (!tools.has(tool.spec.name)) tools.set(tool.spec.name, tool);
    };
    if (this.deps.memory) add(this.deps.memory.tools(this.memoryCaller(ctx, span)));
    if (this.deps.skills) add(this.deps.skills);
    return tools;
  }

  /** Runs (or resumes) the loop; publishes the final status; returns the final state. */
  private async runTask(
    ctx: RequestContext,
    run: Running,
    taskSpan: Span,
    publishStatus: (state: TaskState, parts: Part[] | undefined, final?: boolean, extra?: Record<string, unknown>) => void,
  ): Promise<TaskState> {
    const { taskId, contextId } = ctx;
    const { deps } = this;
    const model = deps.model;
    if (!model) {
      publishStatus(TaskState.TASK_STATE_FAILED, [textPart('This agent has no model configured (a BYO agent serves A2A from its own image).')], true);
      return TaskState.TASK_STATE_FAILED;
    }
    const signal = run.controller.signal;
    const stream = deps.config.stream === true;
    const apiKey = this.passthroughKey(ctx);
    // A task arriving right after startup waits (briefly) for the MCP servers' first connection attempt, so the model
    // sees their tools instead of none.
    await this.toolsetsSettled();
    const history = effectiveHistory(await deps.conversations.load(contextId));
    const fresh: ChatMessage[] = [];
    const tools = this.taskTools(ctx, taskSpan);

    let lastPromptTokens = 0;
    // Text deltas are coalesced so a fast stream does not become one task-store write per token.
    let buffered = '';
    let flushTimer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      if (buffered) publishStatus(TaskState.TASK_STATE_WORKING, [textPart(buffered)]);
      buffered = '';
    };
    const emit = (ev: LoopEvent) => {
      if (signal.aborted) return;
      switch (ev.type) {
        case 'text-delta':
          buffered += ev.text;
          flushTimer ??= setTimeout(flush, DELTA_FLUSH_MS);
          return;
        case 'assistant': {
          lastPromptTokens = ev.usage.input;
          flush();
          // Without streaming, the model's interim text (before tool calls) is still worth showing.
          const parts: Part[] = [];
          if (!stream && ev.text && ev.toolCalls.length) parts.push(textPart(ev.text));
          for (const tc of ev.toolCalls) parts.push(toolCallPart({ id: tc.id, name: tc.name, args: safeJson(tc.arguments) }));
          const usage = { promptTokenCount: ev.usage.input, candidatesTokenCount: ev.usage.output, totalTokenCount: ev.usage.input + ev.usage.output };
          if (parts.length) publishStatus(TaskState.TASK_STATE_WORKING, parts, false, { kagent_usage_metadata: usage });
          return;
        }
        case 'tool-call':
          return;
        case 'tool-result':
          deps.telemetry.metrics.toolCall(ev.call.name, ev.outcome, ev.seconds);
          publishStatus(TaskState.TASK_STATE_WORKING, [toolResultPart(ev.call, ev.result, ev.isError)]);
          return;
      }
    };

    const loopDeps: LoopDeps = {
      tools,
      maxIterations: deps.settings.maxIterations,
      signal,
      stream,
      emit,
      llm: (messages, specs, onText) => this.callLlm(model, messages, specs, onText, signal, apiKey, taskSpan),
      runTool: (tool, call, args) => this.runTool(tool, call, args, { signal, contextId, taskId, userId: this.forwardedUserId(ctx) }, taskSpan),
    };

    const system: ChatMessage[] = deps.config.instruction ? [{ role: 'system', content: deps.config.instruction }] : [];
    const userText = userContent(ctx.userMessage);
    const pending = ctx.task?.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED ? pendingCallsOf(ctx.task.status.message) : [];
    if (deps.memory && !pending.length && !history.some((m) => m.role === 'user')) {
      // The conversation's first message: its closest memories join the instructions for this turn (not stored).
      const recalled = await deps.memory.prefetch(userText, this.memoryCaller(ctx, taskSpan), signal);
      if (recalled) system.push({ role: 'system', content: recalled });
    }
    const messages: ChatMessage[] = [...system, ...history];

    if (pending.length) {
      // A resume: the stored conversation ends with the assistant's tool calls; add the decided calls' results.
      const decisions = decisionsOf(ctx.userMessage, pending);
      const approved = new Set<string>();
      const resumed: ChatMessage[] = [];
      for (const p of pending) {
        const d = decisions?.get(p.id);
        if (d?.decision === 'approve') approved.add(p.id);
        else {
          const why = d?.reason ? ` Reason: ${d.reason}` : decisions ? '' : ` The user replied instead: ${userText}`;
          const text = `The user rejected this call to ${p.name}; it was not run.${why}`;
          emit({ type: 'tool-result', call: asCall(p), result: text, isError: true, outcome: 'rejected', seconds: 0 });
          resumed.push({ role: 'tool', toolCallId: p.id, name: p.name, content: text });
        }
      }
      const calls = pending.filter((p) => approved.has(p.id)).map(asCall);
      const ran = await runToolCalls(calls, loopDeps, approved);
      fresh.push(...resumed, ...ran.messages);
      // A decision given as plain words carries no new request; anything else is a new user turn.
      if (!decisions && userText) fresh.push({ role: 'user', content: userText });
    } else {
      fresh.push({ role: 'user', content: userText });
    }

    messages.push(...fresh);
    const before = messages.length;
    let outcome: LoopOutcome;
    try {
      outcome = await runLoop(messages, loopDeps);
    } finally {
      flush();
    }
    fresh.push(...messages.slice(before));
    // Persist what the model saw, so a follow-up in this context (or an approval resume) continues from here.
    await deps.conversations.append(contextId, fresh);

    switch (outcome.kind) {
      case 'completed': {
        const text = outcome.text;
        run.bus.publish(
          AgentEvent.artifactUpdate({
            taskId,
            contextId,
            artifact: { artifactId: `${taskId}-answer`, name: 'answer', description: '', parts: [textPart(text)], metadata: undefined, extensions: [] },
            append: false,
            lastChunk: true,
            metadata: undefined,
          }),
        );
        publishStatus(TaskState.TASK_STATE_COMPLETED, [textPart(text)], true);
        // After the answer is out (the client does not wait for this) and still inside the context's turn, so the
        // next message of this context sees the compacted history. Never while a task is paused: its pending tool
        // calls must stay next to the results an approval adds.
        await this.compact(contextId, lastPromptTokens, taskSpan, signal);
        await this.autoSaveMemory(ctx, messages, taskSpan, signal);
        return TaskState.TASK_STATE_COMPLETED;
      }
      case 'input-required': {
        const names = outcome.pending.map((p) => p.call.name).join(', ');
        publishStatus(
          TaskState.TASK_STATE_INPUT_REQUIRED,
          [
            textPart(`Approval required before running: ${names}. Reply with {"decision_type": "approve"} or {"decision_type": "reject"}.`),
            ...outcome.pending.map((p) => approvalRequestPart({ id: p.call.id, name: p.call.name, args: p.args })),
          ],
          true,
        );
        return TaskState.TASK_STATE_INPUT_REQUIRED;
      }
      case 'max-iterations': {
        publishStatus(
          TaskState.TASK_STATE_FAILED,
          [textPart(`Stopped after ${outcome.iterations} model iterations without a final answer (limit: METAGENT_MAX_ITERATIONS=${outcome.iterations}).`)],
          true,
        );
        return TaskState.TASK_STATE_FAILED;
      }
    }
  }

  /**
   * kagent's automatic memory: on every 5th user message of the conversation (as the model saw it this turn) the
   * agent's model lists the facts worth keeping from the last five turns, and each becomes one of the caller's
   * memories. After the answer is out; a failure is logged and changes nothing.
   */
  private async autoSaveMemory(ctx: RequestContext, messages: readonly ChatMessage[], parent: Span, signal: AbortSignal): Promise<void> {
    const { memory, model, log, telemetry } = this.deps;
    if (!memory || !model) return;
    const conversation = messages.filter((m) => m.role !== 'system');
    if (!autoSaveDue(conversation)) return;
    try {
      const answer = await this.callLlm(model, factsRequest(recentTurnsText(conversation)), [], undefined, signal, this.passthroughKey(ctx), parent);
      const saved = await memory.saveFacts(parseFacts(answer.text), this.memoryCaller(ctx, parent), signal);
      log.info({ contextId: ctx.contextId, saved }, 'memories saved from the conversation');
    } catch (err) {
      if (signal.aborted) return;
      telemetry.metrics.error('memory_auto_save');
      log.warn({ contextId: ctx.contextId, err: (err as Error).message?.slice(0, 300) }, 'saving memories from the conversation failed');
    }
  }

  /** Compacts the context's conversation when its settings say so; a failure is logged and leaves it as it was. */
  private async compact(contextId: string, lastPromptTokens: number, parent: Span, signal: AbortSignal): Promise<void> {
    const { compaction, conversations, log, settings, telemetry } = this.deps;
    if (!compaction) return;
    try {
      const stored = await conversations.load(contextId);
      const plan = planCompaction(stored, lastPromptTokens, compaction.settings);
      if (!plan) return;
      let summary: string | undefined;
      const summarizer = compaction.summarizer;
      const prompt = compaction.settings.promptTemplate;
      if (summarizer && prompt) {
        // The task's signal: a shutdown that cancels what is still running cancels this too.
        const result = await this.callLlm(summarizer, summaryRequest(plan, prompt), [], undefined, signal, undefined, parent, settings.llmTimeoutMs);
        summary = result.text.trim() || undefined;
        if (!summary) throw new Error('the summariser answered with no text');
      }
      const entries = compactionEntries(plan, summary);
      // In place of what was loaded: a turn that finished while the summariser ran stays, after the summary.
      if (entries.length >= stored.length || !(await conversations.replacePrefix(contextId, stored, entries))) {
        log.info({ contextId, reason: plan.reason }, 'conversation not compacted: another compaction changed it first, or it would not shrink');
        return;
      }
      log.info({ contextId, reason: plan.reason, compacted: plan.summarise.length, kept: plan.kept.length, summarised: summary !== undefined }, 'conversation compacted');
    } catch (err) {
      telemetry.metrics.error('compaction');
      log.warn({ contextId, err: (err as Error).message?.slice(0, 300) }, 'conversation compaction failed; the conversation is kept as it was');
    }
  }

  private callLlm(
    model: ChatModel,
    messages: ChatMessage[],
    specs: import('../models/types.js').ToolSpec[],
    onText: ((delta: string) => void) | undefined,
    signal: AbortSignal,
    apiKey: string | undefined,
    parent: Span,
    /** Per attempt; the agent's own model's `timeout` when it sets one. */
    timeoutMs = this.deps.config.model?.timeout ? this.deps.config.model.timeout * 1000 : this.deps.settings.llmTimeoutMs,
  ) {
    const { deps } = this;
    return withSpan(deps.telemetry.tracer, `chat ${model.model}`, { attributes: llmRequestAttributes({ provider: model.provider, model: model.model }), parent, kind: SpanKind.CLIENT }, async (span) => {
      try {
        const result = await completeWithRetry(
          model,
          { messages, tools: specs, signal, onText, apiKey },
          { maxRetries: deps.settings.llmMaxRetries, baseDelayMs: deps.settings.llmRetryBaseMs, timeoutMs },
          (attempt, err) => {
            deps.telemetry.metrics.error('llm_retry');
            deps.log.warn({ attempt, err: (err as Error).message?.slice(0, 300) }, 'LLM call failed; retrying');
          },
        );
        span.setAttributes(llmUsageAttributes({ inputTokens: result.usage.input, outputTokens: result.usage.output }));
        deps.telemetry.metrics.llmTokens(model.model, result.usage.input, result.usage.output);
        return result;
      } catch (err) {
        if (!signal.aborted) deps.telemetry.metrics.error('llm');
        throw err;
      }
    });
  }

  private runTool(
    tool: Tool,
    call: ToolCall,
    args: Record<string, unknown>,
    ctx: ToolContext,
    parent: Span,
  ): Promise<{ result: string; isError: boolean; outcome: ToolOutcome; seconds: number }> {
    const { deps } = this;
    return withSpan(deps.telemetry.tracer, `execute_tool ${call.name}`, { attributes: toolCallAttributes({ tool: call.name, callId: call.id }), parent, kind: SpanKind.INTERNAL }, async (span) => {
      const started = performance.now();
      const limit = deadline(ctx.signal, tool.timeoutMs);
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await tool.call(args, { ...ctx, signal: limit.signal });
        return { result, isError: false, outcome: 'ok' as const, seconds: seconds() };
      } catch (err) {
        // A cancelled task propagates; everything else becomes the tool's result so the model can react.
        if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
        const timedOut = limit.expired;
        const message = timedOut ? `tool ${call.name} timed out after ${tool.timeoutMs / 1000}s` : (err as Error)?.message ?? String(err);
        span.setAttribute('error.type', timedOut ? 'timeout' : 'tool_error');
        deps.telemetry.metrics.error('tool');
        deps.log.warn({ tool: call.name, source: tool.source, err: message.slice(0, 300) }, 'tool call failed');
        return { result: `Error: ${message}`, isError: true, outcome: timedOut ? ('timeout' as const) : ('error' as const), seconds: seconds() };
      } finally {
        limit.dispose();
      }
    });
  }
}

/** What the model gets of a user message: its text, and any structured data parts as JSON. */
function userContent(message: Message): string {
  const data = message.parts.flatMap((p) => (p.content?.$case === 'data' ? [JSON.stringify(p.content.value)] : []));
  return [textOf(message), ...data].filter(Boolean).join('\n');
}

function asCall(p: PendingCall): ToolCall {
  return { id: p.id, name: p.name, arguments: JSON.stringify(p.args ?? {}) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}

export type { Message };
