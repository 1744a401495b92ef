// Per-agent identity on the test cluster, as a user sets it up: the tool server runs as its own ServiceAccount with
// exactly manifests/toolserver/clusterrole.yaml, agents present TokenRequest tokens for the tool server's audience
// (what kubelet writes into the projected volume), and `view` is granted with a RoleBinding or ClusterRoleBinding.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { kubeConfig, kubectlOk } from './kube.js';

const ROLE_FILE = new URL('../../manifests/toolserver/clusterrole.yaml', import.meta.url);

/**
 * A bound token for a ServiceAccount: the TokenRequest API kubelet uses for projected tokens (and `kubectl create
 * token`); without an audience, the API server's own. `kc`: another cluster than the shared test cluster.
 */
export async function serviceAccountToken(
  namespace: string,
  name: string,
  audience?: string,
  kc: KubeConfig = kubeConfig(),
): Promise<string> {
  const res = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    namespace,
    name,
    body: { spec: { expirationSeconds: 3600, audiences: audience ? [audience] : [] } },
  });
  const token = res.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  return token;
}

/** A kubeconfig for the same cluster that authenticates with a ServiceAccount's token and nothing else. */
export async function serviceAccountKubeConfig(
  namespace: string,
  name: string,
  admin: KubeConfig = kubeConfig(),
): Promise<KubeConfig> {
  const token = await serviceAccountToken(namespace, name, undefined, admin);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...admin.getCurrentCluster()!, name: 'test' }],
    users: [{ name, token }],
    contexts: [{ name, cluster: 'test', user: name }],
    currentContext: name,
  });
  return kc;
}

export async function createServiceAccount(namespace: string, name: string): Promise<void> {
  await kubectlOk(['create', 'serviceaccount', name, '-n', namespace]);
}

/** `view` for a ServiceAccount: in one namespace (RoleBinding), or everywhere (ClusterRoleBinding) without one. */
export async function grantView(sa: { namespace: string; name: string }, namespace?: string): Promise<string> {
  const bindingName = `${sa.namespace}-${sa.name}-view`;
  const subject = `--serviceaccount=${sa.namespace}:${sa.name}`;
  if (namespace)
    await kubectlOk(['create', 'rolebinding', bindingName, '--clusterrole=view', subject, '-n', namespace]);
  else await kubectlOk(['create', 'clusterrolebinding', bindingName, '--clusterrole=view', subject]);
  return bindingName;
}

export interface ToolServerIdentity {
  /** The tool server's kubeconfig: its ServiceAccount's token, nothing else. */
  kubeConfig: KubeConfig;
  cleanup(): Promise<void>;
}

/**
 * A ServiceAccount for the tool server in `namespace`, bound to a copy of the manifests' ClusterRole (renamed per
 * namespace: the cluster is shared), and a kubeconfig that authenticates as it.
 */
export async function toolServerIdentity(namespace: string): Promise<ToolServerIdentity> {
  const name = 'metagent-toolserver';
  const roleName = `metagent-toolserver-${namespace}`;
  await createServiceAccount(namespace, name);
  const role = parse(readFileSync(ROLE_FILE, 'utf8')) as { metadata: { name: string } };
  role.metadata.name = roleName;
  await kubectlOk(['apply', '-f', '-'], { input: stringify(role) });
  await kubectlOk([
    'create',
    'clusterrolebinding',
    roleName,
    `--clusterrole=${roleName}`,
    `--serviceaccount=${namespace}:${name}`,
  ]);
  return {
    kubeConfig: await serviceAccountKubeConfig(namespace, name),
    cleanup: async () => {
      await kubectlOk(['delete', 'clusterrolebinding,clusterrole', roleName, '--ignore-not-found']);
    },
  };
}

/** Delete ClusterRoleBindings a test made (RoleBindings go with their namespace). */
export async function deleteClusterRoleBindings(names: string[]): Promise<void> {
  if (names.length) await kubectlOk(['delete', 'clusterrolebinding', ...names, '--ignore-not-found']);
}

interface PodSpecLike {
  serviceAccountName?: string;
  volumes?: {
    name: string;
    projected?: { sources?: { serviceAccountToken?: { audience?: string; path: string } }[] };
  }[];
  containers?: { volumeMounts?: { name: string; mountPath: string }[] }[];
}

/**
 * What kubelet does for an agent pod run on the host: for each projected ServiceAccount token of the Deployment's
 * pod template, a TokenRequest token for the pod's ServiceAccount and audience, written under `tokenDir`; the config's
 * token paths (under the pod's mount path) are pointed there. Returns the audiences written.
 */
export async function mountProjectedTokens(
  deploy: { metadata?: { namespace?: string }; spec?: { template?: { spec?: PodSpecLike } } },
  configDir: string,
  tokenDir: string,
  kc: KubeConfig = kubeConfig(),
): Promise<string[]> {
  const pod = deploy.spec?.template?.spec ?? {};
  const ns = deploy.metadata?.namespace ?? '';
  const audiences: string[] = [];
  const moves: [string, string][] = [];
  for (const vol of pod.volumes ?? []) {
    const sources = (vol.projected?.sources ?? []).filter((s) => s.serviceAccountToken);
    if (!sources.length) continue;
    const mount = pod.containers?.[0]?.volumeMounts?.find((m) => m.name === vol.name);
    if (!mount) continue;
    const dir = join(tokenDir, vol.name);
    mkdirSync(dir, { recursive: true });
    for (const s of sources) {
      const { audience, path } = s.serviceAccountToken!;
      writeFileSync(join(dir, path), await serviceAccountToken(ns, pod.serviceAccountName ?? 'default', audience, kc));
      audiences.push(audience ?? '');
    }
    moves.push([`${mount.mountPath}/`, `${dir}/`]);
  }
  const configFile = join(configDir, 'config.json');
  let text = readFileSync(configFile, 'utf8');
  for (const [from, to] of moves) text = text.split(JSON.stringify(from).slice(1, -1)).join(to);
  writeFileSync(configFile, text);
  return audiences;
}
