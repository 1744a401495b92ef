// Agent tools -> config.json `http_tools` / `sse_tools` (MCP servers) and `remote_agents` (agents as tools),
// following kagent's translator: RemoteMCPServer or an annotated Service for MCP, `ns__NS__name` for agents.
import type { Agent, McpServerTool, RemoteMCPServer, Tool, TypedReference } from '../../crds/types.js';
import type { KubeObject } from '../protocol.js';
import { ResolutionError } from '../resolve/errors.js';
import { checkCrossNamespace } from '../resolve/namespaces.js';
import { KAGENT_API_VERSION, type Related } from '../resolve/related.js';
import { resolveValueRefs } from '../resolve/values.js';
import { remoteMCPServerViewRefs } from '../remotemcpserver/refs.js';
import { durationSeconds } from './duration.js';
import { addTLSMount, tlsFields, type ModelDeploymentData } from './providers/common.js';
import { isClusterInternalUrl, viaProxy } from './proxy.js';
import { addTokenMount, tokenAudience } from './service-account-token.js';
import { TOKEN_AUDIENCE_ANNOTATION } from '../../lib/service-account-token.js';

export interface ToolsConfig {
  http_tools: Record<string, unknown>[];
  sse_tools: Record<string, unknown>[];
  remote_agents: Record<string, unknown>[];
}

/** kagent's ConvertToPythonIdentifier: `ns/name-x` -> `ns__NS__name_x`. */
export function pythonIdentifier(s: string): string {
  return s.replace(/\//g, '__NS__').replace(/-/g, '_');
}

const SERVICE_PORT_ANNOTATION = 'kagent.dev/mcp-service-port';
const SERVICE_PATH_ANNOTATION = 'kagent.dev/mcp-service-path';
const SERVICE_PROTOCOL_ANNOTATION = 'kagent.dev/mcp-service-protocol';

/** kagent's ConvertServiceToRemoteMCPServer: URL from the Service's port and the kagent.dev/mcp-service-* annotations. */
export function serviceToRemoteMCPServer(svc: KubeObject): RemoteMCPServer {
  const ann = svc.metadata.annotations ?? {};
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  let port = 0;
  if (ann[SERVICE_PORT_ANNOTATION] !== undefined) {
    port = Number(ann[SERVICE_PORT_ANNOTATION]);
    if (!Number.isInteger(port)) {
      throw new ResolutionError(
        'InvalidSpec',
        `Service ${ns}/${name}: annotation ${SERVICE_PORT_ANNOTATION} is not an integer`,
      );
    }
  }
  // Exact-case match, as kagent: anything other than SSE/STREAMABLE_HTTP means streamable HTTP.
  const protocol = ann[SERVICE_PROTOCOL_ANNOTATION] === 'SSE' ? 'SSE' : 'STREAMABLE_HTTP';
  const path = ann[SERVICE_PATH_ANNOTATION] ?? '/mcp';
  const ports = (svc.spec as { ports?: { port: number; appProtocol?: string }[] } | undefined)?.ports ?? [];
  if (port === 0) {
    if (ports.length === 1) port = ports[0].port;
    else port = ports.find((p) => p.appProtocol?.toLowerCase() === 'mcp')?.port ?? 0;
  }
  if (!port)
    throw new ResolutionError(
      'InvalidSpec',
      `Service ${ns}/${name}: no MCP port (one port, an appProtocol "mcp" port, or ${SERVICE_PORT_ANNOTATION})`,
    );
  return {
    apiVersion: KAGENT_API_VERSION,
    kind: 'RemoteMCPServer',
    metadata: { name, namespace: ns, ...tokenAnnotation(ann) },
    spec: { url: `http://${name}.${ns}:${port}${path}`, protocol },
  };
}

/** A Service or kmcp MCPServer asks for the agent's token the way a RemoteMCPServer does. */
function tokenAnnotation(ann: Record<string, string>): { annotations?: Record<string, string> } {
  const audience = ann[TOKEN_AUDIENCE_ANNOTATION];
  return audience === undefined ? {} : { annotations: { [TOKEN_AUDIENCE_ANNOTATION]: audience } };
}

/** kmcp's MCPServer (the kagent.dev/v1alpha1 API kagent ships with it). */
export const KMCP_API_VERSION = 'kagent.dev/v1alpha1';
/** kagent's DefaultMCPServerTimeout, for MCPServers that set none. */
const KMCP_DEFAULT_TIMEOUT = '30s';

/**
 * kagent's ConvertMCPServerToRemoteMCPServer: kmcp serves every MCPServer (stdio ones through its HTTP gateway) over
 * streamable HTTP at /mcp on the deployment's port, from a Service of the MCPServer's name.
 */
export function mcpServerToRemoteMCPServer(server: KubeObject): RemoteMCPServer {
  const ns = server.metadata.namespace ?? '';
  const name = server.metadata.name ?? '';
  const spec = (server.spec ?? {}) as { deployment?: { port?: unknown }; timeout?: unknown };
  const port = spec.deployment?.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0) {
    throw new ResolutionError('InvalidSpec', `MCPServer ${ns}/${name}: spec.deployment.port is required to reach it`);
  }
  return {
    apiVersion: KAGENT_API_VERSION,
    kind: 'RemoteMCPServer',
    metadata: { name, namespace: ns, ...tokenAnnotation(server.metadata.annotations ?? {}) },
    spec: {
      url: `http://${name}.${ns}:${port}/mcp`,
      protocol: 'STREAMABLE_HTTP',
      timeout: typeof spec.timeout === 'string' ? spec.timeout : KMCP_DEFAULT_TIMEOUT,
    },
  } as RemoteMCPServer;
}

