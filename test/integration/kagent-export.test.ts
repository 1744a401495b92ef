// A kagent Agent as kagent v0.10 stores it (declarative.runtime defaulted to go, plus
// iconUrl and envFrom), taken from kagent's golden inputs, applies unchanged through `kubectl apply` (strict field
// validation, no webhook) and reconciles through the contract driver into children that carry those fields.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { installCrds } from '../../crds/index.js';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { KAGENT_INPUTS_DIR } from '../fixtures.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { CompositeControllerDriver, findController } from '../metacontroller/driver.js';
import { manifestDocuments } from '../metacontroller/manifests.js';

type Obj = Record<string, any>;

describeWithCluster('a kagent-exported Agent', () => {
  let hooks: SyncHookServer;
  let ns: string;
  let agents: CompositeControllerDriver;
  let modelConfigs: CompositeControllerDriver;
  let objects: Obj[];

  beforeAll(async () => {
    await installCrds(kubectl);
    hooks = await startSyncHookServer({ logLevel: false, runtimeImage: 'example.test/metagent-runtime:test' });
    ns = await createNamespace('kagent-export');
    agents = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: findController(manifestDocuments(), 'agents.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    // The ModelConfig's controller publishes the view Secret the Agent reads; it runs first, as Metacontroller's would.
    modelConfigs = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: findController(manifestDocuments(), 'modelconfigs.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    const input = parse(readFileSync(KAGENT_INPUTS_DIR + 'basic_agent.yaml', 'utf8')) as { objects: Obj[] };
    objects = input.objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } }));
    const agent = objects.find((o) => o.kind === 'Agent')!;
    // What kagent's API server stores and `kubectl get agent -o yaml` exports: its CRD defaults runtime to go.
    agent.spec.declarative.runtime = 'go';
    agent.spec.iconUrl = 'https://example.com/icons/basic.png';
    agent.spec.declarative.deployment.envFrom = [
      { configMapRef: { name: 'agent-settings' } },
      { secretRef: { name: 'agent-extra', optional: true }, prefix: 'EXTRA_' },
    ];
  }, 120_000);

  afterAll(async () => {
    await hooks?.close();
    if (ns) await deleteNamespace(ns);
  });

  it('applies unchanged with strict field validation and no webhook registered', async () => {
    const r = await kubectl(['apply', '--validate=strict', '-f', '-'], {
      input: objects.map((o) => stringify(o)).join('---\n'),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = await kubectl(['get', 'agent', 'basic-agent', '-n', ns, '-o', 'json']);
    const stored = JSON.parse(got.stdout) as Obj;
    expect(stored.spec.declarative.runtime).toBe('go');
    expect(stored.spec.iconUrl).toBe('https://example.com/icons/basic.png');
    expect(stored.spec.declarative.deployment.envFrom).toEqual(
      objects.find((o) => o.kind === 'Agent')!.spec.declarative.deployment.envFrom,
    );
  });

  it('reconciles: Accepted, envFrom on the agent container, iconUrl on the card', async () => {
    await modelConfigs.reconcileAll(ns);
    await agents.reconcileUntilStable({ namespace: ns, name: 'basic-agent' });
    const agent = JSON.parse((await kubectl(['get', 'agent', 'basic-agent', '-n', ns, '-o', 'json'])).stdout) as Obj;
    const accepted = agent.status.conditions.find((c: Obj) => c.type === 'Accepted');
    expect(accepted).toMatchObject({ status: 'True' });
    const dep = JSON.parse((await kubectl(['get', 'deployment', 'basic-agent', '-n', ns, '-o', 'json'])).stdout) as Obj;
    const main = dep.spec.template.spec.containers.find((c: Obj) => c.name === 'kagent');
    expect(main.envFrom).toEqual([
      { configMapRef: { name: 'agent-settings' } },
      { secretRef: { name: 'agent-extra', optional: true }, prefix: 'EXTRA_' },
    ]);
    const secret = JSON.parse((await kubectl(['get', 'secret', 'basic-agent', '-n', ns, '-o', 'json'])).stdout) as Obj;
    const card = JSON.parse(Buffer.from(secret.data['agent-card.json'], 'base64').toString('utf8')) as Obj;
    expect(card.iconUrl).toBe('https://example.com/icons/basic.png');
    // A resync of the unchanged Agent writes nothing.
    const again = await agents.reconcileOnce({ namespace: ns, name: 'basic-agent' });
    expect(again.totalWrites, `unchanged resync wrote: ${again.log.join('; ')}`).toBe(0);
  });
});
