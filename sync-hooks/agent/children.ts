// The children of an Agent (Secret, ServiceAccount, Deployment, Service, and the skills-init ConfigMap with skills),
// written in the API server's canonical form so that an unchanged resync writes nothing: the Secret in base64 `data`,
// canonical quantities, explicit values for fields the server would default.
// Metacontroller adds the owner reference and the controller-uid label itself.
// Typed with @kubernetes/client-node's models (as JSON); the objects stay plain and keep their key order, which the
// golden outputs compare byte for byte.
import type {
  V1ConfigMap,
  V1Deployment,
  V1DeploymentSpec,
  V1PodSpec,
  V1ResourceRequirements,
  V1Secret,
  V1Service,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { KubeManifest } from '../../crds/kube-object.js';
import type { Json } from '../../crds/schema/builders.js';
import type { Agent, Container, EnvVar, SharedDeploymentSpec, Volume, VolumeMount } from '../../crds/types.js';
import type { KubeObject, ObjectMeta } from '../protocol.js';
import { ResolutionError } from '../resolve/errors.js';
import { sha256Hex } from '../sha256.js';
import { AGENT_PORT } from './card.js';
import { canonicalResources } from './quantity.js';
import {
  DEFAULT_SKILLS_INIT_IMAGE,
  DOCKER_SECRETS_DIR,
  GIT_AUTH_DIR,
  SKILLS_DIR,
  SKILLS_INIT_CONFIG_DIR,
  SKILLS_INIT_CONFIG_KEY,
  SRT_SETTINGS_JSON,
  pullSecretVolumeName,
  skillsInitConfigMapName,
  type SkillsInit,
} from './skills.js';
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
  /** kagent's skills-init image, run as the init container of Agents with skills (default: DEFAULT_SKILLS_INIT_IMAGE). */
  skillsInitImage?: string;
}

export const CONFIG_HASH_ANNOTATION = 'kagent.dev/config-hash';
const DEFAULT_RESOURCES: Json<V1ResourceRequirements> = {
  requests: { cpu: '100m', memory: '384Mi' },
  limits: { cpu: '2', memory: '1Gi' },
};

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

function meta(
  agent: Agent,
  extra?: { labels?: Record<string, string>; annotations?: Record<string, string> },
): ObjectMeta {
  const name = agent.metadata.name ?? '';
  const m: ObjectMeta = {
    name,
    namespace: agent.metadata.namespace,
    labels: extra?.labels ? { ...objectLabels(name), ...extra.labels } : objectLabels(name),
  };
  if (extra?.annotations && Object.keys(extra.annotations).length > 0) m.annotations = { ...extra.annotations };
  return m;
}

function deploymentSpec(agent: Agent): SharedDeploymentSpec & {
  image?: string;
  cmd?: string;
  args?: string[];
  workingDir?: string;
  imageRegistry?: string;
} {
  return (agent.spec.type === 'BYO' ? agent.spec.byo?.deployment : agent.spec.declarative?.deployment) ?? {};
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A ServiceAccount name as the hook server and render accept it for defaultServiceAccountName. */
export function checkServiceAccountName(value: string, flag: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value))
    throw new Error(
      `${flag}: "${value}" is not a valid ServiceAccount name (a DNS subdomain: lowercase letters, digits, '-' and '.')`,
    );
  return value;
}

export function serviceAccountName(agent: Agent, defaultName?: string): string {
  return deploymentSpec(agent).serviceAccountName || defaultName || (agent.metadata.name ?? '');
}

export function buildSecret(agent: Agent, t: Translation): KubeManifest<V1Secret> {
  const data: Record<string, string> = {
    'agent-card.json': Buffer.from(t.cardJson, 'utf8').toString('base64'),
    'config.json': Buffer.from(t.configJson, 'utf8').toString('base64'),
  };
  // kagent writes its sandbox settings next to the config of a declarative Agent with skills or code execution, for
  // its runtime's sandbox; ours has none, but kagent's runtime image (KAGENT_SRT_SETTINGS_PATH) would need the file.
  if (t.sandboxSettings) data['srt-settings.json'] = Buffer.from(SRT_SETTINGS_JSON, 'utf8').toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(agent), type: 'Opaque', data };
}

