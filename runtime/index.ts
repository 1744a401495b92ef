// The agent runtime: serves one agent (kagent's config.json + agent-card.json) over A2A.
// `startRuntime` is what the `metagent runtime` command, `metagent run` and the tests call.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RuntimeRequestHandler } from './a2a/request-handler.js';
import { TaskState } from '@a2a-js/sdk';
import { loadConfig } from './config/load.js';
import { createModel } from './models/registry.js';
import type { ChatModel } from './models/types.js';
import type { Tool, Toolset } from './tools/types.js';
import { createStores } from './store/index.js';
import { createTelemetry } from './telemetry/index.js';
import { AgentRuntimeExecutor } from './agent/executor.js';
import { buildAgentCard, createApp, type ServerState } from './a2a/server.js';
import { readSettings } from './settings.js';
import { createLogger } from '../lib/log.js';
import { compactionSettings } from './agent/compaction.js';
import type { AgentConfig, ModelConfig } from '../contract/config.js';
import type { Logger } from 'pino';
import { ConfigError } from '../contract/validate.js';

export { ConfigError, validateAgentConfig, validateAgentCard } from '../contract/validate.js';
export { loadConfig } from './config/load.js';
export { providers } from './models/registry.js';

export interface RuntimeOptions {
  /** Directory holding config.json and agent-card.json (kagent's Secret mount, /config in a pod). */
  filepath: string;
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * URL to advertise in the agent card instead of the card's own (kagent writes the in-cluster Service URL).
   * 'listen' advertises the address actually listened on, which local runs and tests need. Env: METAGENT_PUBLIC_URL.
   */
  publicUrl?: string;
  /** Called with the runtime's logger as soon as it exists, before the server listens (the CLI routes console here). */
  onLogger?: (log: Logger) => void;
}

export interface RuntimeHandle {
  url: string;
  port: number;
  /** Graceful stop: refuse new work, let in-flight tasks finish within the grace period, cancel the rest. */
  close(): Promise<void>;
}

// kagent signals skills by the KAGENT_SKILLS_FOLDER env var (see skills/), never by a config.json field: none of
// kagent's translator outputs carries `skills`, so only execute_code is left to warn about.
const IGNORED_FIELDS = ['execute_code'] as const;

/** context_config.compaction: its settings and the summariser (the agent's own model unless another is named). */
async function compactionDeps(config: AgentConfig, model: ChatModel | undefined, env: NodeJS.ProcessEnv, file: string) {
  const settings = compactionSettings(config.context_config);
  if (!settings || !model) return undefined;
  const named = (config.context_config as { compaction?: { summarizer_model?: ModelConfig | null } }).compaction
    ?.summarizer_model;
  if (!named) return { settings };
  const same = JSON.stringify(named) === JSON.stringify(config.model);
  return { settings, summarizer: same ? model : await createModel(named, env, file) };
}

/** A toolset holding a fixed list (remote agents). */
function staticToolset(name: string, tools: Tool[]): Toolset {
  return { name, tools: () => tools, start: () => undefined, close: async () => undefined };
}

