// A real MCP server for tests (the SDK's McpServer), serving streamable HTTP on /mcp and SSE on /sse + /messages,
// on 127.0.0.1. It records the headers of each request so tests can check that configured headers arrive.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface TestMcpServer {
  url: string;
  /** Streamable HTTP endpoint. */
  mcpUrl: string;
  /** SSE endpoint. */
  sseUrl: string;
  /** Headers of every HTTP request received, in order. */
  requests: http.IncomingHttpHeaders[];
  /** Number of MCP sessions initialized (one per client connection). */
  connections(): number;
  setTools(tools: { name: string; description: string }[]): void;
  close(): Promise<void>;
}

export async function startTestMcpServer(tools: { name: string; description: string }[]): Promise<TestMcpServer> {
  let current = tools;
  let connections = 0;
  const requests: http.IncomingHttpHeaders[] = [];
  const sse = new Map<string, SSEServerTransport>();

  const makeServer = () => {
    const server = new McpServer({ name: 'metagent-test-mcp', version: '0.0.1' });
    for (const t of current) {
      server.registerTool(t.name, { description: t.description }, async () => ({ content: [{ type: 'text', text: t.name }] }));
    }
    server.server.oninitialized = () => {
      connections++;
    };
    return server;
  };

  const httpServer = http.createServer(async (req, res) => {
    requests.push(req.headers);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/mcp') {
        // Stateless: a fresh server and transport per request.
        const server = makeServer();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res);
      } else if (path === '/sse' && req.method === 'GET') {
        const server = makeServer();
        const transport = new SSEServerTransport('/messages', res);
        sse.set(transport.sessionId, transport);
        res.on('close', () => {
          sse.delete(transport.sessionId);
          void server.close();
        });
        await server.connect(transport);
      } else if (path === '/messages' && req.method === 'POST') {
        const id = new URL(req.url ?? '/', 'http://x').searchParams.get('sessionId') ?? '';
        const transport = sse.get(id);
        if (!transport) {
          res.writeHead(404).end('unknown session');
          return;
        }
        await transport.handlePostMessage(req, res);
      } else {
        res.writeHead(404).end('not found');
      }
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    mcpUrl: `${url}/mcp`,
    sseUrl: `${url}/sse`,
    requests,
    connections: () => connections,
    setTools: (t) => {
      current = t;
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
