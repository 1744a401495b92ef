// The real Metacontroller, end to end: a test cluster of its own (a running Metacontroller reconciles every Agent of
// its cluster, so it cannot share the one other test files use), our CRDs and Metacontroller's, the hook server on
// the host behind a recording proxy (hook-proxy.ts), the installed CompositeControllers with only the hook address
// moved to that proxy (manifests.ts hostControllers), and Metacontroller started with chosen flags.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { installCrds, type KubectlFn } from '../../crds/index.js';
import { startSyncHookServer, type SyncHookServer, type SyncHookServerOptions } from '../../sync-hooks/server.js';
import { startCluster, stateDir, stopCluster, type RunningCluster } from '../cluster/cluster.js';
import {
  applyMetacontrollerCrds,
  ensureMetacontroller,
  startMetacontroller,
  type MetacontrollerBuild,
  type RunningMetacontroller,
} from '../cluster/metacontroller.js';
import { startHookProxy, type HookProxy } from './hook-proxy.js';
import { KubeRest } from './kube-rest.js';
import { hostControllers } from './manifests.js';
import type { CompositeController } from './driver.js';

export interface RealEnvOptions {
  /** Names the cluster directory (<stateDir()>-metacontroller-NAME) and the log files. */
  name: string;
  /** Metacontroller flags (its listen addresses are chosen by the helper). */
  flags?: string[];
  hookServer?: SyncHookServerOptions;
  /**
   * A hook server already running elsewhere (bench:scale runs it as its own process to measure it): the
   * CompositeControllers point straight at it, and no in-process hook server or proxy is started.
   */
  externalHookUrl?: string;
  log?: (line: string) => void;
}

export interface RealEnv {
  cluster: RunningCluster;
  kubectl: KubectlFn;
  kubeConfig: KubeConfig;
  rest: KubeRest;
  build: MetacontrollerBuild;
  hooks: SyncHookServer;
  proxy: HookProxy;
  controllers: CompositeController[];
  mc: RunningMetacontroller;
  /** Stops the hook server (the proxy then answers 502 until startHooks). */
  stopHooks(): Promise<void>;
  /** Starts a hook server again, on the port the proxy forwards to. */
  startHooks(): Promise<void>;
  /** Stops Metacontroller, the hook server, the proxy and the cluster. */
  stop(): Promise<void>;
}

/** kubectl (the cluster's own version) against one cluster; never rejects, so a refusal can be asserted. */
export function kubectlFor(cluster: Pick<RunningCluster, 'kubeconfig' | 'binDir'>): KubectlFn {
  return (args, opts = {}) =>
    new Promise((resolve) => {
      const child = spawn(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
}

export async function startRealEnv(opts: RealEnvOptions): Promise<RealEnv> {
  const log = opts.log ?? (() => {});
  const dir = `${stateDir()}-metacontroller-${opts.name}`;
  // Always a fresh cluster: one left by a crashed run may hold objects (or a Metacontroller) of that run.
  await stopCluster(dir);
  const [cluster, build] = await Promise.all([startCluster(log, dir), ensureMetacontroller(log)]);
  const kubectl = kubectlFor(cluster);
  const cleanups: (() => Promise<void>)[] = [() => stopCluster(dir)];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    await Promise.all([installCrds(kubectl), applyMetacontrollerCrds(cluster, build)]);
    const hookOpts: SyncHookServerOptions = {
      logLevel: false,
      runtimeImage: 'example.test/metagent-runtime:test',
      ...opts.hookServer,
    };
    let hooks = await startSyncHookServer(hookOpts);
    const hookPort = hooks.port;
    cleanups.push(() => hooks.close());
    const proxy = await startHookProxy(hooks.url);
    cleanups.push(() => proxy.close());
    const controllers = hostControllers(opts.externalHookUrl ?? proxy.url);
    const applied = await kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: controllers }),
    });
    if (applied.code !== 0) throw new Error(`applying the CompositeControllers failed: ${applied.stderr}`);
    const mc = await startMetacontroller(build, {
      kubeconfig: cluster.kubeconfig,
      flags: opts.flags,
      logFile: join(dir, 'metacontroller.log'),
    });
    cleanups.push(() => mc.stop());
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfig);
    let hooksUp = true;
    return {
      cluster,
      kubectl,
      kubeConfig,
      rest: new KubeRest(kubeConfig),
      build,
      get hooks() {
        return hooks;
      },
      proxy,
      controllers,
      mc,
      async stopHooks() {
        if (hooksUp) await hooks.close();
        hooksUp = false;
      },
      async startHooks() {
        if (hooksUp) return;
        hooks = await startSyncHookServer({ ...hookOpts, port: hookPort });
        hooksUp = true;
      },
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
