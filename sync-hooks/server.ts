// The Metacontroller hook server: a thin HTTP shell (fastify) around the hook functions. One route per hook, a
// bounded number of requests in flight (429 + Retry-After beyond it, which Metacontroller honours by requeueing the
// parent after that many seconds), 400 with a message for malformed requests, and never a crash on bad input.
// It never calls the Kubernetes API: everything a hook needs arrives in the request.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { boundedClose } from '../lib/bounded-close.js';
import { customizeAgent } from './agent/customize.js';
import { latestObservedTime } from './agent/status.js';
import { syncAgent, type AgentSyncOptions } from './agent/sync.js';
import { checkProxyUrl } from './agent/proxy.js';
import { checkServiceAccountName } from './agent/children.js';
import { DEFAULT_SKILLS_INIT_IMAGE } from './agent/skills.js';
import { rfc3339 } from './conditions.js';
import { createHookMetrics, type HookMetrics } from './metrics.js';
import { customizeModelConfig } from './modelconfig/customize.js';
import { syncModelConfig } from './modelconfig/sync.js';
import type { CustomizeRequest, CustomizeResponse, KubeObject, SyncRequest, SyncResponse } from './protocol.js';
import { customizeRemoteMCPServer } from './remotemcpserver/customize.js';
import { createMcpProber, type McpProber } from './remotemcpserver/probe.js';
import { syncRemoteMCPServer } from './remotemcpserver/sync.js';
import { checkRefreshSeconds } from './refresh/probe-cache.js';
import { customizeModelProviderConfig } from './modelproviderconfig/customize.js';
import { createModelDiscoverer, type ModelDiscoverer } from './modelproviderconfig/discover.js';
import { syncModelProviderConfig } from './modelproviderconfig/sync.js';

export interface SyncHookServerOptions {
  port?: number;
  host?: string;
  /** Image of the agent runtime for declarative Agents. */
  runtimeImage?: string;
  imagePullPolicy?: string;
  /** kagent's gateway proxy option (sync-hooks/agent/proxy.ts); checked here, so a bad value fails at start. */
  proxyUrl?: string;
  /** kagent's --default-service-account-name (sync-hooks/agent/children.ts). */
  defaultServiceAccountName?: string;
  /** kagent's skills-init image for Agents with skills (sync-hooks/agent/skills.ts DEFAULT_SKILLS_INIT_IMAGE). */
  skillsInitImage?: string;
  /** Requests handled at once before answering 429 (all hooks but the RemoteMCPServer sync). */
  maxInFlight?: number;
  /** RemoteMCPServer and ModelProviderConfig syncs handled at once (each may wait up to 5 s on an MCP server or a
   * model provider), a separate pool so that slow servers cannot make the Agent hooks answer 429. */
  maxProbesInFlight?: number;
  /** Largest request body accepted (bytes). Metacontroller sends every child and related object in one request. */
  bodyLimit?: number;
  /** pino level, or false for no logs (tests). */
  logLevel?: string | false;
  /** RemoteMCPServer tool lists are refreshed every this many seconds (default 60, kagent's period). */
  toolsResyncSeconds?: number;
  /** Inject the MCP prober (tests); by default a real SDK client with a cache. */
  prober?: McpProber;
  /** ModelProviderConfig model lists are refreshed every this many seconds (default 60). */
  modelsResyncSeconds?: number;
  /** Inject the model discoverer (tests); by default real HTTP with a cache. */
  discoverer?: ModelDiscoverer;
  /** Clock for lastTransitionTime (tests). */
  now?: () => Date;
  /** On close, how long in-flight hooks may take before every remaining connection is cut (default 6 s). */
  closeGraceMs?: number;
}

export interface SyncHookServer {
  url: string;
  port: number;
  metrics: HookMetrics;
  close(): Promise<void>;
}

export const DEFAULT_RUNTIME_IMAGE = 'ghcr.io/metagent/metagent-runtime:0.1.0';
export const DEFAULT_IMAGE_PULL_POLICY = 'IfNotPresent';