/** The skills-init ConfigMap (`<agent>-skills-init`, key config.json), read by kagent's skills-init image. */
export function buildSkillsConfigMap(agent: Agent, t: Translation): KubeManifest<V1ConfigMap> | undefined {
  if (!t.skills) return undefined;
  const m = meta(agent);
  m.name = skillsInitConfigMapName(agent.metadata.name ?? '');
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: m, data: { [SKILLS_INIT_CONFIG_KEY]: t.skills.configJson } };
}

export function buildServiceAccount(agent: Agent, defaultName?: string): KubeManifest<V1ServiceAccount> | undefined {
  const spec = deploymentSpec(agent);
  if (spec.serviceAccountName || defaultName) return undefined;
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(agent, spec.serviceAccountConfig) };
}

export function buildService(agent: Agent): KubeManifest<V1Service> {
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
  // The skills-init config is appended only when there is one, so Agents without skills keep their hash (no rollout
  // on upgrade); the pod spec only names its ConfigMap, so without it a changed skill list would not roll the pods.
  const skills = t.skills ? `\0${t.skills.configJson}` : '';
  return sha256Hex(`${t.configJson}\0${t.cardJson}\0${t.secretsDigest}${skills}`).slice(0, 32);
}

/** Replace the registry of an image reference (kagent's deployment.imageRegistry). */
function withRegistry(image: string, registry: string | undefined): string {
  if (!registry) return image;
  const first = image.split('/')[0];
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return `${registry.replace(/\/+$/, '')}/${hasRegistry ? image.slice(first.length + 1) : image}`;
}

/**
 * Canonical quantities (strings, as client-node types them); a malformed one is the user's InvalidSpec, not a hook
 * failure.
 */
function resources(r: object, path: string): Json<V1ResourceRequirements> {
  try {
    return canonicalResources(r as never) as Json<V1ResourceRequirements>;
  } catch (e) {
    throw new ResolutionError('InvalidSpec', `${path}: ${(e as Error).message}`);
  }
}

function canonicalContainer(c: Container, path: string): Container {
  const out: Container = { ...c };
  if (c.resources && typeof c.resources === 'object')
    out.resources = resources(c.resources as object, `${path}.resources`);
  return out;
}

/** First occurrence wins: a duplicate name would make the stored list differ from ours on every resync. */
function uniqueByName<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.name) && seen.add(i.name));
}

const SKILLS_VOLUMES = ['kagent-skills', 'skills-init-config', 'git-auth'];

/** Names the pod template reserves; a user object with one of them would collide with ours. */
function checkReserved(spec: SharedDeploymentSpec, path: string, skillsInit: SkillsInit | undefined): void {
  const skills = !!skillsInit;
  const vol = (spec.volumes ?? []).find((v) => v.name === 'config');
  if (vol)
    throw new ResolutionError(
      'InvalidSpec',
      `${path}.volumes: the name "config" is reserved for the agent's config Secret`,
    );
  const mount = (spec.volumeMounts ?? []).find((m) => m.mountPath === '/config');
  if (mount)
    throw new ResolutionError('InvalidSpec', `${path}.volumeMounts: /config is reserved for the agent's config Secret`);
  if (skills) {
    const names = [...SKILLS_VOLUMES, ...(skillsInit.pullSecretNames ?? []).map(pullSecretVolumeName)];
    const sv = (spec.volumes ?? []).find((v) => names.includes(v.name));
    if (sv)
      throw new ResolutionError(
        'InvalidSpec',
        `${path}.volumes: the name "${sv.name}" is reserved for the skills of spec.skills`,
      );
    if ((spec.volumeMounts ?? []).some((m) => m.mountPath === SKILLS_DIR)) {
      throw new ResolutionError(
        'InvalidSpec',
        `${path}.volumeMounts: ${SKILLS_DIR} is reserved for the skills of spec.skills`,
      );
    }
  }
  // Init containers share the pod's container names.
  const reserved = skills ? ['kagent', 'skills-init'] : ['kagent'];
  const names = new Set<string>(reserved);
  for (const c of spec.extraContainers ?? []) {
    if (names.has(c.name)) {
      throw new ResolutionError(
        'InvalidSpec',
        `${path}.extraContainers: container name "${c.name}" is ${reserved.includes(c.name) ? 'reserved' : 'used twice'}`,
      );
    }
    names.add(c.name);
  }
}

