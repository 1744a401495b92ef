// The real Metacontroller on the host, against a test API server: its build (build-metacontroller.sh, cached by the
// source archive's sha256), its CRDs, and one process started with chosen flags and stopped again.
// A running Metacontroller reconciles every parent of its CompositeControllers in the whole cluster, so start it
// against a cluster of its own (startCluster(log, dir)), never the one other test files share.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive, freePort, kubectlWith, type ClusterState } from './cluster.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface MetacontrollerBuild {
  /** The cache directory (~/.cache/metagent/metacontroller-<version>-<sha256 prefix>). */
  dir: string;
  bin: string;
  /** Metacontroller's own CRDs (CompositeController, DecoratorController, ControllerRevision). */
  crds: string;
}

/** Builds Metacontroller once (concurrent callers wait on a flock) or finds it in the cache. */
export async function ensureMetacontroller(log: (line: string) => void = () => {}): Promise<MetacontrollerBuild> {
  const started = Date.now();
  const child = spawn('bash', [join(here, 'build-metacontroller.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    for (const line of String(d).split('\n')) if (line.startsWith('build-metacontroller:')) log(line);
  });
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
  if (code !== 0) {
    throw new Error(
      `building Metacontroller failed (exit ${code}) after ${Math.round((Date.now() - started) / 1000)}s:\n${err.split('\n').slice(-20).join('\n')}`,
    );
  }
  const dir = out.trim().split('\n').pop()!;
  return { dir, bin: join(dir, 'bin', 'metacontroller'), crds: join(dir, 'crds.yaml') };
}

/** Applies Metacontroller's CRDs to a cluster and waits until the API server serves them. */
export async function applyMetacontrollerCrds(
  cluster: Pick<ClusterState, 'kubeconfig' | 'binDir'>,
  build: MetacontrollerBuild,
): Promise<void> {
  await kubectlWith(cluster, ['apply', '--server-side', '--force-conflicts', '-f', build.crds]);
  await kubectlWith(cluster, ['wait', '--for', 'condition=Established', '--timeout', '60s', '-f', build.crds]);
}

export interface MetacontrollerOptions {
  kubeconfig: string;
  /** Extra flags, e.g. ['--client-go-qps', '100', '--workers', '20']. The listen addresses are chosen here. */
  flags?: string[];
  /** Where its log goes (appended). */
  logFile: string;
}

export interface RunningMetacontroller {
  pid: number;
  /** Prometheus metrics (its --metrics-address), e.g. http://127.0.0.1:PORT/metrics. */
  metricsUrl: string;
  logFile: string;
  /** Resident set size now, in bytes (0 once it has exited). */
  rssBytes(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

const OWN_FLAGS = [
  '--kubeconfig',
  '--metrics-address',
  '--health-probe-bind-address',
  '-kubeconfig',
  '-metrics-address',
  '-health-probe-bind-address',
];

/** The RSS of a process from /proc, in bytes; 0 when it is gone. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts Metacontroller against the kubeconfig's API server and waits until its readiness probe answers. */
export async function startMetacontroller(
  build: MetacontrollerBuild,
  opts: MetacontrollerOptions,
): Promise<RunningMetacontroller> {
  const flags = opts.flags ?? [];
  for (const f of flags) {
    if (OWN_FLAGS.includes(f.split('=')[0]))
      throw new Error(`startMetacontroller: flag ${f} is set by the helper itself`);
  }
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(
    build.bin,
    [
      '--kubeconfig',
      opts.kubeconfig,
      '--metrics-address',
      `127.0.0.1:${metricsPort}`,
      '--health-probe-bind-address',
      `127.0.0.1:${healthPort}`,
      ...flags,
    ],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${build.bin}`);
  const pid = child.pid;
  let exited: number | null = null;
  const gone = new Promise<void>((res) =>
    child.on('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 1);
      res();
    }),
  );
  // A test worker that dies must not leave Metacontroller reconciling behind it.
  const onExit = () => {
    if (exited === null) child.kill('SIGKILL');
  };
  process.on('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    if (exited !== null || !alive(pid)) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(t);
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) {
      const tail = readFileSync(opts.logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`Metacontroller exited (${String(exited)}) while starting:\n${tail}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${healthPort}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Metacontroller not ready after 30 s (log: ${opts.logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    logFile: opts.logFile,
    rssBytes: () => rssOf(pid),
    stop,
  };
}
