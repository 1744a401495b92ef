// A real MCP server (the SDK's McpServer) for tests, reachable over both transports kagent's RemoteMCPServer names:
// streamable HTTP at /mcp and the older HTTP+SSE transport at /sse (+ /messages). The runtime tests use its canned
// tools; the sync-hooks tests give it their own tool list and check the headers and sessions it saw.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type Server,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Canned pods: one of them is unhealthy, so scenario tests can check the answer names it. */
export const CANNED_PODS = [
  { namespace: 'default', name: 'web-7d4b9c8f6-abcde', phase: 'Running', ready: true, restarts: 0, reason: '' },
  {
    namespace: 'default',
    name: 'worker-5f6d7c8b9-xyz12',
    phase: 'Running',
    ready: false,
    restarts: 12,
    reason: 'CrashLoopBackOff',
  },
  {
    namespace: 'kube-system',
    name: 'coredns-76f75df574-q8w2p',
    phase: 'Running',
    ready: true,
    restarts: 0,
    reason: '',
  },
];

export interface RecordedCall {
  tool: string;
  args: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** Set when the caller cancelled the call (the slow tool observed its abort signal). */
  cancelled?: boolean;
}

/** A tool of a custom list: takes no arguments and answers with its own name. */
export interface ToolSpec {
  name: string;
  description: string;
}

export interface McpServerOptions {
  /** Listen on this port (0 = any). Tests of "server down at start" pick a port first and start the server later. */
  port?: number;
  /** How long `slow_tool` takes unless its `ms` argument says otherwise. */
  slowMs?: number;
  /** Serve these tools instead of the canned ones (list_pods, slow_tool, ...). */
  tools?: ToolSpec[];
  /** Serve HTTPS with this certificate (PEM) instead of HTTP; the URLs are then https://127.0.0.1:PORT/... */
  tls?: { cert: string; key: string };
}

export interface McpTestServer {
  /** Streamable HTTP endpoint. */
  url: string;
  /** SSE endpoint (GET opens the stream; the server tells the client where to POST). */
  sseUrl: string;
  /** http://127.0.0.1:PORT, for paths the server does not serve (every other path answers 404 "not found"). */
  baseUrl: string;
  port: number;
  calls: RecordedCall[];
  /** Headers of every HTTP request received (any path, any method), in order. */
  requests: IncomingHttpHeaders[];
  /** MCP sessions initialized so far (the client's notifications/initialized arrived), over either transport. */
  connections(): number;
  /**
   * Replace the tool list (canned or custom) with these tools. Takes effect for sessions opened afterwards (every
   * probe and every runtime connect opens one); a session already open keeps the list it started with.
   */
  setTools(tools: ToolSpec[]): void;
  close(): Promise<void>;
}

function headersOf(extra: unknown): Record<string, string | string[] | undefined> {
  const info = (extra as { requestInfo?: { headers?: Record<string, string | string[] | undefined> } }).requestInfo;
  return info?.headers ?? {};
}

function registerCustomTools(server: McpServer, calls: RecordedCall[], tools: ToolSpec[]): void {
  for (const t of tools) {
    server.registerTool(t.name, { description: t.description }, async (extra) => {
      calls.push({ tool: t.name, args: {}, headers: headersOf(extra) });
      return { content: [{ type: 'text', text: t.name }] };
    });
  }
}

function registerCannedTools(server: McpServer, calls: RecordedCall[], opts: McpServerOptions): void {
  server.registerTool(
    'list_pods',
    {
      description: 'List pods in a namespace (or all namespaces) with their phase, readiness, restarts and reason.',
      inputSchema: { namespace: z.string().optional().describe('namespace; omit for all') },
    },
    async ({ namespace }, extra) => {
      calls.push({ tool: 'list_pods', args: { namespace }, headers: headersOf(extra) });
      const pods = CANNED_PODS.filter((p) => !namespace || p.namespace === namespace);
      return { content: [{ type: 'text', text: JSON.stringify(pods) }] };
    },
  );
  server.registerTool(
    'slow_tool',
    { description: 'Waits, then answers. Observes cancellation.', inputSchema: { ms: z.number().optional() } },
    async ({ ms }, extra) => {
      const call: RecordedCall = { tool: 'slow_tool', args: { ms }, headers: headersOf(extra) };
      calls.push(call);
      const wait = ms ?? opts.slowMs ?? 5_000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        extra.signal.addEventListener('abort', () => {
          call.cancelled = true;
          clearTimeout(timer);
          resolve();
        });
      });
      return { content: [{ type: 'text', text: `slept ${wait} ms` }] };
    },
  );
  server.registerTool('fail_tool', { description: 'Always fails.', inputSchema: {} }, async (_args, extra) => {
    calls.push({ tool: 'fail_tool', args: {}, headers: headersOf(extra) });
    throw new Error('fail_tool exploded on purpose');
  });
  server.registerTool(
    'delete_file',
    { description: 'Deletes a file (pretend).', inputSchema: { path: z.string() } },
    async ({ path }, extra) => {
      calls.push({ tool: 'delete_file', args: { path }, headers: headersOf(extra) });
      return { content: [{ type: 'text', text: `deleted ${path}` }] };
    },
  );
  server.registerTool(
    'read_file',
    { description: 'Reads a file (pretend).', inputSchema: { path: z.string() } },
    async ({ path }, extra) => {
      calls.push({ tool: 'read_file', args: { path }, headers: headersOf(extra) });
      return { content: [{ type: 'text', text: `contents of ${path}` }] };
    },
  );
  server.registerTool(
    'k8s.get_events',
    { description: 'Recent events (a name with a dot, which LLM APIs do not accept as a tool name).', inputSchema: {} },
    async (_args, extra) => {
      calls.push({ tool: 'k8s.get_events', args: {}, headers: headersOf(extra) });
      return { content: [{ type: 'text', text: 'Back-off restarting failed container worker' }] };
    },
  );
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? JSON.parse(raw) : undefined;
}