/** Volumes the translation adds (TLS CAs, ServiceAccount tokens) must not collide with the user's. */
function checkTranslatedVolumes(spec: SharedDeploymentSpec, t: Translation, path: string): void {
  const ours = new Set(t.deployment.volumes.map((v) => v.name));
  const vol = (spec.volumes ?? []).find((v) => ours.has(v.name));
  if (vol)
    throw new ResolutionError(
      'InvalidSpec',
      `${path}.volumes: the name "${vol.name}" is used by the agent's model or tools (TLS CA or ServiceAccount token)`,
    );
  const mounts = new Set(t.deployment.volumeMounts.map((m) => m.mountPath));
  const mount = (spec.volumeMounts ?? []).find((m) => mounts.has(m.mountPath));
  if (mount)
    throw new ResolutionError(
      'InvalidSpec',
      `${path}.volumeMounts: ${mount.mountPath} is used by the agent's model or tools (TLS CA or ServiceAccount token)`,
    );
}

export function buildDeployment(agent: Agent, t: Translation, opts: ChildOptions): KubeManifest<V1Deployment> {
  const name = agent.metadata.name ?? '';
  const spec = deploymentSpec(agent);
  const byo = agent.spec.type === 'BYO';
  const specPath = byo ? 'spec.byo.deployment' : 'spec.declarative.deployment';
  checkReserved(spec, specPath, t.skills);
  checkTranslatedVolumes(spec, t, specPath);
  // The user's env wins over what the model adds (e.g. their own OPENAI_API_KEY wiring).
  const env: EnvVar[] = uniqueByName([
    ...(spec.env ?? []),
    ...t.deployment.env,
    { name: 'KAGENT_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
    { name: 'KAGENT_NAME', value: name },
    ...(t.skills ? SKILLS_ENV : []),
    ...(t.sandboxSettings ? SANDBOX_ENV : []),
  ]);
  const volumeMounts: VolumeMount[] = [
    { name: 'config', mountPath: '/config' },
    ...(spec.volumeMounts ?? []),
    ...t.deployment.volumeMounts,
  ];
  const volumes: Volume[] = [
    { name: 'config', secret: { secretName: name, defaultMode: 0o644 } },
    ...(spec.volumes ?? []),
    ...t.deployment.volumes,
  ];
  let initContainers: Container[] | undefined;
  if (t.skills) {
    // The runtime only reads the fetched skills; only the init container writes the shared volume.
    volumeMounts.push({ name: 'kagent-skills', mountPath: SKILLS_DIR, readOnly: true });
    volumes.push(
      { name: 'kagent-skills', emptyDir: {} },
      { name: 'skills-init-config', configMap: { name: skillsInitConfigMapName(name) } },
    );
    if (t.skills.gitAuthSecretName)
      volumes.push({ name: 'git-auth', secret: { secretName: t.skills.gitAuthSecretName } });
    for (const secretName of t.skills.pullSecretNames ?? [])
      volumes.push({ name: pullSecretVolumeName(secretName), secret: { secretName } });
    initContainers = [skillsInitContainer(agent, t, spec, opts)];
  }

  const main: Container = { name: 'kagent' };
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
  // kagent's order: env first, envFrom after; a duplicate key in env wins (Kubernetes' rule).
  if (spec.envFrom?.length) main.envFrom = spec.envFrom;
  if (byo && spec.workingDir) main.workingDir = spec.workingDir;
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

  const podSpec: Partial<Json<V1PodSpec>> = {
    serviceAccountName: serviceAccountName(agent, opts.defaultServiceAccountName),
  };
  if (initContainers) podSpec.initContainers = initContainers;
  podSpec.containers = [
    main,
    ...(spec.extraContainers ?? []).map((c, i) => canonicalContainer(c, `${specPath}.extraContainers[${i}]`)),
  ];
  podSpec.volumes = volumes;
  if (spec.imagePullSecrets?.length) podSpec.imagePullSecrets = spec.imagePullSecrets.map((s) => ({ name: s.name }));
  if (spec.podSecurityContext) podSpec.securityContext = spec.podSecurityContext;
  if (spec.tolerations?.length) podSpec.tolerations = spec.tolerations;
  if (spec.affinity) podSpec.affinity = spec.affinity;
  if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0) podSpec.nodeSelector = spec.nodeSelector;

  const depSpec: Partial<Json<V1DeploymentSpec>> = {};
  // Unset replicas stays unset, so an HPA can own the field without the hook fighting it.
  if (spec.replicas !== undefined) depSpec.replicas = spec.replicas;
  depSpec.selector = { matchLabels: selectorLabels(name) };
  depSpec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  depSpec.template = {
    metadata: {
      labels: { ...objectLabels(name), ...(spec.labels ?? {}), ...selectorLabels(name) },
      annotations: { ...(spec.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: configHash(t) },
    },
    spec: podSpec as Json<V1PodSpec>,
  };
  // deploymentAnnotations annotate the Deployment object itself (annotations go to the pods).
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(agent, { annotations: spec.deploymentAnnotations }),
    spec: depSpec as Json<V1DeploymentSpec>,
  };
}

