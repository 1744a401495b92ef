// The contract driver (test/metacontroller/driver.ts) against the real Metacontroller: the same scenario steps go to
// a namespace of the same name in two clusters — the shared test cluster, reconciled by the driver, and a cluster of
// its own reconciled by the real Metacontroller — with the same hook server behind both. After each step the
// children and the parents' status are compared object by object; only server-set fields are ignored (normalize()
// in scenario-data.ts names them). Where the two differ, the driver is wrong.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installCrds } from '../../crds/index.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { CompositeControllerDriver } from '../metacontroller/driver.js';
import { RECOMMENDED_FLAGS } from '../metacontroller/flags.js';
import { manifestController } from '../metacontroller/manifests.js';
import { startRealEnv, type RealEnv } from '../metacontroller/real-env.js';
import type { KubeRest } from '../metacontroller/kube-rest.js';
import {
  MCP_TOOLS,
  agentYaml,
  childPath,
  modelConfigYaml,
  normalize,
  parentPath,
  parentUids,
  remoteServerYaml,
  secretYaml,
  seedYaml,
  sleep,
  snapshot,
  versions,
  within,
} from '../metacontroller/scenario-data.js';

type Kubectl = (args: string[], opts?: { input?: string }) => Promise<{ code: number; stderr: string }>;