export async function startMcpServer(opts: McpServerOptions = {}): Promise<McpTestServer> {
  const calls: RecordedCall[] = [];
  const requests: IncomingHttpHeaders[] = [];
  let customTools = opts.tools;
  let connections = 0;
  // One McpServer per session (an SDK server serves one transport), built from the tool list current at the time.
  const buildServer = (): McpServer => {
    const server = new McpServer({ name: 'metagent-test-tools', version: '1.0.0' });
    if (customTools) registerCustomTools(server, calls, customTools);
    else registerCannedTools(server, calls, opts);
    server.server.oninitialized = () => {
      connections++;
    };
    return server;
  };
  const sseSessions = new Map<string, SSEServerTransport>();
  const httpSessions = new Map<string, StreamableHTTPServerTransport>();
  const open = new Set<{ close(): Promise<void> }>();

  const handler: RequestListener = (req, res) =>
    void (async () => {
      requests.push(req.headers);
      try {
        const path = (req.url ?? '').split('?')[0];
        if (path === '/mcp') {
          // Stateful streamable HTTP (sessions), like most real servers: a client's notifications/cancelled reaches the
          // server instance running the request it cancels.
          const sessionId = req.headers['mcp-session-id'];
          const body = req.method === 'POST' ? await readJson(req) : undefined;
          let transport = typeof sessionId === 'string' ? httpSessions.get(sessionId) : undefined;
          if (!transport) {
            if (sessionId || req.method !== 'POST' || !isInitializeRequest(body)) {
              res.writeHead(sessionId ? 404 : 400, { 'content-type': 'application/json' }).end(
                JSON.stringify({
                  jsonrpc: '2.0',
                  id: null,
                  error: { code: -32000, message: sessionId ? 'unknown session' : 'initialize first' },
                }),
              );
              return;
            }
            const server = buildServer();
            const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
              sessionIdGenerator: () => randomUUID(),
              onsessioninitialized: (id) => void httpSessions.set(id, created),
            });
            const handle = { close: () => server.close() };
            open.add(handle);
            created.onclose = () => {
              if (created.sessionId) httpSessions.delete(created.sessionId);
              open.delete(handle);
            };
            await server.connect(created);
            transport = created;
          }
          await transport.handleRequest(req, res, body);
          return;
        }
        if (path === '/sse' && req.method === 'GET') {
          const transport = new SSEServerTransport('/messages', res);
          const server = buildServer();
          sseSessions.set(transport.sessionId, transport);
          const handle = { close: () => server.close() };
          open.add(handle);
          res.on('close', () => {
            sseSessions.delete(transport.sessionId);
            open.delete(handle);
            void server.close();
          });
          await server.connect(transport);
          return;
        }
        if (path === '/messages' && req.method === 'POST') {
          const sessionId = new URL(req.url ?? '', 'http://x').searchParams.get('sessionId') ?? '';
          const transport = sseSessions.get(sessionId);
          if (!transport) {
            res.writeHead(404).end('unknown session');
            return;
          }
          await transport.handlePostMessage(req, res, await readJson(req));
          return;
        }
        res.writeHead(404).end('not found');
      } catch (err) {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      }
    })();
  const http: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => http.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const baseUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: `${baseUrl}/mcp`,
    sseUrl: `${baseUrl}/sse`,
    baseUrl,
    port,
    calls,
    requests,
    connections: () => connections,
    setTools: (tools) => {
      customTools = tools;
    },
    close: async () => {
      await Promise.all([...open].map((h) => h.close().catch(() => undefined)));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