/** Where the runtime finds the fetched skills. */
const SKILLS_ENV: readonly EnvVar[] = [{ name: 'KAGENT_SKILLS_FOLDER', value: SKILLS_DIR }];
/** Where kagent's runtime finds its sandbox settings (the config Secret's srt-settings.json). */
const SANDBOX_ENV: readonly EnvVar[] = [{ name: 'KAGENT_SRT_SETTINGS_PATH', value: '/config/srt-settings.json' }];

/**
 * kagent's skills-init container: its image's entrypoint reads the config at /etc/kagent/skills-init and writes
 * /skills; env and resources from spec.skills.initContainer (kagent's default resources otherwise); the agent
 * container's securityContext copied, so a namespace's pod security rules admit both — never privileged (kagent
 * makes pods with skills privileged for its bash sandbox; metagent runs no skill scripts).
 */
function skillsInitContainer(agent: Agent, t: Translation, spec: SharedDeploymentSpec, opts: ChildOptions): Container {
  const init = agent.spec.skills?.initContainer;
  const c: Container = { name: 'skills-init', image: opts.skillsInitImage ?? DEFAULT_SKILLS_INIT_IMAGE };
  if (init?.env?.length) c.env = uniqueByName(init.env);
  c.resources = resources(init?.resources ?? DEFAULT_RESOURCES, 'spec.skills.initContainer.resources');
  if (spec.securityContext) c.securityContext = spec.securityContext;
  const mounts: VolumeMount[] = [
    { name: 'kagent-skills', mountPath: SKILLS_DIR },
    { name: 'skills-init-config', mountPath: SKILLS_INIT_CONFIG_DIR, readOnly: true },
  ];
  if (t.skills?.gitAuthSecretName) mounts.push({ name: 'git-auth', mountPath: GIT_AUTH_DIR, readOnly: true });
  for (const secret of t.skills?.pullSecretNames ?? [])
    mounts.push({ name: pullSecretVolumeName(secret), mountPath: `${DOCKER_SECRETS_DIR}/${secret}`, readOnly: true });
  c.volumeMounts = mounts;
  return c;
}

export function buildChildren(agent: Agent, t: Translation, opts: ChildOptions): KubeObject[] {
  const sa = buildServiceAccount(agent, opts.defaultServiceAccountName);
  const cm = buildSkillsConfigMap(agent, t);
  return [
    buildSecret(agent, t),
    ...(sa ? [sa] : []),
    ...(cm ? [cm] : []),
    buildDeployment(agent, t, opts),
    buildService(agent),
  ];
}