/** Which kind of MCP server a tool names (kagent's rules: no kind means kmcp's MCPServer); customize asks for it. */
export function toolKind(ref: TypedReference): 'RemoteMCPServer' | 'Service' | 'MCPServer' | 'unknown' {
  const group = ref.apiGroup ?? '';
  const kind = ref.kind ?? '';
  if ((kind === '' || kind === 'MCPServer') && (group === '' || group === 'kagent.dev')) return 'MCPServer';
  if (kind === 'RemoteMCPServer' && (group === '' || group === 'kagent.dev')) return 'RemoteMCPServer';
  if (kind === 'Service' && (group === '' || group === 'core')) return 'Service';
  return 'unknown';
}

/** The server, and whether its URL is one the translation built (those always go through a configured proxy). */
function resolveMcpServer(
  related: Related,
  agentNs: string,
  ref: McpServerTool,
): { rms: RemoteMCPServer; built: boolean } {
  const ns = ref.namespace || agentNs;
  const kind = toolKind(ref);
  if (kind === 'RemoteMCPServer') {
    const rms = related.get('RemoteMCPServer', KAGENT_API_VERSION, ns, ref.name) as RemoteMCPServer | undefined;
    if (!rms) throw new ResolutionError('ToolServerNotFound', `RemoteMCPServer ${ns}/${ref.name} not found`);
    checkCrossNamespace(related, agentNs, ns, rms.spec.allowedNamespaces, `RemoteMCPServer ${ns}/${ref.name}`);
    return { rms, built: false };
  }
  if (kind === 'Service') {
    const svc = related.get('Service', 'v1', ns, ref.name);
    if (!svc) throw new ResolutionError('ToolServerNotFound', `Service ${ns}/${ref.name} not found`);
    // A Service has no allowedNamespaces, so it can only be used from its own namespace.
    checkCrossNamespace(related, agentNs, ns, undefined, `Service ${ns}/${ref.name}`);
    return { rms: serviceToRemoteMCPServer(svc), built: true };
  }
  if (kind === 'MCPServer') {
    const server = related.get('MCPServer', KMCP_API_VERSION, ns, ref.name);
    if (!server)
      throw new ResolutionError(
        'ToolServerNotFound',
        `MCPServer ${ns}/${ref.name} (kmcp, ${KMCP_API_VERSION}) not found`,
      );
    // kmcp's MCPServer has no allowedNamespaces, so it can only be used from its own namespace.
    checkCrossNamespace(related, agentNs, ns, undefined, `MCPServer ${ns}/${ref.name}`);
    return { rms: mcpServerToRemoteMCPServer(server), built: true };
  }
  throw new ResolutionError(
    'InvalidSpec',
    `tool server ${ref.apiGroup ?? ''}/${ref.kind ?? ''} ${ns}/${ref.name}: unknown kind`,
  );
}

/** A RemoteMCPServer duration field in seconds; a malformed one is the user's InvalidSpec. */
function seconds(d: string | undefined, what: string, field: string): number | undefined {
  if (d === undefined) return undefined;
  try {
    return durationSeconds(d);
  } catch (e) {
    throw new ResolutionError('InvalidSpec', `${what}: spec.${field}: ${(e as Error).message}`);
  }
}