type HookKind = 'customize' | 'sync';
/** Which in-flight limit a route counts against. */
type Pool = 'hooks' | 'probes';

interface HookRoute {
  /** Metric label and route name, e.g. `agent-sync`. */
  hook: string;
  path: string;
  kind: HookKind;
  pool: Pool;
  /** The parent kind this hook serves; a request for another kind is a configuration mistake (400). */
  parentKind: string;
  handle(
    body: SyncRequest & CustomizeRequest,
  ): SyncResponse | CustomizeResponse | Promise<SyncResponse | CustomizeResponse>;
}

interface HookDeps extends AgentSyncOptions {
  prober: McpProber;
  discoverer: ModelDiscoverer;
  now: () => Date;
}

/** The route table: one entry per hook, all served the same way. */
// Time of a condition transition: the ModelConfig hook is pure and takes the newest timestamp in the request (as the
// Agent hook does), so the same request always gives the same bytes; the RemoteMCPServer and ModelProviderConfig hooks
// depend on a probe made now anyway, so they use the clock.
function hookRoutes(d: HookDeps): HookRoute[] {
  const now = () => rfc3339(d.now());
  return [
    {
      hook: 'agent-customize',
      path: '/agent/customize',
      kind: 'customize',
      pool: 'hooks',
      parentKind: 'Agent',
      handle: (b) => customizeAgent(b, { proxyUrl: d.proxyUrl }),
    },
    {
      hook: 'agent-sync',
      path: '/agent/sync',
      kind: 'sync',
      pool: 'hooks',
      parentKind: 'Agent',
      handle: (b) =>
        syncAgent(b, {
          runtimeImage: d.runtimeImage,
          imagePullPolicy: d.imagePullPolicy,
          proxyUrl: d.proxyUrl,
          defaultServiceAccountName: d.defaultServiceAccountName,
          skillsInitImage: d.skillsInitImage,
        }),
    },
    {
      hook: 'modelconfig-customize',
      path: '/modelconfig/customize',
      kind: 'customize',
      pool: 'hooks',
      parentKind: 'ModelConfig',
      handle: (b) => customizeModelConfig(b),
    },
    {
      hook: 'modelconfig-sync',
      path: '/modelconfig/sync',
      kind: 'sync',
      pool: 'hooks',
      parentKind: 'ModelConfig',
      handle: (b) => syncModelConfig(b, { now: latestObservedTime(b) }),
    },
    {
      hook: 'remotemcpserver-customize',
      path: '/remotemcpserver/customize',
      kind: 'customize',
      pool: 'hooks',
      parentKind: 'RemoteMCPServer',
      handle: (b) => customizeRemoteMCPServer(b),
    },
    {
      hook: 'remotemcpserver-sync',
      path: '/remotemcpserver/sync',
      kind: 'sync',
      pool: 'probes',
      parentKind: 'RemoteMCPServer',
      handle: (b) => syncRemoteMCPServer(b, { prober: d.prober, now: now() }),
    },
    {
      hook: 'modelproviderconfig-customize',
      path: '/modelproviderconfig/customize',
      kind: 'customize',
      pool: 'hooks',
      parentKind: 'ModelProviderConfig',
      handle: (b) => customizeModelProviderConfig(b),
    },
    {
      hook: 'modelproviderconfig-sync',
      path: '/modelproviderconfig/sync',
      kind: 'sync',
      pool: 'probes',
      parentKind: 'ModelProviderConfig',
      handle: (b) => syncModelProviderConfig(b, { discoverer: d.discoverer, now: now() }),
    },
  ];
}

