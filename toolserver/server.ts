// The Kubernetes tool server: the tool table (tools.ts) served over MCP — streamable HTTP at /mcp (stateless: one MCP
// server per request, so replicas need no session affinity) and the older SSE transport at /sse + /messages.
// Listing tools is open (the RemoteMCPServer status hook lists them with no identity; the list is fixed); every tool
// call reads the cluster as the calling agent's ServiceAccount (auth.ts) and is refused without a valid token.
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Counter, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../lib/metrics.js';
import { apiServerUrl, kubeErrorText, kubeFetch, loadKubeConfig } from '../lib/kube.js';
import { TOOLS, ToolInputError, type KubeAccess } from './tools.js';
import { boundedClose } from '../lib/bounded-close.js';
import { DEFAULT_TOOLSERVER_AUDIENCE } from '../lib/service-account-token.js';
import {
  bearerToken,
  kubeconfigUserAuthenticator,
  tokenReviewAuthenticator,
  type Authenticator,
  type Caller,
} from './auth.js';

export interface ToolServerOptions {
  port?: number;
  host?: string;
  /** A kubeconfig file; without it (and without `kubeConfig`) the pod's in-cluster service account is used. */
  kubeconfig?: string;
  /** An already-loaded config (tests). */
  kubeConfig?: KubeConfig;
  logLevel?: string;
  /** Where the JSON log lines go (default stdout; tests read them). */
  logStream?: { write(line: string): void };
  /** The clock the formatters use for ages and Pending timeouts (tests pin it). */
  now?: () => Date;
  /** The audience callers' ServiceAccount tokens must be bound to (default DEFAULT_TOOLSERVER_AUDIENCE). */
  audience?: string;
  /**
   * Skip caller authentication and read the cluster with the kubeconfig's own identity: one person on their own
   * machine. Only with a loopback `host`.
   */
  actAsKubeconfigUser?: boolean;
}

export interface ToolServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const SERVER_NAME = 'metagent-k8s-toolserver';
const VERSION = '0.1.0';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function kubeAccess(kc: KubeConfig): KubeAccess {
  const fetchImpl = kubeFetch(kc);
  const base = apiServerUrl(kc);
  return {
    core: kc.makeApiClient(CoreV1Api),
    async getJson(path, accept = 'application/json') {
      const res = await fetchImpl(base + path, { headers: { accept } });
      const text = await res.text();
      if (!res.ok) throw Object.assign(new Error(`GET ${path}: HTTP ${res.status}`), { code: res.status, body: text });
      return JSON.parse(text);
    },
  };
}

interface Metrics {
  registry: Registry;
  calls: Counter<'tool' | 'outcome'>;
  duration: Histogram<'tool'>;
}

