// The test control plane: etcd, kube-apiserver and kube-controller-manager as plain processes on 127.0.0.1, the way
// Metacontroller's and controller-runtime's integration tests run them. All state lives in one directory
// (stateDir()); the processes are detached so `npm run cluster:up` can return while they keep running, and their
// PIDs are saved so `cluster:down` stops exactly them.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPki, type Pki } from './pki.js';

const execFileP = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

export interface ClusterState {
  kubeconfig: string;
  server: string;
  binDir: string;
  dir: string;
  pids: Record<string, number>;
}

export interface RunningCluster extends ClusterState {
  /** True when this call started the processes (and so its caller should stop them). */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * One fixed directory per machine user, so a second `cluster:up` finds the first one. A caller that needs a cluster
 * of its own (the real Metacontroller reconciles every Agent of its cluster, so its suite and bench:scale cannot
 * share the one other test files use) passes another directory to the functions below.
 */
export function stateDir(): string {
  return process.env.METAGENT_CLUSTER_DIR ?? join(tmpdir(), 'metagent-test-cluster');
}

/**
 * The Service ClusterIP range: a /16 (65,534 addresses), so bench:scale's 1,000 Agents (one Service each) fit; a
 * /24 held only 253 Services.
 */
export const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/16';

const stateFile = (dir: string) => join(dir, 'state.json');

/** Builds (or finds in the cache) the Kubernetes and etcd binaries; returns their directory. */
export async function ensureBinaries(log: (line: string) => void = () => {}): Promise<string> {
  const script = join(here, 'build-binaries.sh');
  const started = Date.now();
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    for (const line of String(d).split('\n')) if (line.startsWith('build-binaries:')) log(line);
  });
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
  if (code !== 0) {
    throw new Error(
      `building the test cluster binaries failed (exit ${code}) after ${Math.round((Date.now() - started) / 1000)}s:\n${err.split('\n').slice(-20).join('\n')}`,
    );
  }
  return out.trim().split('\n').pop()!;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** Whether a process still runs. A zombie (exited, not yet reaped by init) counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." — the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** GET a path on the API server with the admin identity; resolves to the status code and body, never rejects. */