class BadRequest extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the envelope Metacontroller sends; the hook functions may then rely on its shape. */
function validateRequest(body: unknown, route: HookRoute): SyncRequest & CustomizeRequest {
  if (!isObject(body)) throw new BadRequest('request body must be a JSON object');
  const parent = body.parent;
  if (!isObject(parent)) throw new BadRequest('request.parent must be an object');
  if (typeof parent.apiVersion !== 'string' || typeof parent.kind !== 'string') {
    throw new BadRequest('request.parent must have apiVersion and kind');
  }
  if (!isObject(parent.metadata) || typeof parent.metadata.name !== 'string') {
    throw new BadRequest('request.parent.metadata.name must be a string');
  }
  if (parent.kind !== route.parentKind) {
    throw new BadRequest(`${route.path} serves ${route.parentKind} parents, got ${parent.kind}`);
  }
  for (const field of ['children', 'related'] as const) {
    const m = body[field];
    if (m === undefined || m === null) continue;
    if (!isObject(m) || !Object.values(m).every(isObject)) {
      throw new BadRequest(`request.${field} must be an object of objects ({"Kind.apiVersion": {"ns/name": object}})`);
    }
  }
  return {
    controller: (isObject(body.controller) ? body.controller : {}) as KubeObject,
    parent: parent as unknown as KubeObject,
    children: (body.children ?? {}) as SyncRequest['children'],
    related: (body.related ?? {}) as SyncRequest['related'],
    finalizing: body.finalizing === true,
  };
}

/** Only the fields Metacontroller knows: v2 hooks parse responses strictly and reject unknown fields. */
function responseBody(kind: HookKind, r: SyncResponse | CustomizeResponse): Record<string, unknown> {
  if (kind === 'customize') return { relatedResources: (r as CustomizeResponse).relatedResources ?? [] };
  const s = r as SyncResponse;
  const out: Record<string, unknown> = { status: s.status ?? {}, children: s.children ?? [] };
  if (typeof s.resyncAfterSeconds === 'number' && s.resyncAfterSeconds > 0)
    out.resyncAfterSeconds = s.resyncAfterSeconds;
  if (s.finalized === true) out.finalized = true;
  return out;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    hook?: string;
    pool?: 'hooks' | 'probes';
  }
  interface FastifyRequest {
    inFlightPool?: 'hooks' | 'probes';
  }
}

