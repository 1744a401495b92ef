// `metagent run` without the process plumbing: from the user's manifests to the files and environment the runtime
// needs, using the same translation as the sync hook (sync-hooks/render.ts). Pure apart from reading nothing: the
// command writes the files and starts the runtime.
import type { SourcedObject } from './manifests.js';
import type { KubeObject, ObjectMeta } from '../../crds/kube-object.js';

/** A child object the sync hook's translation renders (Secret, Deployment, ...). */
export type RenderedChild = KubeObject;

export interface LocalRunPlan {
  agent: { namespace: string; name: string };
  /** File name -> contents, exactly as the config Secret would be mounted at /config. */
  files: Record<string, string>;
  /** Environment for the runtime: the Deployment's env, with secretKeyRef values taken from the user's environment or -f Secrets. */
  env: Record<string, string>;
}

type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } };
};

/** Which Agent to run: the only one given, or the one named. */
export function pickAgent(objects: SourcedObject[], wanted?: string): SourcedObject {
  const agents = objects.filter((o) => o.object.kind === 'Agent');
  if (agents.length === 0)
    throw new Error('no Agent in the given files (kind: Agent, apiVersion: kagent.dev/v1alpha2)');
  if (wanted) {
    const hit = agents.find((a) => a.object.metadata.name === wanted);
    if (!hit)
      throw new Error(
        `no Agent named "${wanted}" in the given files (found: ${agents.map((a) => a.object.metadata.name).join(', ')})`,
      );
    return hit;
  }
  if (agents.length > 1)
    throw new Error(
      `several Agents given (${agents.map((a) => a.object.metadata.name).join(', ')}); choose one with --agent NAME`,
    );
  return agents[0];
}

function secretValue(secrets: KubeObject[], namespace: string, name: string, key: string): string | undefined {
  const s = secrets.find((x) => x.metadata.name === name && (x.metadata.namespace ?? namespace) === namespace);
  if (!s) return undefined;
  const stringData = s.stringData as Record<string, string> | undefined;
  if (stringData?.[key] !== undefined) return stringData[key];
  const data = s.data as Record<string, string> | undefined;
  return data?.[key] !== undefined ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;
}

/**
 * Files and environment from the rendered children. `userEnv` is the caller's environment: API keys come from there
 * (named as in the Deployment, e.g. OPENAI_API_KEY) unless a Secret manifest was passed with -f.
 */
export function planLocalRun(
  children: RenderedChild[],
  given: KubeObject[],
  agent: { namespace: string; name: string },
  userEnv: NodeJS.ProcessEnv,
): LocalRunPlan {
  const secret = children.find(
    (c) => c.kind === 'Secret' && (has(c.data, 'config.json') || has(c.stringData, 'config.json')),
  );
  if (!secret) throw new Error(`the translation of Agent ${agent.namespace}/${agent.name} produced no config Secret`);
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret.data as Record<string, string>) ?? {}))
    files[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries((secret.stringData as Record<string, string>) ?? {})) files[k] = v;
  if (!files['agent-card.json']) throw new Error('the config Secret has no agent-card.json');

  const deployment = children.find((c) => c.kind === 'Deployment') as
    { spec?: { template?: { spec?: { containers?: { env?: EnvVar[] }[] } } } } | undefined;
  const envVars = deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [];
  const secrets = given.filter((o) => o.kind === 'Secret');
  const env: Record<string, string> = {};
  const missing: string[] = [];
  for (const v of envVars) {
    if (v.value !== undefined) env[v.name] = v.value;
    else if (v.valueFrom?.secretKeyRef) {
      const ref = v.valueFrom.secretKeyRef;
      const value = userEnv[v.name] ?? secretValue(secrets, agent.namespace, ref.name, ref.key);
      if (value !== undefined) env[v.name] = value;
      else if (!ref.optional)
        missing.push(`${v.name} (the cluster would read it from Secret ${ref.name}, key ${ref.key})`);
    } else if (v.valueFrom?.fieldRef) {
      const local: Record<string, string> = {
        'metadata.namespace': agent.namespace,
        'metadata.name': `${agent.name}-local`,
        'spec.serviceAccountName': agent.name,
      };
      const value = local[v.valueFrom.fieldRef.fieldPath];
      if (value !== undefined) env[v.name] = value;
    }
  }
  if (missing.length)
    throw new Error(
      `set ${missing.length === 1 ? 'this environment variable' : 'these environment variables'} (or pass the Secret with -f): ${missing.join('; ')}`,
    );
  return { agent, files, env };
}

function has(o: unknown, key: string): boolean {
  return !!o && typeof o === 'object' && key in (o as Record<string, unknown>);
}

