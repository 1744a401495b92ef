// What the agent loop sees of a tool, whatever provides it (an MCP server, a remote agent).
import type { ToolSpec } from '../models/types.js';

export interface ToolContext {
  signal: AbortSignal;
  contextId: string;
  taskId: string;
  /** The `x-user-id` the A2A call carried (kagent's user id), passed on to agents called as tools. */
  userId?: string;
  /** The incoming A2A request's HTTP headers (names lower-case); MCP toolsets forward their allowed_headers. */
  requestHeaders?: Record<string, string | string[] | undefined>;
}

export interface Tool {
  spec: ToolSpec;
  /** Where it comes from, for logs and metrics (an MCP URL or a remote agent's name). */
  source: string;
  /** Pauses the task for a human decision before it runs (kagent's require_approval). */
  requireApproval: boolean;
  /** Per-call deadline in ms. */
  timeoutMs: number;
  /** Returns the text handed to the model; throws on failure (the loop turns that into an error result). */
  call(args: Record<string, unknown>, ctx: ToolContext): Promise<string>;
}

/** A group of tools from one source that may change over time (an MCP server reconnecting). */
export interface Toolset {
  readonly name: string;
  tools(): Tool[];
  /** Starts connecting in the background; never throws (a down server must not stop the agent). */
  start(): void;
  /** Settles when the first connection attempt after start() has finished, successfully or not. */
  settled?(): Promise<void>;
  close(): Promise<void>;
}

/** Tool names must match ^[a-zA-Z0-9_-]{1,64}$ for OpenAI and Anthropic; other characters become underscores. */
export function toolName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'tool';
}