function mcpToolEntry(
  related: Related,
  server: { rms: RemoteMCPServer; built: boolean },
  tool: Tool,
  agentHeaders: Record<string, string>,
  dd: ModelDeploymentData,
  proxyUrl: string | undefined,
): [boolean, Record<string, unknown>] {
  const { rms } = server;
  const ns = rms.metadata.namespace ?? '';
  const what = `RemoteMCPServer ${ns}/${rms.metadata.name}`;
  // The server's own headers resolve in its namespace, through its view (the Agent's request does not carry its
  // Secrets); the agent's headersFrom override them.
  const obj = rms as unknown as KubeObject;
  const own = related.viewOf('RemoteMCPServer', obj, server.built ? [] : remoteMCPServerViewRefs(obj));
  const headers = { ...resolveValueRefs(own, ns, rms.spec.headersFrom, what), ...agentHeaders };
  const proxied =
    proxyUrl && (server.built || isClusterInternalUrl(rms.spec.url, related))
      ? viaProxy(rms.spec.url, headers, proxyUrl, what)
      : undefined;
  const params: Record<string, unknown> = proxied
    ? { url: proxied.url, headers: proxied.headers }
    : { url: rms.spec.url, headers };
  const timeout = seconds(rms.spec.timeout, what, 'timeout');
  if (timeout !== undefined) params.timeout = timeout;
  const sseRead = seconds(rms.spec.sseReadTimeout, what, 'sseReadTimeout');
  if (sseRead !== undefined) params.sse_read_timeout = sseRead;
  const sse = rms.spec.protocol === 'SSE';
  if (!sse && rms.spec.terminateOnClose !== undefined) params.terminate_on_close = rms.spec.terminateOnClose;
  Object.assign(params, tlsFields(rms.spec.tls));
  addTLSMount(dd, rms.spec.tls, ns, own, what);
  const audience = tokenAudience(rms, what);
  // metagent's extension to kagent's connection params; kagent's runtime ignores it.
  if (audience !== undefined) params.service_account_token_path = addTokenMount(dd, audience);
  const entry: Record<string, unknown> = { params };
  const m = tool.mcpServer!;
  if (m.toolNames?.length) entry.tools = [...m.toolNames];
  if (m.allowedHeaders?.length) entry.allowed_headers = [...m.allowedHeaders];
  if (m.requireApproval?.length) entry.require_approval = [...m.requireApproval];
  return [sse, entry];
}

function agentToolEntry(
  related: Related,
  agent: Agent,
  tool: Tool,
  headers: Record<string, string>,
  proxyUrl: string | undefined,
): Record<string, unknown> {
  const ref = tool.agent!;
  const agentNs = agent.metadata.namespace ?? '';
  if (ref.kind && ref.kind !== 'Agent') {
    throw new ResolutionError('InvalidSpec', `agent tool ${ref.name}: unsupported kind "${ref.kind}"`);
  }
  const ns = ref.namespace || agentNs;
  if (ns === agentNs && ref.name === agent.metadata.name) {
    throw new ResolutionError('InvalidSpec', `agent tool cannot reference the agent itself (${ns}/${ref.name})`);
  }
  const target = related.get('Agent', KAGENT_API_VERSION, ns, ref.name) as Agent | undefined;
  if (!target) throw new ResolutionError('AgentNotFound', `Agent ${ns}/${ref.name} (used as a tool) not found`);
  checkCrossNamespace(related, agentNs, ns, target.spec.allowedNamespaces, `Agent ${ns}/${ref.name}`);
  const direct = { url: `http://${ref.name}.${ns}:8080`, headers };
  const routed = proxyUrl ? viaProxy(direct.url, headers, proxyUrl, `Agent ${ns}/${ref.name}`) : direct;
  const entry: Record<string, unknown> = { name: pythonIdentifier(`${ns}/${ref.name}`), url: routed.url };
  if (Object.keys(routed.headers).length > 0) entry.headers = routed.headers;
  if (target.spec.description) entry.description = target.spec.description;
  if (tool.isolateSessions) entry.isolate_sessions = true;
  return entry;
}

/** `proxyUrl`: kagent's gateway proxy option (see proxy.ts); undefined when none is configured. */
export function translateTools(
  related: Related,
  agent: Agent,
  tools: Tool[],
  dd: ModelDeploymentData,
  proxyUrl?: string,
): ToolsConfig {
  const out: ToolsConfig = { http_tools: [], sse_tools: [], remote_agents: [] };
  const agentNs = agent.metadata.namespace ?? '';
  tools.forEach((tool, i) => {
    const headers = resolveValueRefs(related, agentNs, tool.headersFrom, `spec.declarative.tools[${i}]`);
    if (tool.mcpServer) {
      const server = resolveMcpServer(related, agentNs, tool.mcpServer);
      const [sse, entry] = mcpToolEntry(related, server, tool, headers, dd, proxyUrl);
      (sse ? out.sse_tools : out.http_tools).push(entry);
    } else if (tool.agent) {
      out.remote_agents.push(agentToolEntry(related, agent, tool, headers, proxyUrl));
    } else {
      throw new ResolutionError('InvalidSpec', `spec.declarative.tools[${i}]: a tool needs mcpServer or agent`);
    }
  });
  return out;
}