export async function startSyncHookServer(opts: SyncHookServerOptions = {}): Promise<SyncHookServer> {
  const limits: Record<Pool, number> = { hooks: opts.maxInFlight ?? 64, probes: opts.maxProbesInFlight ?? 16 };
  const inFlight: Record<Pool, number> = { hooks: 0, probes: 0 };
  // Plain counts on the request path; the registry reads them when scraped (metrics.ts HookTallies).
  const requestCounts = new Map<string, Map<number, number>>();
  const durationLabels = new Map<string, { hook: string }>();
  const metrics = createHookMetrics({
    defaultMetrics: opts.logLevel !== false,
    tallies: { inFlight: () => inFlight, requests: () => requestCounts },
  });
  const logLevel = opts.logLevel ?? process.env.METAGENT_LOG_LEVEL ?? 'info';
  // Errors only, written by this server with their own fields: no fastify logger, whose per-request child logger
  // costs CPU on every request of a controller that resyncs every parent periodically.
  const log = logLevel === false ? undefined : pino({ name: 'metagent-sync-hooks', level: logLevel });
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    return503OnClosing: true,
  });
  const deps: HookDeps = {
    runtimeImage: opts.runtimeImage ?? DEFAULT_RUNTIME_IMAGE,
    imagePullPolicy: opts.imagePullPolicy ?? DEFAULT_IMAGE_PULL_POLICY,
    proxyUrl: opts.proxyUrl === undefined ? undefined : checkProxyUrl(opts.proxyUrl, 'proxyUrl'),
    defaultServiceAccountName:
      opts.defaultServiceAccountName === undefined
        ? undefined
        : checkServiceAccountName(opts.defaultServiceAccountName, 'defaultServiceAccountName'),
    skillsInitImage: opts.skillsInitImage ?? DEFAULT_SKILLS_INIT_IMAGE,
    prober:
      opts.prober ??
      createMcpProber({
        refreshSeconds:
          opts.toolsResyncSeconds === undefined
            ? undefined
            : checkRefreshSeconds(opts.toolsResyncSeconds, 'toolsResyncSeconds'),
        onProbe: (result, seconds) => {
          metrics.mcpProbes.inc({ result });
          if (seconds !== undefined) metrics.mcpProbeDuration.observe(seconds);
        },
      }),
    discoverer:
      opts.discoverer ??
      createModelDiscoverer({
        refreshSeconds:
          opts.modelsResyncSeconds === undefined
            ? undefined
            : checkRefreshSeconds(opts.modelsResyncSeconds, 'modelsResyncSeconds'),
        onDiscover: (result, seconds) => {
          metrics.modelDiscoveries.inc({ result });
          if (seconds !== undefined) metrics.modelDiscoveryDuration.observe(seconds);
        },
      }),
    now: opts.now ?? (() => new Date()),
  };
  let ready = false;

  const release = (req: FastifyRequest) => {
    const pool = req.inFlightPool;
    if (pool) {
      req.inFlightPool = undefined;
      inFlight[pool]--;
    }
  };

  // Callback-style hooks rather than async functions: they run on every request, and an async hook costs fastify a
  // promise and a microtask turn each time.
  app.addHook('onRequest', (req, reply, done) => {
    const { hook, pool } = req.routeOptions.config;
    if (!hook || !pool) return done();
    if (inFlight[pool] >= limits[pool]) {
      metrics.errors.inc({ hook, kind: 'overloaded' });
      // Replying from the hook ends the request; fastify must not also be told to continue.
      void reply
        .code(429)
        .header('retry-after', '1')
        .send({ error: `overloaded: ${inFlight[pool]} ${pool} requests in flight` });
      return;
    }
    inFlight[pool]++;
    req.inFlightPool = pool;
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    release(req);
    const hook = req.routeOptions.config.hook;
    if (hook) {
      let byCode = requestCounts.get(hook);
      if (!byCode) requestCounts.set(hook, (byCode = new Map()));
      const code = reply.statusCode;
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
      let labels = durationLabels.get(hook);
      if (!labels) durationLabels.set(hook, (labels = { hook }));
      metrics.duration.observe(labels, reply.elapsedTime / 1000);
    }
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    release(req);
    done();
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const hook = req.routeOptions?.config?.hook ?? 'none';
    const code =
      err instanceof BadRequest
        ? 400
        : err.statusCode && err.statusCode >= 400 && err.statusCode < 500
          ? err.statusCode
          : 500;
    metrics.errors.inc({ hook, kind: code === 500 ? 'internal' : 'bad_request' });
    if (code === 500) log?.error({ hook, err: err.message }, 'hook failed');
    else log?.warn({ hook, err: err.message }, 'bad hook request');
    void reply.code(code).send({ error: code === 500 ? `internal error in ${hook}: ${err.message}` : err.message });
  });

  for (const route of hookRoutes(deps)) {
    app.post(
      route.path,
      { config: { hook: route.hook, pool: route.pool } },
      async (req: FastifyRequest, reply: FastifyReply) => {
        const body = validateRequest(req.body, route);
        const result = await route.handle(body);
        return reply.send(responseBody(route.kind, result));
      },
    );
  }

  app.get('/healthz', async () => 'ok');
  app.get('/readyz', async (_req, reply) => (ready ? 'ok' : reply.code(503).send('not ready')));
  app.get('/metrics', async (_req, reply) => {
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const host = opts.host ?? '127.0.0.1';
  // In-flight hooks may wait up to the MCP probe's 5 s timeout; after that, open connections are cut, so a client
  // that connected without sending a request cannot hold a shutdown (lib/bounded-close.ts).
  const closeBounded = boundedClose(app.server, opts.closeGraceMs ?? 6_000);
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  ready = true;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    metrics,
    close: async () => {
      ready = false;
      await closeBounded(() => app.close());
    },
  };
}