describeWithCluster('contract driver vs the real Metacontroller, object by object', () => {
  let env: RealEnv;
  let mcp: McpTestServer;
  let ns: string;
  let drivers: CompositeControllerDriver[];
  const sides = () => [
    { name: 'driver', kubectl: kubectl as Kubectl, rest: drivers[0].rest },
    { name: 'metacontroller', kubectl: env.kubectl as Kubectl, rest: env.rest },
  ];

  /** The driver's work queue, run dry: sync every parent until a whole round writes nothing. */
  const driverConverge = async () => {
    for (let round = 0; round < 8; round++) {
      let writes = 0;
      for (const d of drivers) {
        for (const r of await d.reconcileAll(ns)) {
          if (r.error) throw r.error;
          writes += r.result!.totalWrites;
        }
      }
      if (writes === 0) return;
    }
    throw new Error('the driver did not settle in 8 rounds');
  };

  /** Metacontroller settled: every parent's status at its generation, and nothing written for 3 s. */
  const realConverge = async () => {
    let last = '';
    let since = Date.now();
    await within(
      'the real Metacontroller to settle',
      60_000,
      async () => {
        const snap = await snapshot(env.rest, ns);
        const pending = [...snap.values()].some(
          (o) =>
            ['Agent', 'ModelConfig', 'RemoteMCPServer'].includes(o.kind) &&
            (o.status as { observedGeneration?: number } | undefined)?.observedGeneration !== o.metadata.generation,
        );
        const now = JSON.stringify(versions(snap));
        if (pending || now !== last) {
          last = now;
          since = Date.now();
          return false;
        }
        return Date.now() - since >= 3000;
      },
      500,
    );
  };

  const converge = async () => {
    await Promise.all([driverConverge(), realConverge()]);
    // kube-controller-manager writes each Deployment's status a moment after the Deployment changes; the Agent's
    // Ready condition reads it. Let it land on both sides, then sync again.
    await sleep(1500);
    await Promise.all([driverConverge(), realConverge()]);
  };

  const normalized = async (rest: KubeRest) => {
    const snap = await snapshot(rest, ns);
    const uids = parentUids(snap);
    return Object.fromEntries([...snap].map(([k, o]) => [k, normalize(o, uids)]));
  };

  const compare = async (step: string) => {
    await converge();
    const [a, b] = await Promise.all([normalized(drivers[0].rest), normalized(env.rest)]);
    expect(Object.keys(a), `${step}: the same objects exist`).toEqual(Object.keys(b));
    for (const k of Object.keys(b)) expect(a[k], `${step}: ${k} (driver vs Metacontroller)`).toEqual(b[k]);
    return b as Record<string, KubeObject>;
  };

  const both = async (
    what: string,
    f: (s: ReturnType<typeof sides>[number]) => Promise<{ code: number; stderr: string } | void>,
  ) => {
    for (const s of sides()) {
      const r = await f(s);
      if (r && r.code !== 0) throw new Error(`${what} on the ${s.name} side failed: ${r.stderr}`);
    }
  };
  const applyBoth = (text: string) =>
    both('kubectl apply', (s) => s.kubectl(['apply', '-n', ns, '-f', '-'], { input: text }));
  const deleteBoth = (path: string) => both(`DELETE ${path}`, async (s) => void (await s.rest.ok('DELETE', path)));

  beforeAll(async () => {
    mcp = await startMcpServer({ tools: MCP_TOOLS });
    const [e] = await Promise.all([
      startRealEnv({ name: 'differential', flags: RECOMMENDED_FLAGS }),
      installCrds(kubectl),
    ]);
    env = e;
    ns = await createNamespace('differential');
    await env.rest.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const kc = kubeConfig();
    drivers = ['modelconfigs.kagent.dev', 'remotemcpservers.kagent.dev', 'agents.kagent.dev'].map(
      (name) =>
        new CompositeControllerDriver({
          kubeConfig: kc,
          controller: manifestController(name),
          hookBaseUrl: env.hooks.url,
        }),
    );
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
    if (ns) await deleteNamespace(ns).catch(() => undefined);
  });

  it('seed scenario: the same five children and the same status', async () => {
    await applyBoth(seedYaml(mcp.url));
    const objs = await compare('seed');
    expect(Object.keys(objs)).toEqual([
      'Agent/helper',
      'ConfigMap/helper-skills-init',
      'Deployment/helper',
      'ModelConfig/model',
      'RemoteMCPServer/k8s-tools',
      'Secret/helper',
      'Secret/model.modelconfig-view',
      'Secret/openai',
      'Service/helper',
      'ServiceAccount/helper',
    ]);
  });

  it('drift repair: a deleted Service and a hand-edited Deployment come back the same', async () => {
    await deleteBoth(childPath(ns, 'Service'));
    await both('patch', (s) =>
      s.kubectl([
        'patch',
        '-n',
        ns,
        'deployment',
        'helper',
        '--type=json',
        '-p',
        JSON.stringify([
          { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'example.test/tampered:1' },
        ]),
      ]),
    );
    await compare('drift repair');
  });

  it('spec updates: model, system message, tools, replicas', async () => {
    await applyBoth(modelConfigYaml('gpt-4o-mini'));
    await compare('model change');
    await applyBoth(agentYaml({ systemMessage: 'You are terse.', toolNames: ['get_pods'], replicas: 2 }));
    await compare('system message, tools and replicas');
  });

  it('a missing, then restored ModelConfig, RemoteMCPServer and Secret', async () => {
    const cases: [string, string][] = [
      [parentPath(ns, 'modelconfigs', 'model'), modelConfigYaml('gpt-4o-mini')],
      [parentPath(ns, 'remotemcpservers', 'k8s-tools'), remoteServerYaml(mcp.url)],
      [`/api/v1/namespaces/${ns}/secrets/openai`, secretYaml()],
    ];
    for (const [path, yaml] of cases) {
      await deleteBoth(path);
      await compare(`missing ${path}`);
      await applyBoth(yaml);
      await compare(`restored ${path}`);
    }
  });

  it('Agent deleted: no child left on either side', async () => {
    await deleteBoth(parentPath(ns, 'agents', 'helper'));
    await within(
      'children garbage-collected on both sides',
      60_000,
      async () => {
        for (const s of sides()) {
          const left = [...(await snapshot(s.rest, ns)).keys()].filter(
            (k) => !/^(ModelConfig|RemoteMCPServer|Secret\/openai$|Secret\/model\.modelconfig-view$)/.test(k),
          );
          if (left.length) return false;
        }
        return true;
      },
      500,
    );
    const objs = await compare('after deletion');
    // The ModelConfig's view Secret is its own child: it stays with the ModelConfig.
    expect(Object.keys(objs)).toEqual([
      'ModelConfig/model',
      'RemoteMCPServer/k8s-tools',
      'Secret/model.modelconfig-view',
      'Secret/openai',
    ]);
  }, 120_000);
});
