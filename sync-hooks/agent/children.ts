// The four children of an Agent, written in the API server's canonical form so that an unchanged resync writes
// nothing: the Secret in base64 `data`, canonical quantities, explicit values for fields the server would default.
// Metacontroller adds the owner reference and the controller-uid label itself.
import type { Agent, Container, EnvVar, SharedDeploymentSpec, Volume, VolumeMount } from '../../crds/types.js';
import type { KubeObject } from '../protocol.js';
import { ResolutionError } from '../resolve/errors.js';
import { sha256Hex } from '../sha256.js';
import { AGENT_PORT } from './card.js';
import { canonicalResources } from './quantity.js';
import type { Translation } from './translate.js';

export interface ChildOptions {
  /** The agent runtime image for declarative agents (the hook server's --runtime-image flag). */
  runtimeImage: string;
  /** imagePullPolicy for the runtime container. */
  imagePullPolicy: string;
  /**
   * kagent's --default-service-account-name: the pods of Agents that name no service account run as this one (an
   * existing ServiceAccount, e.g. bound to a cloud workload identity), and no per-Agent ServiceAccount is created.
   */
  defaultServiceAccountName?: string;
}

export const CONFIG_HASH_ANNOTATION = 'kagent.dev/config-hash';
const DEFAULT_RESOURCES = { requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '2', memory: '1Gi' } };

/** Labels the Deployment selects on; immutable once the Deployment exists, so they never change. */
export function selectorLabels(name: string): Record<string, string> {
  return { app: 'kagent', kagent: name };
}

// Written out rather than `{...selectorLabels(name), ...}`: V8 turns a spread followed by more properties into a
// slow dictionary object (about 30x the cost), and every child carries these labels (bench:hooks hot path).
function objectLabels(name: string): Record<string, string> {
  return {
    app: 'kagent',
    kagent: name,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/managed-by': 'metagent',
    'app.kubernetes.io/part-of': 'kagent',
  };
}

function meta(agent: Agent, extra?: { labels?: Record<string, string>; annotations?: Record<string, string> }): KubeObject['metadata'] {
  const name = agent.metadata.name ?? '';
  const m: KubeObject['metadata'] = { name, namespace: agent.metadata.namespace, labels: extra?.labels ? { ...objectLabels(name), ...extra.labels } : objectLabels(name) };
  if (extra?.annotations && Object.keys(extra.annotations).length > 0) m.annotations = { ...extra.annotations };
  return m;
}

function deploymentSpec(agent: Agent): SharedDeploymentSpec & { image?: string; cmd?: string; args?: string[]; imageRegistry?: string } {
  return (agent.spec.type === 'BYO' ? agent.spec.byo?.deployment : agent.spec.declarative?.deployment) ?? {};
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A ServiceAccount name as the hook server and render accept it for defaultServiceAccountName. */
export function checkServiceAccountName(value: string, flag: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) throw new Error(`${flag}: "${value}" is not a valid ServiceAccount name (a DNS subdomain: lowercase letters, digits, '-' and '.')`);
  return value;
}

export function serviceAccountName(agent: Agent, defaultName?: string): string {
  return deploymentSpec(agent).serviceAccountName || defaultName || (agent.metadata.name ?? '');
}

export function buildSecret(agent: Agent, t: Translation): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(agent),
    type: 'Opaque',
    data: {
      'agent-card.json': Buffer.from(t.cardJson, 'utf8').toString('base64'),
      'config.json': Buffer.from(t.configJson, 'utf8').toString('base64'),
    },
  };
}

export function buildServiceAccount(agent: Agent, defaultName?: string): KubeObject | undefined {
  const spec = deploymentSpec(agent);
  if (spec.serviceAccountName || defaultName) return undefined;
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(agent, spec.serviceAccountConfig) };
}

export function buildService(agent: Agent): KubeObject {
  const name = agent.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(agent),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(name),
      ports: [{ name: 'http', port: AGENT_PORT, targetPort: AGENT_PORT, protocol: 'TCP' }],
    },
  };
}

/** The hash that rolls the pods: config, card and the contents of every referenced Secret. */
export function configHash(t: Translation): string {
  // One update of the joined text hashes the same bytes as one update per part, with fewer calls into native code.
  return sha256Hex(`${t.configJson}\0${t.cardJson}\0${t.secretsDigest}`).slice(0, 32);
}

/** Replace the registry of an image reference (kagent's deployment.imageRegistry). */
function withRegistry(image: string, registry: string | undefined): string {
  if (!registry) return image;
  const first = image.split('/')[0];
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return `${registry.replace(/\/+$/, '')}/${hasRegistry ? image.slice(first.length + 1) : image}`;
}

/** Canonical quantities; a malformed one is the user's InvalidSpec, not a hook failure. */
function resources<T extends object>(r: T, path: string): T {
  try {
    return canonicalResources(r as never) as T;
  } catch (e) {
    throw new ResolutionError('InvalidSpec', `${path}: ${(e as Error).message}`);
  }
}

function canonicalContainer(c: Container, path: string): Container {
  const out: Container = { ...c };
  if (c.resources && typeof c.resources === 'object') out.resources = resources(c.resources as object, `${path}.resources`);
  return out;
}

/** First occurrence wins: a duplicate name would make the stored list differ from ours on every resync. */
function uniqueByName<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.name) && seen.add(i.name));
}

