// The sync hooks under the real Metacontroller (v4.17.2, built from source by test/cluster/build-metacontroller.sh),
// on a test cluster of its own, with the hook server on the host and exactly the installed CompositeControllers
// (manifests/metacontroller/, only the hook address moved to the host: test/unit/metacontroller-host-controllers).
// Each scenario runs in its own namespace, concurrently with the others; the hook-server outage runs last, alone,
// because it takes the hooks away from every namespace. Every wait has a bound, and each scenario prints how long
// it took.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { RECOMMENDED_FLAGS } from '../metacontroller/flags.js';
import { startRealEnv, type RealEnv } from '../metacontroller/real-env.js';
import {
  AGENT_CHILDREN,
  MCP_TOOLS,
  agentYaml,
  childPath,
  condition,
  getObject,
  modelConfigYaml,
  parentPath,
  remoteServerYaml,
  secretYaml,
  seedYaml,
  sleep,
  snapshot,
  versions,
  within,
  type ChildKind,
  type SeedOptions,
} from '../metacontroller/scenario-data.js';

/** Bounds (a loaded 2-core machine; each scenario prints what it took). */
const SEED_MS = 30_000;
const REPAIR_MS = 15_000;
const UPDATE_MS = 15_000;
const GC_MS = 60_000;
const IDLE_MS = 125_000;
const OUTAGE_DOWN_MS = 30_000;
const OUTAGE_500_MS = 15_000;
/** After the outage: Metacontroller's per-parent backoff (5 ms doubling) or the Agents' 60 s resync, whichever first. */
const RECOVER_MS = 75_000;

const KINDS = Object.keys(AGENT_CHILDREN) as ChildKind[];
const took = (what: string, ms: number) => process.stderr.write(`real Metacontroller: ${what} in ${ms} ms\n`);

