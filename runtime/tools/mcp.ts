// One MCP server as a toolset (kagent's http_tools = streamable HTTP, sse_tools = SSE). The agent starts whether or not
// the server is up: the toolset connects in the background with exponential backoff, and until it is connected the
// tools named in the config's `tools` filter are offered to the model as stand-ins that answer "unavailable".
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Logger } from 'pino';
import type { McpServerConfig } from '../../contract/config.js';
import { fetchErrorText } from '../../lib/tls-fetch.js';
import { toolName, type Tool, type ToolContext, type Toolset } from './types.js';
import { callHeaders, forwardedHeaders, mcpFetch } from './mcp-fetch.js';

export type McpTransportKind = 'streamable-http' | 'sse';

export interface McpToolsetOptions {
  kind: McpTransportKind;
  server: McpServerConfig;
  defaultToolTimeoutMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  log: Logger;
}

interface RemoteTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

/** The URL without credentials or query (which may carry tokens), for logs and tool sources. */
export function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** MCP results are content lists; the model gets their text, and anything else as JSON. */
export function resultText(result: { content?: unknown; structuredContent?: unknown; isError?: unknown }): string {
  const items = Array.isArray(result.content) ? (result.content as Array<Record<string, unknown>>) : [];
  const parts = items.map((c) => (c.type === 'text' && typeof c.text === 'string' ? c.text : JSON.stringify(c)));
  if (!parts.length && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}

export class McpToolset implements Toolset {
  readonly name: string;
  private client: Client | undefined;
  private transport: Transport | undefined;
  private remote: RemoteTool[] = [];
  private connecting: Promise<void> | undefined;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly allow: Set<string> | undefined;
  private readonly approval: Set<string>;
  private readonly url: string;
  private readonly connectTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly allowedHeaders: readonly string[];
  private readonly fetch: typeof fetch;
  private lastError = '';

  constructor(private readonly opts: McpToolsetOptions) {
    const { params } = opts.server;
    this.url = params.url;
    this.name = safeUrl(params.url);
    this.allow = opts.server.tools?.length ? new Set(opts.server.tools) : undefined;
    this.approval = new Set(opts.server.require_approval ?? []);
    this.connectTimeoutMs = (params.timeout ?? 30) * 1000;
    this.callTimeoutMs = params.sse_read_timeout ? params.sse_read_timeout * 1000 : opts.defaultToolTimeoutMs;
    this.allowedHeaders = opts.server.allowed_headers ?? [];
    this.fetch = mcpFetch(params, this.name, opts.log);
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  private first: Promise<void> | undefined;

  start(): void {
    this.first = this.connect();
  }

  settled(): Promise<void> {
    return this.first ?? Promise.resolve();
  }

  /** Connects once (concurrent callers share the attempt); on failure schedules the next attempt with backoff. */
  private connect(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.tryConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private makeTransport(): Transport {
    const requestInit: RequestInit = { headers: this.opts.server.params.headers ?? {} };
    const url = new URL(this.url);
    const fetch = this.fetch;
    return this.opts.kind === 'sse'
      ? new SSEClientTransport(url, { requestInit, fetch })
      : new StreamableHTTPClientTransport(url, { requestInit, fetch });
  }

  private async tryConnect(): Promise<void> {
    const client = new Client({ name: 'metagent-runtime', version: '0.1.0' });
    const transport = this.makeTransport();
    try {
      await client.connect(transport, { timeout: this.connectTimeoutMs });
      const listed = await client.listTools(undefined, { timeout: this.connectTimeoutMs });
      if (this.closed) {
        await client.close().catch(() => undefined);
        return;
      }
      this.remote = listed.tools as RemoteTool[];
      this.client = client;
      this.transport = transport;
      this.attempt = 0;
      this.lastError = '';
      // A dropped connection (SSE stream closed, server restarted) sends us back to reconnecting.
      client.onclose = () => {
        if (this.client === client) this.disconnected('connection closed');
      };
      const missing = [...(this.allow ?? [])].filter((n) => !this.remote.some((t) => t.name === n));
      this.opts.log.info(
        {
          mcpServer: this.name,
          tools: this.tools().map((t) => t.spec.name),
          ...(missing.length ? { missingTools: missing } : {}),
        },
        'MCP server connected',
      );
    } catch (err) {
      await client.close().catch(() => undefined);
      this.scheduleReconnect(err);
    }
  }

  private scheduleReconnect(err: unknown): void {
    if (this.closed) return;
    const delay = Math.min(this.opts.reconnectMaxMs, this.opts.reconnectBaseMs * 2 ** this.attempt);
    this.attempt++;
    this.lastError = fetchErrorText(err).slice(0, 300);
    this.opts.log.warn(
      { mcpServer: this.name, attempt: this.attempt, retryInMs: delay, err: this.lastError },
      'MCP server unreachable; tools unavailable until it reconnects',
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private disconnected(reason: string, schedule = true): void {
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    void client?.close().catch(() => undefined);
    if (schedule) this.scheduleReconnect(new Error(reason));
    else this.opts.log.warn({ mcpServer: this.name, err: reason.slice(0, 300) }, 'MCP connection lost; reconnecting');
  }

  tools(): Tool[] {
    if (this.client) {
      return this.remote
        .filter((t) => !this.allow || this.allow.has(t.name))
        .map((t) => this.toolFor(t.name, t.description ?? '', t.inputSchema ?? { type: 'object', properties: {} }));
    }
    // Not connected: offer the configured names so the model can still try, and learn they are unavailable.
    return [...(this.allow ?? [])].map((name) =>
      this.toolFor(name, `(currently unavailable: MCP server ${this.name} is not reachable)`, {
        type: 'object',
        properties: {},
        additionalProperties: true,
      }),
    );
  }

  private toolFor(name: string, description: string, parameters: Record<string, unknown>): Tool {
    return {
      // The model sees a provider-safe name; the server is called with its own.
      spec: { name: toolName(name), description, parameters },
      source: this.name,
      requireApproval: this.approval.has(name),
      timeoutMs: this.callTimeoutMs,
      call: (args, ctx) => this.callTool(name, args, ctx),
    };
  }

  private async callTool(name: string, args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
    try {
      return await this.callOnce(name, args, ctx);
    } catch (err) {
      // The server restarted (session unknown) or the connection dropped: reconnect once and retry the call.
      if (ctx.signal.aborted || !isConnectionError(err) || this.closed) throw err;
      this.disconnected((err as Error).message, false);
      return this.callOnce(name, args, ctx);
    }
  }

  private async callOnce(name: string, args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
    if (!this.client) {
      // Give a server that has just come back one immediate chance before answering "unavailable".
      await this.connect();
    }
    const client = this.client;
    if (!client)
      throw new Error(
        `tool ${name} is unavailable: MCP server ${this.name} is not reachable (reconnecting in the background)` +
          (this.lastError ? `: ${this.lastError}` : ''),
      );
    try {
      // The requests of this call (and only these) carry the allowed headers of the A2A request that caused it.
      const forwarded = forwardedHeaders(this.allowedHeaders, ctx.requestHeaders ?? {});
      const result = await callHeaders.run(forwarded, () =>
        client.callTool({ name, arguments: args }, undefined, { signal: ctx.signal, timeout: this.callTimeoutMs }),
      );
      const text = resultText(result as { content?: unknown; structuredContent?: unknown });
      if (result.isError) throw new ToolReportedError(text || `tool ${name} reported an error`);
      return text;
    } catch (err) {
      if (!ctx.signal.aborted && isConnectionError(err) && this.client === client)
        this.disconnected((err as Error).message);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const { client, transport } = this;
    this.client = undefined;
    if (transport instanceof StreamableHTTPClientTransport && this.opts.server.params.terminate_on_close !== false) {
      await transport.terminateSession().catch(() => undefined);
    }
    await client?.close().catch(() => undefined);
  }
}

/** A tool's own error result: never a reason to reconnect. */
class ToolReportedError extends Error {}

/**
 * Network-level failures and lost sessions (as opposed to the tool itself failing) mean the server went away or
 * restarted.
 */
function isConnectionError(err: unknown): boolean {
  if (err instanceof ToolReportedError) return false;
  const code = (err as { code?: unknown })?.code;
  if (code === 404) return true; // streamable HTTP: the session is unknown to a restarted server
  const msg = `${(err as Error)?.message ?? ''} ${String((err as { cause?: { code?: string } })?.cause?.code ?? '')}`;
  return /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up|Not connected|EPIPE|session not found|unknown session|other side closed/i.test(
    msg,
  );
}