/** Names the pod template reserves; a user object with one of them would collide with ours. */
function checkReserved(spec: SharedDeploymentSpec, path: string): void {
  const vol = (spec.volumes ?? []).find((v) => v.name === 'config');
  if (vol) throw new ResolutionError('InvalidSpec', `${path}.volumes: the name "config" is reserved for the agent's config Secret`);
  const mount = (spec.volumeMounts ?? []).find((m) => m.mountPath === '/config');
  if (mount) throw new ResolutionError('InvalidSpec', `${path}.volumeMounts: /config is reserved for the agent's config Secret`);
  const names = new Set<string>(['kagent']);
  for (const c of spec.extraContainers ?? []) {
    if (names.has(c.name)) {
      throw new ResolutionError('InvalidSpec', `${path}.extraContainers: container name "${c.name}" is ${c.name === 'kagent' ? 'reserved' : 'used twice'}`);
    }
    names.add(c.name);
  }
}

export function buildDeployment(agent: Agent, t: Translation, opts: ChildOptions): KubeObject {
  const name = agent.metadata.name ?? '';
  const spec = deploymentSpec(agent);
  const byo = agent.spec.type === 'BYO';
  const specPath = byo ? 'spec.byo.deployment' : 'spec.declarative.deployment';
  checkReserved(spec, specPath);
  // The user's env wins over what the model adds (e.g. their own OPENAI_API_KEY wiring).
  const env: EnvVar[] = uniqueByName([
    ...(spec.env ?? []),
    ...t.deployment.env,
    { name: 'KAGENT_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
    { name: 'KAGENT_NAME', value: name },
  ]);
  const volumeMounts: VolumeMount[] = [{ name: 'config', mountPath: '/config' }, ...(spec.volumeMounts ?? []), ...t.deployment.volumeMounts];
  const volumes: Volume[] = [{ name: 'config', secret: { secretName: name, defaultMode: 0o644 } }, ...(spec.volumes ?? []), ...t.deployment.volumes];

  const main: Record<string, unknown> = { name: 'kagent' };
  if (byo) {
    main.image = spec.image;
    if (spec.cmd) main.command = [spec.cmd];
    if (spec.args?.length) main.args = [...spec.args];
    main.imagePullPolicy = spec.imagePullPolicy ?? 'IfNotPresent';
  } else {
    main.image = withRegistry(opts.runtimeImage, spec.imageRegistry);
    main.args = ['--host', '0.0.0.0', '--port', String(AGENT_PORT), '--filepath', '/config'];
    main.imagePullPolicy = spec.imagePullPolicy ?? opts.imagePullPolicy;
  }
  main.ports = [{ name: 'http', containerPort: AGENT_PORT, protocol: 'TCP' }];
  main.env = env;
  main.resources = resources(spec.resources ?? DEFAULT_RESOURCES, `${specPath}.resources`);
  if (spec.securityContext) main.securityContext = spec.securityContext;
  main.volumeMounts = volumeMounts;
  main.readinessProbe = {
    httpGet: { path: '/.well-known/agent-card.json', port: 'http', scheme: 'HTTP' },
    initialDelaySeconds: byo ? 15 : 2,
    periodSeconds: byo ? 15 : 5,
    timeoutSeconds: byo ? 15 : 5,
    successThreshold: 1,
    failureThreshold: 3,
  };
  // A BYO image need not serve /health; only our runtime gets a liveness probe.
  if (!byo) {
    main.livenessProbe = {
      httpGet: { path: '/health', port: 'http', scheme: 'HTTP' },
      initialDelaySeconds: 10,
      periodSeconds: 15,
      timeoutSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    };
  }

  const podSpec: Record<string, unknown> = {
    serviceAccountName: serviceAccountName(agent, opts.defaultServiceAccountName),
    containers: [main, ...(spec.extraContainers ?? []).map((c, i) => canonicalContainer(c, `${specPath}.extraContainers[${i}]`))],
    volumes,
  };
  if (spec.imagePullSecrets?.length) podSpec.imagePullSecrets = spec.imagePullSecrets.map((s) => ({ name: s.name }));
  if (spec.podSecurityContext) podSpec.securityContext = spec.podSecurityContext;
  if (spec.tolerations?.length) podSpec.tolerations = spec.tolerations;
  if (spec.affinity) podSpec.affinity = spec.affinity;
  if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0) podSpec.nodeSelector = spec.nodeSelector;

  const depSpec: Record<string, unknown> = {};
  // Unset replicas stays unset, so an HPA can own the field without the hook fighting it.
  if (spec.replicas !== undefined) depSpec.replicas = spec.replicas;
  depSpec.selector = { matchLabels: selectorLabels(name) };
  depSpec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  depSpec.template = {
    metadata: {
      labels: { ...objectLabels(name), ...(spec.labels ?? {}), ...selectorLabels(name) },
      annotations: { ...(spec.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: configHash(t) },
    },
    spec: podSpec,
  };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(agent), spec: depSpec };
}

export function buildChildren(agent: Agent, t: Translation, opts: ChildOptions): KubeObject[] {
  const sa = buildServiceAccount(agent, opts.defaultServiceAccountName);
  return [buildSecret(agent, t), ...(sa ? [sa] : []), buildDeployment(agent, t, opts), buildService(agent)];
}