function apiGet(state: { server: string; dir: string }, path: string): Promise<{ status: number; body: string }> {
  const pki = join(state.dir, 'pki');
  return new Promise((res) => {
    const req = request(
      `${state.server}${path}`,
      {
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
        timeout: 3000,
      },
      (r) => {
        let body = '';
        r.on('data', (d) => (body += d));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('error', (e) => res({ status: 0, body: e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, logs: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tails = logs
    .filter(existsSync)
    .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-15).join('\n')}`);
  throw new Error(`test cluster: ${what} not ready after ${timeoutMs / 1000}s\n${tails.join('\n')}`);
}

function startProcess(dir: string, name: string, bin: string, args: string[]): number {
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`test cluster: could not start ${bin}`);
  return child.pid;
}

function kubeconfigYaml(server: string, pki: Pki): string {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: metagent-test
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(pki.caCert)}
users:
- name: metagent-admin
  user:
    client-certificate-data: ${b64(pki.adminCert)}
    client-key-data: ${b64(pki.adminKey)}
contexts:
- name: metagent-test
  context:
    cluster: metagent-test
    user: metagent-admin
current-context: metagent-test
`;
}

export async function readState(dir = stateDir()): Promise<ClusterState | null> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as ClusterState;
  } catch {
    return null;
  }
}

/** The running cluster described by the state file, if all its processes live and the API server is ready. */
export async function healthyState(dir = stateDir()): Promise<ClusterState | null> {
  const state = await readState(dir);
  if (!state) return null;
  if (!Object.values(state.pids).every(alive)) return null;
  const ready = await apiGet(state, '/readyz');
  return ready.status === 200 ? state : null;
}

async function waitGone(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** Stops one process: SIGTERM, then SIGKILL if it has not exited within the grace period. */
async function stopProcess(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  await waitGone(pid, 10_000);
  if (!alive(pid)) return;
  process.kill(pid, 'SIGKILL');
  // SIGKILL is delivered asynchronously; the next cluster:up must not find the process still running.
  await waitGone(pid, 10_000);
  if (alive(pid)) throw new Error(`test cluster: process ${pid} survived SIGKILL`);
}

/**
 * One at a time, in the order given: an API server whose etcd is already gone spends its whole grace period
 * retrying storage, so stopping all three at once took over 10 s instead of about one.
 */
async function killAll(pids: number[]): Promise<void> {
  for (const pid of pids) await stopProcess(pid);
}

/** Stops the processes the state file names and removes the state directory. */
export async function stopCluster(dir = stateDir()): Promise<void> {
  const state = await readState(dir);
  if (state) {
    // Reverse start order: the controller manager and API server before etcd.
    await killAll(Object.values(state.pids).reverse());
  }
  await rm(dir, { recursive: true, force: true });
}

export async function startCluster(log: (line: string) => void = () => {}, dir = stateDir()): Promise<RunningCluster> {
  const existing = await healthyState(dir);
  if (existing) return { ...existing, started: false, stop: async () => {} };
  // Anything left by a run that crashed is stopped and wiped before starting afresh.
  await stopCluster(dir);

  const binDir = await ensureBinaries(log);
  await mkdir(join(dir, 'pki'), { recursive: true });
  await mkdir(join(dir, 'etcd'), { recursive: true });
  const pki = await createPki(join(dir, 'pki'));
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(server, pki), { mode: 0o600 });

  const pids: Record<string, number> = {};
  const state: ClusterState = { kubeconfig, server, binDir, dir, pids };
  const saveState = () => writeFile(stateFile(dir), JSON.stringify(state, null, 2));
  const logs = ['etcd', 'kube-apiserver', 'kube-controller-manager'].map((n) => join(dir, `${n}.log`));
  try {
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    pids.etcd = startProcess(dir, 'etcd', join(binDir, 'etcd'), [
      '--name',
      'metagent-test',
      '--data-dir',
      join(dir, 'etcd'),
      '--listen-client-urls',
      etcdUrl,
      '--advertise-client-urls',
      etcdUrl,
      '--listen-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-cluster',
      `metagent-test=http://127.0.0.1:${peerPort}`,
      // Test data only: skipping fsync makes the whole suite markedly faster on a shared disk.
      '--unsafe-no-fsync',
    ]);
    await saveState();
    await waitFor(
      'etcd',
      30_000,
      async () => {
        try {
          const r = await fetch(`${etcdUrl}/health`);
          return r.ok;
        } catch {
          return false;
        }
      },
      logs,
    );

    pids['kube-apiserver'] = startProcess(dir, 'kube-apiserver', join(binDir, 'kube-apiserver'), [
      '--etcd-servers',
      etcdUrl,
      '--bind-address',
      '127.0.0.1',
      '--advertise-address',
      '127.0.0.1',
      '--secure-port',
      String(apiPort),
      '--cert-dir',
      join(dir, 'pki'),
      '--tls-cert-file',
      pki.serverCert,
      '--tls-private-key-file',
      pki.serverKey,
      '--client-ca-file',
      pki.caCert,
      '--service-account-issuer',
      'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file',
      pki.serviceAccountPub,
      '--service-account-signing-key-file',
      pki.serviceAccountKey,
      '--service-cluster-ip-range',
      SERVICE_CLUSTER_IP_RANGE,
      '--authorization-mode',
      'RBAC',
      '--allow-privileged=true',
    ]);
    await saveState();
    await waitFor('kube-apiserver', 90_000, async () => (await apiGet(state, '/readyz')).status === 200, logs);

    pids['kube-controller-manager'] = startProcess(
      dir,
      'kube-controller-manager',
      join(binDir, 'kube-controller-manager'),
      [
        '--kubeconfig',
        kubeconfig,
        '--controllers',
        'garbagecollector,namespace,serviceaccount,serviceaccount-token,deployment,replicaset,clusterrole-aggregation',
        '--service-account-private-key-file',
        pki.serviceAccountKey,
        '--root-ca-file',
        pki.caCert,
        '--leader-elect=false',
        // No serving endpoint: nothing scrapes it, and it would need its own authentication setup.
        '--secure-port',
        '0',
        '--use-service-account-credentials=false',
        '--concurrent-gc-syncs',
        '5',
      ],
    );
    await saveState();
    // The controller manager is ready for tests once the default namespace has its ServiceAccount.
    await waitFor(
      'kube-controller-manager',
      60_000,
      async () =>
        alive(pids['kube-controller-manager']) &&
        (await apiGet(state, '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
      logs,
    );
  } catch (err) {
    await stopCluster(dir);
    throw err;
  }
  return { ...state, started: true, stop: () => stopCluster(dir) };
}

/** Runs the cluster's own kubectl (same version as the API server) with its kubeconfig. */
export async function kubectlWith(state: Pick<ClusterState, 'kubeconfig' | 'binDir'>, args: string[]) {
  return execFileP(join(state.binDir, 'kubectl'), ['--kubeconfig', state.kubeconfig, ...args]);
}

export const repoRoot = resolve(here, '..', '..');
