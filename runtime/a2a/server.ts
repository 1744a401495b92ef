// The HTTP surface of the runtime (express 5 + @a2a-js/sdk): A2A JSON-RPC at / for v1.0 and, through the SDK's compat
// layer, the v0.3 methods (message/send, message/stream, tasks/get, tasks/cancel) that kagent's UI, CLI and agents
// speak; the agent card; health, readiness and metrics. Client mistakes are answered, never thrown.
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Response } from 'express';
import { AgentCard } from '@a2a-js/sdk';
import { agentCardHandler, jsonRpcHandler } from '@a2a-js/sdk/server/express';
import { userFromHeader } from './caller.js';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { AgentCardJson } from '../../contract/config.js';
import type { RuntimeMetrics } from '../telemetry/index.js';
import { jsonBody } from './json-body.js';
import { envelopeProblem, nameTaskStates, RPC } from './envelope.js';
import { dropNullFields, knownMethod, paramsProblem } from './params.js';
import { ResponseBatch } from './response-batch.js';
import { REST_PATH, restBodyErrors, restRoute } from './rest.js';
import { CURRENT_VERSION, negotiateVersion, requestedVersion, SERVED_VERSIONS, VERSION_HEADER } from './version.js';

export const AGENT_CARD_PATH = '/.well-known/agent-card.json';

/** kagent's card, with both JSON-RPC interfaces the server speaks present and, if asked, pointing at `publicUrl`. */
export function buildAgentCard(json: AgentCardJson, publicUrl?: string): AgentCard {
  const card = AgentCard.fromJSON(json);
  const url = publicUrl ?? card.supportedInterfaces[0]?.url ?? '';
  card.supportedInterfaces = card.supportedInterfaces.map((i) => (publicUrl ? { ...i, url: publicUrl } : i));
  // Every binding and version the server speaks, on the same URL (the SDK's compat layers refuse to serve v0.3
  // without a v0.3 interface of that binding).
  for (const protocolBinding of ['JSONRPC', 'HTTP+JSON']) {
    for (const version of SERVED_VERSIONS) {
      if (
        !card.supportedInterfaces.some((i) => i.protocolBinding === protocolBinding && i.protocolVersion === version)
      ) {
        card.supportedInterfaces.push({ url, protocolBinding, protocolVersion: version, tenant: '' });
      }
    }
  }
  // What the runtime implements, whatever the card file says: streaming (message/stream, resubscribe) yes; push
  // notifications and an extended card no (A2A 1.0 §3.3.4: a capability declared must work).
  card.capabilities = {
    extensions: [],
    ...card.capabilities,
    streaming: true,
    pushNotifications: false,
    extendedAgentCard: false,
  } as AgentCard['capabilities'];
  return card;
}

export interface ServerState {
  ready: boolean;
  draining: boolean;
}

export interface AppOptions {
  requestHandler: import('@a2a-js/sdk/server').A2ARequestHandler;
  card: () => AgentCard;
  registry: Registry;
  metrics: RuntimeMetrics;
  log: Logger;
  state: ServerState;
  maxBodyBytes: number;
  /** Share links on: GET /api/shares[/{token}], a visitor's read of a shared conversation (share/route.ts). */
  shareRead?: { paths: string[]; handler: RequestHandler };
}

const STREAMING_METHODS = new Set(['SendStreamingMessage', 'SubscribeToTask']);

const jsonRpcError = (code: number, message: string, id: unknown = null) => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});

/**
 * A JSON answer, sent with the other answers of this event-loop turn. express's res.json() goes through res.send()
 * (charset, ETag and freshness checks) and hands Node a Buffer, written apart from the headers; a string body goes
 * out with them in one write.
 */
function writeJson(res: Response, body: unknown, batch: ResponseBatch, sse = false): Response {
  const json = JSON.stringify(body) ?? 'null';
  const text = sse ? `data: ${json}\n\n` : json;
  res.setHeader('content-type', sse ? 'text/event-stream' : 'application/json; charset=utf-8');
  if (sse) res.setHeader('cache-control', 'no-cache');
  res.setHeader('content-length', Buffer.byteLength(text));
  batch.send(res, text);
  return res;
}

/**
 * Counts A2A calls by JSON-RPC method and outcome (a JSON-RPC error in a 200 response counts as an error), and
 * answers the SDK's JSON responses through {@link writeJson}.
 */
function countRequests(metrics: RuntimeMetrics, batch: ResponseBatch): RequestHandler {
  return (req, res, next) => {
    let rpcError = false;
    res.json = (body: unknown) => {
      const error =
        body && typeof body === 'object' && 'error' in body
          ? (body as { error?: { message?: unknown } }).error
          : undefined;
      rpcError = !!error;
      const version = String(req.headers[VERSION_HEADER] ?? '');
      if (error && typeof error.message === 'string') error.message = nameTaskStates(error.message, version);
      // A2A 1.0 §9.4.2, §9.4.6: a streaming method's response is an SSE stream — also when it is one error event.
      const sse = !!error && version === CURRENT_VERSION && STREAMING_METHODS.has(req.body?.method);
      return writeJson(res, body, batch, sse);
    };
    // Server-sent events (message/stream): what a stream writes in one turn goes out at its end, with the others'.
    const { write, flushHeaders } = res;
    res.write = function (this: Response, ...args: Parameters<Response['write']>) {
      batch.hold(res);
      return write.apply(this, args);
    } as Response['write'];
    res.flushHeaders = function (this: Response) {
      batch.hold(res);
      flushHeaders.call(this);
    };
    res.on('finish', () => {
      const method = typeof req.body?.method === 'string' ? req.body.method.slice(0, 64) : 'invalid';
      const outcome = res.statusCode >= 400 ? `http_${res.statusCode}` : rpcError ? 'error' : 'ok';
      metrics.a2aRequest(method, outcome);
    });
    next();
  };
}

