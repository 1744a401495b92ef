// The tools a task may call and how one call runs: the toolsets' tools (first of a name wins), then memory's and the
// share tools bound to the caller, then the skills tools; each call under its own deadline, traced as an
// `execute_tool` span. A failure or timeout becomes the tool's result (`Error: ...`) so the model can react; only a
// cancelled task propagates.
import { SpanKind, type Span } from '@opentelemetry/api';
import type { ToolCall } from '../models/types.js';
import { toolCallAttributes, withSpan } from '../telemetry/index.js';
import { deadline } from '../deadline.js';
import type { Tool, ToolContext } from '../tools/types.js';
import type { MemoryCaller } from '../memory/index.js';
import type { ExecutorDeps } from './deps.js';
import type { ToolOutcome } from './loop.js';

/** Longest a task waits for MCP servers still making their first connection attempt. */
const FIRST_CONNECT_WAIT_MS = 5_000;

export class Toolbox {
  private allSettled = false;

  constructor(private readonly deps: Pick<ExecutorDeps, 'toolsets' | 'memory' | 'skills' | 'shares'>) {}

  /**
   * A task arriving right after startup waits (briefly) for the MCP servers' first connection attempt, so the model
   * sees their tools instead of none.
   */
  async settled(): Promise<void> {
    if (this.allSettled || !this.deps.toolsets.length) return;
    let timer: NodeJS.Timeout | undefined;
    const settled = Promise.all(this.deps.toolsets.flatMap((t) => (t.settled ? [t.settled()] : []))).then(() => {
      this.allSettled = true;
    });
    await Promise.race([settled, new Promise((r) => (timer = setTimeout(r, FIRST_CONNECT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /**
   * The agent's tools for one task: the toolsets', then memory's and the share tools bound to the caller, then the
   * skills tools. A toolset's tool of the same name wins (as kagent adds its built-ins only under names not yet
   * taken).
   */
  forTask(caller: MemoryCaller): Map<string, Tool> {
    const tools = new Map<string, Tool>();
    const add = (list: Iterable<Tool>) => {
      for (const tool of list) if (!tools.has(tool.spec.name)) tools.set(tool.spec.name, tool);
    };
    for (const set of this.deps.toolsets) add(set.tools());
    if (this.deps.memory) add(this.deps.memory.tools(caller));
    if (this.deps.shares) add(this.deps.shares.tools(caller.userId));
    if (this.deps.skills) add(this.deps.skills);
    return tools;
  }
}

export function runTool(
  deps: Pick<ExecutorDeps, 'telemetry' | 'log'>,
  tool: Tool,
  call: ToolCall,
  args: Record<string, unknown>,
  ctx: ToolContext,
  parent: Span,
): Promise<{ result: string; isError: boolean; outcome: ToolOutcome; seconds: number }> {
  return withSpan(
    deps.telemetry.tracer,
    `execute_tool ${call.name}`,
    { attributes: toolCallAttributes({ tool: call.name, callId: call.id }), parent, kind: SpanKind.INTERNAL },
    async (span) => {
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
        const message = timedOut
          ? `tool ${call.name} timed out after ${tool.timeoutMs / 1000}s`
          : ((err as Error)?.message ?? String(err));
        span.setAttribute('error.type', timedOut ? 'timeout' : 'tool_error');
        deps.telemetry.metrics.error('tool');
        deps.log.warn({ tool: call.name, source: tool.source, err: message.slice(0, 300) }, 'tool call failed');
        return {
          result: `Error: ${message}`,
          isError: true,
          outcome: timedOut ? ('timeout' as const) : ('error' as const),
          seconds: seconds(),
        };
      } finally {
        limit.dispose();
      }
    },
  );
}