describeWithCluster('the sync hooks under the real Metacontroller', () => {
  let env: RealEnv;
  let mcp: McpTestServer;

  const get = (path: string) => getObject(env.rest, path);
  const apply = async (ns: string, text: string) => {
    const r = await env.kubectl(['apply', '-n', ns, '-f', '-'], { input: text });
    if (r.code !== 0) throw new Error(`kubectl apply -n ${ns} failed: ${r.stderr}`);
  };
  const kubectlOk = async (args: string[]) => {
    const r = await env.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  let nsCount = 0;
  const namespace = async (prefix: string) => {
    const name = `${prefix}-${++nsCount}`;
    await env.rest.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  };
  const children = async (ns: string) =>
    Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await get(childPath(ns, k))] as const))) as Record<
      ChildKind,
      KubeObject | undefined
    >;
  const configJson = async (ns: string) => {
    const s = (await get(childPath(ns, 'Secret'))) as (KubeObject & { data: Record<string, string> }) | undefined;
    return s ? JSON.parse(Buffer.from(s.data['config.json'], 'base64').toString('utf8')) : undefined;
  };
  const agent = (ns: string) => get(parentPath(ns, 'agents', 'helper'));
  /** Accepted=True at the current generation with all five children present. */
  const accepted = async (ns: string) => {
    const a = await agent(ns);
    if (!a || condition(a, 'Accepted')?.status !== 'True') return false;
    if ((a.status as { observedGeneration?: number }).observedGeneration !== a.metadata.generation) return false;
    const c = await children(ns);
    return KINDS.every((k) => c[k]) ? { agent: a, children: c } : false;
  };
  /** No parent or child in the namespace changed for `quietMs`; returns the settled resourceVersions. */
  const settled = async (ns: string, quietMs = 3000) => {
    let last = versions(await snapshot(env.rest, ns));
    let since = Date.now();
    const r = await within(
      `${ns} to settle`,
      60_000,
      async () => {
        const now = versions(await snapshot(env.rest, ns));
        if (JSON.stringify(now) !== JSON.stringify(last)) {
          last = now;
          since = Date.now();
          return false;
        }
        return Date.now() - since >= quietMs ? now : false;
      },
      500,
    );
    return r.value;
  };
  const seed = async (ns: string, o: SeedOptions = {}) => {
    await apply(ns, seedYaml(mcp.url, o));
    const r = await within(`seed Agent in ${ns} Accepted with five children`, SEED_MS, () => accepted(ns));
    return r;
  };
  const changedKinds = (before: Record<string, string>, after: Record<string, string>) =>
    Object.keys({ ...before, ...after })
      .filter((k) => before[k] !== after[k])
      .sort();

  beforeAll(async () => {
    mcp = await startMcpServer({ tools: MCP_TOOLS });
    env = await startRealEnv({ name: 'suite', flags: RECOMMENDED_FLAGS, log: (l) => process.stderr.write(`${l}\n`) });
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
    await mcp?.close();
  });

  it.concurrent('seed: five children owned by the Agent, Accepted, tools discovered, secretHash set', async () => {
    const ns = await namespace('seed');
    const { value, ms } = await seed(ns);
    took('seed scenario Accepted with five children', ms);
    const uid = value.agent.metadata.uid;
    for (const k of KINDS) {
      const c = value.children[k]!;
      expect(c.metadata.ownerReferences, k).toEqual([
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'Agent',
          name: 'helper',
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(c.metadata.labels?.['controller-uid'], k).toBe(uid);
      expect(c.metadata.annotations?.['metacontroller.k8s.io/last-applied-configuration'], k).toBeTruthy();
    }
    expect((await configJson(ns)).model.model).toBe('gpt-4o');
    const rms = await within('RemoteMCPServer tools discovered', SEED_MS, async () => {
      const r = await get(parentPath(ns, 'remotemcpservers', 'k8s-tools'));
      return condition(r, 'Accepted')?.status === 'True' && r;
    });
    expect((rms.value.status as { discoveredTools: { name: string }[] }).discoveredTools.map((t) => t.name)).toEqual([
      'get_events',
      'get_logs',
      'get_pods',
    ]);
    const mc = await within('ModelConfig Accepted with a secretHash', SEED_MS, async () => {
      const m = await get(parentPath(ns, 'modelconfigs', 'model'));
      return condition(m, 'Accepted')?.status === 'True' && m;
    });
    expect((mc.value.status as { secretHash: string }).secretHash).toMatch(/^[0-9a-f]{64}$/);
    const dep = value.children.Deployment as KubeObject & { spec: any };
    expect(dep.spec.template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['skills-init']);
  });

  it.concurrent(
    'drift: a deleted child comes back, hand edits of the Deployment and the Secret are undone',
    async () => {
      const ns = await namespace('drift');
      await seed(ns);
      const before = await children(ns);
      const image = (before.Deployment as any).spec.template.spec.containers[0].image;
      const cfg = (before.Secret as any).data['config.json'];

      await env.rest.ok('DELETE', childPath(ns, 'Service'));
      const svc = await within('deleted Service recreated', REPAIR_MS, async () => {
        const s = await get(childPath(ns, 'Service'));
        return s && s.metadata.uid !== before.Service!.metadata.uid && s;
      });
      took('deleted Service recreated', svc.ms);
      expect(svc.value.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'Agent',
        name: 'helper',
        controller: true,
      });

      await kubectlOk([
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
      ]);
      await kubectlOk([
        'patch',
        '-n',
        ns,
        'secret',
        'helper',
        '--type=merge',
        '-p',
        JSON.stringify({ data: { 'config.json': Buffer.from('{"tampered":true}').toString('base64') } }),
      ]);
      const fixed = await within('Deployment image and Secret config.json put back', REPAIR_MS, async () => {
        const c = await children(ns);
        return (
          (c.Deployment as any)?.spec.template.spec.containers[0].image === image &&
          (c.Secret as any)?.data['config.json'] === cfg
        );
      });
      took('hand edits undone', fixed.ms);
    },
  );

  it.concurrent('spec updates roll exactly the children they should', async () => {
    const ns = await namespace('updates');
    await seed(ns);
    const podAnnotations = async () =>
      ((await get(childPath(ns, 'Deployment'))) as any).spec.template.metadata.annotations;
    const step = async (
      what: string,
      change: () => Promise<void>,
      done: () => Promise<boolean>,
      expected: string[],
    ) => {
      const before = await settled(ns);
      const annBefore = await podAnnotations();
      await change();
      const r = await within(what, UPDATE_MS, async () => (await accepted(ns)) && done());
      took(what, r.ms);
      const after = await settled(ns);
      const children = changedKinds(before, after).filter((k) => !/^(Agent|ModelConfig|RemoteMCPServer)\//.test(k));
      expect(children, `${what}: changed children`).toEqual(expected);
      return { annBefore, annAfter: await podAnnotations() };
    };

    const model = await step(
      'model change reaches config.json',
      () => apply(ns, modelConfigYaml('gpt-4o-mini')),
      async () => (await configJson(ns)).model.model === 'gpt-4o-mini',
      // The ModelConfig's view Secret stays: the model is not one of the references it is computed for.
      ['Deployment/helper', 'Secret/helper'],
    );
    expect(model.annAfter).not.toEqual(model.annBefore);

    const sys = await step(
      'system message change reaches config.json',
      () => apply(ns, agentYaml({ systemMessage: 'You are terse.' })),
      async () => JSON.stringify(await configJson(ns)).includes('You are terse.'),
      ['Deployment/helper', 'Secret/helper'],
    );
    expect(sys.annAfter).not.toEqual(sys.annBefore);

    const tools = await step(
      'tool list change reaches config.json',
      () => apply(ns, agentYaml({ systemMessage: 'You are terse.', toolNames: ['get_pods'] })),
      async () => !JSON.stringify(await configJson(ns)).includes('get_logs'),
      ['Deployment/helper', 'Secret/helper'],
    );
    expect(tools.annAfter).not.toEqual(tools.annBefore);

    const replicas = await step(
      'replicas change reaches the Deployment',
      () => apply(ns, agentYaml({ systemMessage: 'You are terse.', toolNames: ['get_pods'], replicas: 2 })),
      async () => ((await get(childPath(ns, 'Deployment'))) as any).spec.replicas === 2,
      ['Deployment/helper'],
    );
    expect(replicas.annAfter, 'replicas do not roll the pods').toEqual(replicas.annBefore);
  });

  it.concurrent(
    'a missing ModelConfig, RemoteMCPServer or Secret keeps every child; restoring it recovers',
    async () => {
      const ns = await namespace('missing');
      await seed(ns);
      const cases: [string, string, string, RegExp][] = [
        ['ModelConfig', parentPath(ns, 'modelconfigs', 'model'), modelConfigYaml(), /^ModelConfigNotFound$/],
        [
          'RemoteMCPServer',
          parentPath(ns, 'remotemcpservers', 'k8s-tools'),
          remoteServerYaml(mcp.url),
          /^ToolServerNotFound$/,
        ],
        ['Secret', `/api/v1/namespaces/${ns}/secrets/openai`, secretYaml(), /^SecretNotFound$/],
      ];
      for (const [what, path, yaml, reason] of cases) {
        const uids = Object.fromEntries(Object.entries(await children(ns)).map(([k, o]) => [k, o?.metadata.uid]));
        await env.rest.ok('DELETE', path);
        const down = await within(`Agent not Accepted without its ${what}`, UPDATE_MS, async () => {
          const c = condition(await agent(ns), 'Accepted');
          return c?.status === 'False' && c;
        });
        took(`missing ${what} reported`, down.ms);
        expect(down.value.reason, down.value.message).toMatch(reason);
        await sleep(2000);
        const kept = Object.fromEntries(Object.entries(await children(ns)).map(([k, o]) => [k, o?.metadata.uid]));
        expect(kept, `children kept without the ${what}`).toEqual(uids);
        await apply(ns, yaml);
        const up = await within(`Agent Accepted again with its ${what} restored`, UPDATE_MS, () => accepted(ns));
        took(`restored ${what} recovered`, up.ms);
      }
    },
  );

  it.concurrent('deleting the Agent leaves no child (garbage collection)', async () => {
    const ns = await namespace('gc');
    await seed(ns);
    await env.rest.ok('DELETE', parentPath(ns, 'agents', 'helper'));
    const r = await within(
      'every child garbage-collected',
      GC_MS,
      async () => {
        const c = await children(ns);
        return KINDS.every((k) => !c[k]);
      },
      500,
    );
    took('children garbage-collected', r.ms);
    expect(await get(parentPath(ns, 'modelconfigs', 'model'))).toBeDefined();
  });

  it.concurrent(
    "idle for two minutes at the Agents' 60 s resync: no parent or child is written",
    async () => {
      const ns = await namespace('idle');
      await seed(ns);
      const resync = env.controllers.find((c) => c.metadata.name === 'agents.kagent.dev')!.spec.resyncPeriodSeconds!;
      expect(resync * 1000 * 2).toBeLessThanOrEqual(IDLE_MS);
      const before = await settled(ns);
      const start = Date.now();
      await sleep(IDLE_MS);
      const after = versions(await snapshot(env.rest, ns));
      expect(changedKinds(before, after), 'objects written while idle').toEqual([]);
      expect(Object.keys(before)).toEqual([
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
      // The resyncs did happen: each one is a sync hook call for the Agent, answered 200.
      const syncs = env.proxy.callsIn(ns, start, '/agent/sync').filter((c) => c.name === 'helper');
      expect(syncs.length, 'Agent syncs during the idle window').toBeGreaterThanOrEqual(2);
      expect(syncs.every((c) => c.status === 200)).toBe(true);
    },
    IDLE_MS + 90_000,
  );

  it(
    'hook server stopped for 30 s, then answering 500 for 15 s: nothing is deleted, and it converges after',
    async () => {
      const ns = await namespace('outage');
      await seed(ns);
      await settled(ns);
      const uids = Object.fromEntries(Object.entries(await children(ns)).map(([k, o]) => [k, o?.metadata.uid]));
      const uidsNow = async () =>
        Object.fromEntries(Object.entries(await children(ns)).map(([k, o]) => [k, o?.metadata.uid]));

      await env.stopHooks();
      await env.proxy.down();
      // A change Metacontroller must carry through once the hooks are back.
      await apply(ns, agentYaml({ systemMessage: 'Changed during the outage.' }));
      const downUntil = Date.now() + OUTAGE_DOWN_MS;
      while (Date.now() < downUntil) {
        expect(await uidsNow(), 'children while the hook server is down').toEqual(uids);
        await sleep(2000);
      }
      await env.startHooks();
      await env.proxy.fail(500);
      const failFrom = Date.now();
      while (Date.now() < failFrom + OUTAGE_500_MS) {
        expect(await uidsNow(), 'children while the hooks answer 500').toEqual(uids);
        await sleep(2000);
      }
      expect(
        env.proxy.callsIn(ns, failFrom).filter((c) => c.status === 500).length,
        'Metacontroller retried during the 500s',
      ).toBeGreaterThan(0);

      await env.proxy.forward();
      const r = await within(
        'converged after the outage',
        RECOVER_MS,
        async () => (await accepted(ns)) && JSON.stringify(await configJson(ns)).includes('Changed during the outage.'),
        500,
      );
      took('converged after the hook outage', r.ms);
      expect(await uidsNow()).toEqual(uids);
    },
    OUTAGE_DOWN_MS + OUTAGE_500_MS + RECOVER_MS + 60_000,
  );
});