export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // The A2A endpoint is the first route, so a message/send passes through as few router layers as possible.
  const bodyErrors: ErrorRequestHandler = (err, req, res, next) => {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      res.setHeader('connection', 'close');
      res.status(413).json(jsonRpcError(-32600, `request body exceeds ${opts.maxBodyBytes} bytes`));
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(200).json(jsonRpcError(-32700, 'Invalid JSON payload.'));
      return;
    }
    if (e.status && e.status >= 400 && e.status < 500) {
      res.status(e.status).json(jsonRpcError(-32600, 'invalid request body'));
      return;
    }
    next(err);
  };
  // New work is refused while draining; the pod is already out of the Service's endpoints by then.
  const refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (!opts.state.draining) return next();
    res.setHeader('connection', 'close');
    res.status(503).json(jsonRpcError(-32603, 'server is shutting down'));
  };
  // The version is negotiated first (A2A 1.0 §3.6: Major.Minor only, empty = 0.3) and the header rewritten to it, so
  // the SDK routes "1.0.0" as 1.0; a version we do not serve is answered here (the SDK would log it as an unhandled
  // error with its stack).
  const negotiate: RequestHandler = (req, res, next) => {
    const negotiated = negotiateVersion(requestedVersion(req));
    if ('error' in negotiated) {
      const id = req.body && typeof req.body === 'object' ? ((req.body as { id?: unknown }).id ?? null) : null;
      res.status(200).json(jsonRpcError(RPC.versionNotSupported, negotiated.error, id));
      return;
    }
    req.headers[VERSION_HEADER] = negotiated.version;
    next();
  };
  // A body that is not a JSON-RPC 2.0 request, a method the requested version does not have, or params of the
  // wrong shape are answered here, before the SDK sees them — in that order (JSON-RPC 2.0 §5.1).
  const requireRpcRequest: RequestHandler = (req, res, next) => {
    const body = req.body as unknown;
    const envelope = envelopeProblem(body);
    if (envelope) {
      res.status(200).json(jsonRpcError(envelope.code, envelope.message, envelope.id));
      return;
    }
    const version = req.headers[VERSION_HEADER] as string;
    const { method, params, id } = body as { method: string; params?: unknown; id?: unknown };
    if (!knownMethod(version, method)) {
      res
        .status(200)
        .json(
          jsonRpcError(RPC.methodNotFound, `Method not found: ${method.slice(0, 64)} (A2A ${version})`, id ?? null),
        );
      return;
    }
    const problem = paramsProblem(version, method, params);
    if (problem) {
      res.status(200).json(jsonRpcError(RPC.invalidParams, `Invalid params: ${problem}`, id ?? null));
      return;
    }
    dropNullFields(method, params);
    next();
  };
  app.post(
    '/',
    refuseWhileDraining,
    countRequests(opts.metrics, new ResponseBatch()),
    // Our parser runs first so the size limit is ours (the SDK's default is 100 kB); the SDK's parser then sees a
    // read body and skips.
    jsonBody(opts.maxBodyBytes),
    bodyErrors,
    negotiate,
    requireRpcRequest,
    jsonRpcHandler({
      requestHandler: opts.requestHandler,
      userBuilder: userFromHeader,
      legacyCompat: { enabled: true },
    }),
  );

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  const ready: RequestHandler = (_req, res) => {
    const ok = opts.state.ready && !opts.state.draining;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : opts.state.draining ? 'shutting down' : 'starting' });
  };
  app.get('/ready', ready);
  app.get('/readyz', ready);
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', opts.registry.contentType);
    res.send(await opts.registry.metrics());
  });

  if (opts.shareRead) for (const path of opts.shareRead.paths) app.get(path, opts.shareRead.handler);

  app.use(
    AGENT_CARD_PATH,
    agentCardHandler({
      agentCardProvider: async () => opts.card(),
      legacyCompat: { enabled: true },
      cache: { maxAge: 0 },
    } as never),
  );

  // The HTTP+JSON binding on its own paths (A2A 1.0 §11), beside JSON-RPC at /.
  app.all(
    REST_PATH,
    refuseWhileDraining,
    jsonBody(opts.maxBodyBytes),
    restBodyErrors,
    ...restRoute(opts.requestHandler),
  );

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  const lastResort: ErrorRequestHandler = (err, _req, res, _next) => {
    opts.metrics.error('internal');
    opts.log.error({ err: (err as Error)?.message }, 'unhandled request error');
    if (!res.headersSent) res.status(500).json(jsonRpcError(-32603, 'internal error'));
    else res.end();
  };
  app.use(lastResort);
  return app;
}