function makeMetrics(): Metrics {
  const registry = createMetricsRegistry({ processMetricsPrefix: 'metagent_toolserver_' });
  return {
    registry,
    calls: new Counter({
      name: 'metagent_toolserver_tool_calls_total',
      help: 'MCP tool calls by tool and outcome (ok, error, refused: no valid ServiceAccount token)',
      labelNames: ['tool', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'metagent_toolserver_tool_duration_seconds',
      help: 'Time to answer an MCP tool call, Kubernetes API round trips included',
      labelNames: ['tool'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

// One client (and one connection pool) per identity, for as long as the authenticator keeps its kubeconfig.
const accessByConfig = new WeakMap<KubeConfig, KubeAccess>();
function accessFor(kc: KubeConfig): KubeAccess {
  let access = accessByConfig.get(kc);
  if (!access) {
    access = kubeAccess(kc);
    accessByConfig.set(kc, access);
  }
  return access;
}

/** A 403 names the identity the read ran as, and how to grant it. */
function forbiddenHint(caller: Caller & { ok: true }): string {
  const sa = caller.serviceAccount;
  if (!sa) return '';
  return (
    ` (tools read the cluster as the agent's ServiceAccount ${sa.namespace}/${sa.name}; to let it read a ` +
    `namespace: kubectl create rolebinding ${sa.name}-view --clusterrole=view ` +
    `--serviceaccount=${sa.namespace}:${sa.name} -n NAMESPACE)`
  );
}

/** One MCP server with every tool registered; cheap enough to build per request. */
export function buildMcpServer(
  auth: Authenticator,
  metrics: Metrics,
  now: () => Date,
  log: FastifyInstance['log'],
): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: VERSION });
  for (const def of TOOLS) {
    server.registerTool(
      def.name,
      {
        description: def.description,
        inputSchema: def.input,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (args: Record<string, unknown>, extra: { authInfo?: AuthInfo }) => {
        const end = metrics.duration.startTimer({ tool: def.name });
        const caller = await auth.authenticate(extra.authInfo?.token);
        if (!caller.ok) {
          end();
          metrics.calls.inc({ tool: def.name, outcome: 'refused' });
          log.warn({ tool: def.name, reason: caller.reason }, 'tool call refused');
          return { content: [{ type: 'text' as const, text: `${def.name} refused: ${caller.reason}` }], isError: true };
        }
        const as = caller.serviceAccount
          ? `${caller.serviceAccount.namespace}/${caller.serviceAccount.name}`
          : undefined;
        try {
          const text = await def.run(accessFor(auth.kubeConfigFor(caller)), args as never, now());
          metrics.calls.inc({ tool: def.name, outcome: 'ok' });
          log.info({ tool: def.name, args, serviceAccount: as }, 'tool call');
          return { content: [{ type: 'text' as const, text }] };
        } catch (err) {
          // The model gets the reason and can correct itself (wrong namespace, missing RBAC); the server keeps running.
          const code = (err as { code?: unknown }).code;
          const reason =
            err instanceof ToolInputError
              ? err.message
              : kubeErrorText(err) + (code === 403 ? forbiddenHint(caller) : '');
          metrics.calls.inc({ tool: def.name, outcome: 'error' });
          log.warn({ tool: def.name, args, serviceAccount: as, reason }, 'tool call failed');
          return { content: [{ type: 'text' as const, text: `${def.name} failed: ${reason}` }], isError: true };
        } finally {
          end();
        }
      },
    );
  }
  return server;
}

export async function startToolServer(opts: ToolServerOptions = {}): Promise<ToolServer> {
  const kc = opts.kubeConfig ?? loadKubeConfig({ kubeconfig: opts.kubeconfig, fallback: 'cluster' });
  const host = opts.host ?? '0.0.0.0';
  if (opts.actAsKubeconfigUser && !LOOPBACK_HOSTS.has(host)) {
    throw new Error(
      `--act-as-kubeconfig-user serves every caller with the kubeconfig's own identity, so it needs a loopback --host (127.0.0.1, ::1 or localhost), not "${host}"`,
    );
  }
  const audience = opts.audience ?? DEFAULT_TOOLSERVER_AUDIENCE;
  if (audience.trim() === '') throw new Error('--audience must not be empty');
  const auth = opts.actAsKubeconfigUser
    ? kubeconfigUserAuthenticator(kc)
    : tokenReviewAuthenticator({ kubeConfig: kc, audience });
  const metrics = makeMetrics();
  const now = opts.now ?? (() => new Date());
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: 4 * 1024 * 1024,
  });
  const sseSessions = new Map<string, SSEServerTransport>();

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.post('/mcp', async (req, reply) => {
    withAuthInfo(req.raw, req.headers.authorization);
    const server = buildMcpServer(auth, metrics, now, app.log);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    reply.hijack();
    reply.raw.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req.raw, reply.raw, req.body);
  });
  // Stateless: no server-initiated stream and no session to delete.
  const notAllowed = async (
    _req: unknown,
    reply: { code(n: number): { send(b: unknown): unknown }; header(k: string, v: string): unknown },
  ) => {
    reply.header('allow', 'POST');
    return reply.code(405).send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
  };
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);

  app.get('/sse', async (_req, reply) => {
    reply.hijack();
    const transport = new SSEServerTransport('/messages', reply.raw);
    const server = buildMcpServer(auth, metrics, now, app.log);
    sseSessions.set(transport.sessionId, transport);
    // The MCP server wraps this handler and closes itself when the transport closes.
    transport.onclose = () => {
      sseSessions.delete(transport.sessionId);
    };
    await server.connect(transport);
  });
  app.post('/messages', async (req, reply) => {
    const sessionId = (req.query as Record<string, string | undefined>).sessionId ?? '';
    const transport = sseSessions.get(sessionId);
    if (!transport) return reply.code(404).send({ error: `unknown SSE session "${sessionId}"` });
    // Each message carries its own token: the session id alone proves nothing about who sends the call.
    withAuthInfo(req.raw, req.headers.authorization);
    reply.hijack();
    await transport.handlePostMessage(req.raw, reply.raw, req.body);
  });

  app.addHook('onClose', async () => {
    await Promise.all([...sseSessions.values()].map((t) => t.close()));
  });

  // Tool calls read the API server (seconds at most); then open connections are cut (lib/bounded-close.ts).
  const closeBounded = boundedClose(app.server, 10_000);
  await app.listen({ port: opts.port ?? 8084, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  app.log.info(
    { port, apiServer: apiServerUrl(kc), ...(opts.actAsKubeconfigUser ? { actAsKubeconfigUser: true } : { audience }) },
    'tool server listening',
  );
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => closeBounded(() => app.close()),
  };
}

/** The MCP SDK hands `req.auth` to tool handlers as `extra.authInfo`; the token is checked when a tool is called. */
function withAuthInfo(req: IncomingMessage & { auth?: AuthInfo }, header: string | undefined): void {
  const token = bearerToken(header);
  req.auth = token === undefined ? undefined : { token, clientId: '', scopes: [] };
}