/**
 * Locally the model API key comes from the user's environment, not from a Secret, but the translation (like the
 * cluster) refuses a ModelConfig whose key Secret is missing. Stand-ins for exactly those Secrets let it proceed; the
 * key itself is still required, by planLocalRun, from the environment. Other Secrets (e.g. tool headers, whose values
 * go into config.json) get no stand-in: they must be passed with -f.
 */
export function apiKeySecretStandIns(objects: KubeObject[], defaultNamespace: string): KubeObject[] {
  const has = (ns: string, name: string) =>
    objects.some(
      (o) => o.kind === 'Secret' && o.metadata.name === name && (o.metadata.namespace ?? defaultNamespace) === ns,
    );
  const out: KubeObject[] = [];
  for (const mc of objects.filter((o) => o.kind === 'ModelConfig')) {
    const spec = (mc.spec ?? {}) as { apiKeySecret?: string; apiKeySecretKey?: string };
    const ns = mc.metadata.namespace ?? defaultNamespace;
    if (
      !spec.apiKeySecret ||
      has(ns, spec.apiKeySecret) ||
      out.some((o) => o.metadata.name === spec.apiKeySecret && o.metadata.namespace === ns)
    )
      continue;
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: spec.apiKeySecret, namespace: ns, annotations: { 'metagent.dev/local-stand-in': 'true' } },
      data: spec.apiKeySecretKey ? { [spec.apiKeySecretKey]: '' } : {},
    });
  }
  return out;
}

type AgentRef = { namespace: string; name: string };
type AgentObject = {
  kind: string;
  metadata: Pick<ObjectMeta, 'name' | 'namespace'>;
  spec?: { declarative?: { tools?: Array<{ agent?: { name: string; namespace?: string } }> } };
};

/**
 * The Agents to serve for `chosen`, the Agents it uses as tools (and theirs) first: those found in `objects`, each
 * once. Tool Agents not given are left to the cluster address in config.json. A cycle is an error naming it.
 */
export function toolAgentsFirst(objects: AgentObject[], chosen: AgentRef, defaultNamespace: string): AgentRef[] {
  const find = (r: AgentRef) =>
    objects.find(
      (o) =>
        o.kind === 'Agent' && o.metadata.name === r.name && (o.metadata.namespace ?? defaultNamespace) === r.namespace,
    );
  const order: AgentRef[] = [];
  const key = (r: AgentRef) => `${r.namespace}/${r.name}`;
  const done = new Set<string>();
  const visit = (r: AgentRef, path: string[]) => {
    if (done.has(key(r))) return;
    if (path.includes(key(r)))
      throw new Error(`Agents use each other as tools in a cycle: ${[...path, key(r)].join(' -> ')}`);
    const object = find(r);
    for (const tool of object?.spec?.declarative?.tools ?? []) {
      if (!tool.agent) continue;
      const dep = { namespace: tool.agent.namespace || r.namespace, name: tool.agent.name };
      if (find(dep)) visit(dep, [...path, key(r)]);
    }
    done.add(key(r));
    order.push(r);
  };
  visit(chosen, []);
  return order;
}

/** config.json with the remote agents served locally pointed at their local URLs (kagent's http://NAME.NS:8080). */
export function pointToolAgentsAt(configJson: string, local: Array<{ agent: AgentRef; url: string }>): string {
  if (!local.length) return configJson;
  const config = JSON.parse(configJson) as { remote_agents?: Array<{ url?: string }> };
  let changed = false;
  for (const remote of config.remote_agents ?? []) {
    const hit = local.find((l) => remote.url === `http://${l.agent.name}.${l.agent.namespace}:8080`);
    if (hit) {
      remote.url = hit.url.replace(/\/+$/, '');
      changed = true;
    }
  }
  return changed ? JSON.stringify(config) : configJson;
}

/**
 * config.json without the pod's ServiceAccount token paths: outside a pod there is no projected token to send, so
 * those MCP servers are called without one. Returns the servers' URLs, so the user is told.
 */
export function withoutServiceAccountTokens(configJson: string): { configJson: string; servers: string[] } {
  const config = JSON.parse(configJson) as Record<string, unknown>;
  const servers: string[] = [];
  for (const list of ['http_tools', 'sse_tools']) {
    for (const tool of (config[list] as Array<{ params?: Record<string, unknown> }> | undefined) ?? []) {
      if (tool.params?.service_account_token_path === undefined) continue;
      delete tool.params.service_account_token_path;
      servers.push(String(tool.params.url));
    }
  }
  return servers.length ? { configJson: JSON.stringify(config), servers } : { configJson, servers };
}