export async function startRuntime(opts: RuntimeOptions): Promise<RuntimeHandle> {
  const env = opts.env ?? process.env;
  const settings = readSettings(env);
  const { config, card: cardJson, files } = await loadConfig(opts.filepath);
  const agentName = settings.agentName || cardJson.name;
  const log = createLogger(env, {
    agent: agentName,
    ...(settings.agentNamespace ? { namespace: settings.agentNamespace } : {}),
  });
  opts.onLogger?.(log);
  const model: ChatModel | undefined = config.model ? await createModel(config.model, env, files.config) : undefined;

  // Tool clients are imported only by agents that have such tools (the MCP SDK is a large share of startup time).
  const mcpServers = [...(config.http_tools ?? []), ...(config.sse_tools ?? [])];
  const { McpToolset } = mcpServers.length ? await import('./tools/mcp.js') : { McpToolset: undefined };
  const toolsets: Toolset[] = !McpToolset
    ? []
    : [
        ...(config.http_tools ?? []).map(
          (server) =>
            new McpToolset({
              kind: 'streamable-http',
              server,
              defaultToolTimeoutMs: settings.toolTimeoutMs,
              reconnectBaseMs: settings.mcpReconnectBaseMs,
              reconnectMaxMs: settings.mcpReconnectMaxMs,
              log,
            }),
        ),
        ...(config.sse_tools ?? []).map(
          (server) =>
            new McpToolset({
              kind: 'sse',
              server,
              defaultToolTimeoutMs: settings.toolTimeoutMs,
              reconnectBaseMs: settings.mcpReconnectBaseMs,
              reconnectMaxMs: settings.mcpReconnectMaxMs,
              log,
            }),
        ),
      ];
  if (config.remote_agents?.length) {
    const { remoteAgentTool } = await import('./tools/remote-agent.js');
    toolsets.push(
      staticToolset(
        'remote_agents',
        config.remote_agents.map((a) => remoteAgentTool(a, settings.toolTimeoutMs)),
      ),
    );
  }

  const telemetry = createTelemetry({ serviceName: agentName, env });
  const stores = await createStores(env, { log });
  const state: ServerState = { ready: false, draining: false };
  const compaction = await compactionDeps(config, model, env, files.config);
  // kagent's long-term memory: save_memory / load_memory, kept in the same store as the conversations. Imported only
  // by agents that have it; a bad memory block stops the start like any other config error.
  let memory: Awaited<ReturnType<typeof import('./memory/index.js').createMemory>>;
  try {
    memory =
      config.memory === undefined || config.memory === null || config.memory === false
        ? undefined
        : await (
            await import('./memory/index.js')
          ).createMemory(config.memory, { file: files.config, env, store: stores.memories, telemetry, settings, log });
  } catch (err) {
    await Promise.all([stores.close().catch(() => undefined), telemetry.shutdown().catch(() => undefined)]);
    throw err;
  }
  // kagent's skills (KAGENT_SKILLS_FOLDER): the folder is read here, once; imported only when the variable is set.
  let skills: Awaited<ReturnType<typeof import('./skills/index.js').loadSkills>>;
  try {
    skills = env.KAGENT_SKILLS_FOLDER?.trim()
      ? await (await import('./skills/index.js')).loadSkills(env, { log, timeoutMs: settings.toolTimeoutMs })
      : undefined;
  } catch (err) {
    await Promise.all([
      memory?.close().catch(() => undefined),
      stores.close().catch(() => undefined),
      telemetry.shutdown().catch(() => undefined),
    ]);
    throw err;
  }
  // kagent's share links: the three tools and the visitor's read, on the store's share table. Imported only when on.
  const shareModule = config.share_tools === true ? await import('./share/index.js') : undefined;
  if (shareModule && !stores.shares) {
    await Promise.all([memory?.close().catch(() => undefined), stores.close(), telemetry.shutdown()]);
    throw new ConfigError(files.config, 'share_tools', 'the configured METAGENT_STORE backend has no share table');
  }
  const shares =
    shareModule && stores.shares
      ? shareModule.createShares({
          store: stores.shares,
          namespace: settings.agentNamespace || 'default',
          name: agentName,
          uiUrl: env.KAGENT_UI_URL,
          timeoutMs: settings.toolTimeoutMs,
        })
      : undefined;
  const executor = new AgentRuntimeExecutor({
    config,
    model,
    toolsets,
    conversations: stores.conversations,
    telemetry,
    settings,
    log,
    agentName,
    compaction,
    memory,
    skills: skills?.tools,
    shares,
  });

  let card = buildAgentCard(cardJson, opts.publicUrl && opts.publicUrl !== 'listen' ? opts.publicUrl : undefined);
  const requestHandler = new RuntimeRequestHandler(
    card,
    stores.taskStore,
    executor,
    shares && shareModule ? (params, context) => shareModule.checkShareToken(shares.store, params, context) : undefined,
  );
  const app = createApp({
    requestHandler,
    card: () => card,
    registry: telemetry.registry,
    metrics: telemetry.metrics,
    log,
    state,
    maxBodyBytes: settings.maxBodyBytes,
    shareRead:
      shares && shareModule
        ? {
            paths: shareModule.SHARE_READ_PATHS,
            handler: shareModule.shareReadRoute(shares.store, stores.conversations, log),
          }
        : undefined,
  });

  // The tracing SDK loads in the background (only when OTLP is configured); a span started before it is loaded is a
  // no-op, so the first tasks would go untraced — wait for it before taking requests.
  await telemetry.ready;
  const server: Server = createServer(app);
  // Streaming tasks can run for minutes; only idle keep-alive sockets time out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const publicUrl = opts.publicUrl ?? env.METAGENT_PUBLIC_URL;
  if (publicUrl) {
    card = buildAgentCard(cardJson, publicUrl === 'listen' ? url : publicUrl);
    // The request handler keeps its own copy of the card (it validates versions against it).
    (requestHandler as unknown as { agentCard: typeof card }).agentCard = card;
  }
  for (const t of toolsets) t.start();
  // kagent features this runtime accepts but does not implement yet: said once, so nobody wonders why they do nothing.
  const ignored = IGNORED_FIELDS.filter((f) => config[f] !== undefined && config[f] !== null && config[f] !== false);
  if (ignored.length) log.warn({ fields: ignored }, 'config.json fields not supported by this runtime yet; ignored');
  state.ready = true;
  log.info(
    {
      url,
      model: model ? `${model.provider}/${model.model}` : null,
      memory: memory ? `${memory.embedder.provider}/${memory.embedder.model}` : null,
      skills: skills ? skills.skills.map((s) => s.name) : null,
      shareTools: !!shares,
      mcpServers: toolsets.filter((t) => t.name !== 'remote_agents').map((t) => t.name),
      remoteAgents: (config.remote_agents ?? []).map((a) => a.name),
      tracing: telemetry.tracesEndpoint ?? 'off',
    },
    'agent runtime listening',
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      state.draining = true;
      state.ready = false;
      log.info({ inFlight: executor.inFlight }, 'shutting down');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + settings.shutdownGraceMs;
      while (executor.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (executor.inFlight > 0) {
        log.warn({ inFlight: executor.inFlight }, 'grace period over; cancelling in-flight tasks');
        executor.cancelAll();
        const hard = Date.now() + 2_000;
        while (executor.inFlight > 0 && Date.now() < hard) await new Promise((r) => setTimeout(r, 20));
      }
      // Streams of finished tasks end on their own; anything left is cut.
      setTimeout(() => server.closeAllConnections(), 500).unref();
      await serverClosed;
      await Promise.all(toolsets.map((t) => t.close().catch(() => undefined)));
      await memory?.close().catch(() => undefined);
      await stores.close().catch((err) => log.error({ err: (err as Error).message }, 'closing stores failed'));
      await telemetry.shutdown().catch(() => undefined);
      log.info('stopped');
    })());
  return { url, port, close };
}

export { TaskState };
