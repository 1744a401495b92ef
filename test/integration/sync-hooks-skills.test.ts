// spec.skills on the real control plane, through the contract driver (what Metacontroller does with
// manifests/metacontroller/agents.yaml): the <agent>-skills-init ConfigMap is a child like the others (owner reference,
// controller-uid label), the API server accepts the Deployment with kagent's skills-init init container, a resync
// writes nothing, a changed skill list updates the ConfigMap and rolls the pod template, and dropping the skills
// deletes the ConfigMap and the init container.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { installCrds } from '../../crds/index.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { CompositeControllerDriver } from '../metacontroller/driver.js';
import { manifestController } from '../metacontroller/manifests.js';

const SKILLS_INIT_IMAGE = 'example.test/skills-init:test';

const agentYaml = (skills: string) => `
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata: {name: skilled}
spec:
  type: Declarative
  declarative: {systemMessage: uses skills, modelConfig: model}
${skills}`;

describeWithCluster('spec.skills through the contract driver', () => {
  let hooks: SyncHookServer;
  let ns: string;
  let agents: CompositeControllerDriver;
  let modelConfigs: CompositeControllerDriver;
  const ref = () => ({ namespace: ns, name: 'skilled' });
  const get = async (path: string) => {
    const r = await agents.rest.request('GET', path);
    return r.status === 200 ? r.body : undefined;
  };
  const cmPath = () => `/api/v1/namespaces/${ns}/configmaps/skilled-skills-init`;
  const depPath = () => `/apis/apps/v1/namespaces/${ns}/deployments/skilled`;
  const apply = async (text: string) => {
    const r = await kubectl(['apply', '-n', ns, '-f', '-'], { input: text });
    if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
  };

  beforeAll(async () => {
    await installCrds(kubectl);
    hooks = await startSyncHookServer({
      logLevel: false,
      runtimeImage: 'example.test/metagent-runtime:test',
      skillsInitImage: SKILLS_INIT_IMAGE,
    });
    ns = await createNamespace('skills');
    agents = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: manifestController('agents.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    modelConfigs = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: manifestController('modelconfigs.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    await apply(`
apiVersion: v1
kind: Secret
metadata: {name: openai}
stringData: {api-key: sk-test-not-a-real-key}
---
apiVersion: v1
kind: Secret
metadata: {name: git-creds}
stringData: {token: not-a-real-token}
---
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: {name: model}
spec: {provider: OpenAI, model: gpt-4o, apiKeySecret: openai, apiKeySecretKey: api-key}
---
${agentYaml(`  skills:
    refs: [ghcr.io/org/oci-skill:v1]
    gitAuthSecretRef: {name: git-creds}
    gitRefs:
      - {url: https://github.com/org/my-skills, ref: v2, path: skills/k8s}
    s3Refs:
      - {uri: s3://bucket/bundles/ops.zip, region: us-east-1}
    initContainer:
      env: [{name: AWS_REGION, value: us-east-1}]
      resources: {limits: {cpu: 1500m, memory: 1Gi}}`)}`);
    // The ModelConfig's controller publishes the view of its Secret that the Agents read (as Metacontroller would).
    await modelConfigs.reconcileUntilStable({ namespace: ns, name: 'model' });
  }, 180_000);

  afterAll(async () => {
    await hooks?.close();
    if (ns) await deleteNamespace(ns).catch(() => undefined);
  });

  it('creates the skills-init ConfigMap as an owned child and a Deployment the API server accepts with the init container', async () => {
    const rounds = await agents.reconcileUntilStable(ref());
    expect(rounds[0].log).toEqual(
      expect.arrayContaining([`create ConfigMap ${ns}/skilled-skills-init`, `create Deployment ${ns}/skilled`]),
    );
    const agent = await get(`/apis/kagent.dev/v1alpha2/namespaces/${ns}/agents/skilled`);
    const accepted = agent.status.conditions.find((c: { type: string }) => c.type === 'Accepted');
    expect(accepted, accepted?.message).toMatchObject({ status: 'True' });

    const cm = await get(cmPath());
    expect(cm.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Agent', name: 'skilled', uid: agent.metadata.uid, controller: true }),
    ]);
    expect(cm.metadata.labels['controller-uid']).toBe(agent.metadata.uid);
    expect(JSON.parse(cm.data['config.json'])).toStrictEqual({
      authMountPath: '/git-auth',
      gitRefs: [{ url: 'https://github.com/org/my-skills', ref: 'v2', dest: '/skills/k8s', subPath: 'skills/k8s' }],
      ociRefs: [{ image: 'ghcr.io/org/oci-skill:v1', dest: '/skills/oci-skill' }],
      s3Refs: [{ uri: 's3://bucket/bundles/ops.zip', dest: '/skills/ops', region: 'us-east-1' }],
    });

    const pod = (await get(depPath())).spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers[0]).toMatchObject({
      name: 'skills-init',
      image: SKILLS_INIT_IMAGE,
      env: [{ name: 'AWS_REGION', value: 'us-east-1' }],
      resources: { limits: { cpu: '1500m', memory: '1Gi' } },
      volumeMounts: [
        { name: 'kagent-skills', mountPath: '/skills' },
        { name: 'skills-init-config', mountPath: '/etc/kagent/skills-init', readOnly: true },
        { name: 'git-auth', mountPath: '/git-auth', readOnly: true },
      ],
    });
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'kagent-skills', emptyDir: {} },
        { name: 'skills-init-config', configMap: { name: 'skilled-skills-init', defaultMode: 420 } },
        { name: 'git-auth', secret: { secretName: 'git-creds', defaultMode: 420 } },
      ]),
    );
    const main = pod.containers[0];
    expect(main.volumeMounts).toContainEqual({ name: 'kagent-skills', mountPath: '/skills', readOnly: true });
    expect(main.env).toEqual(
      expect.arrayContaining([
        { name: 'KAGENT_SKILLS_FOLDER', value: '/skills' },
        { name: 'KAGENT_SRT_SETTINGS_PATH', value: '/config/srt-settings.json' },
      ]),
    );
    expect(main.securityContext?.privileged ?? false).toBe(false);
    const secret = await get(`/api/v1/namespaces/${ns}/secrets/skilled`);
    expect(Object.keys(secret.data).sort()).toEqual(['agent-card.json', 'config.json', 'srt-settings.json']);

    const again = await agents.reconcileOnce(ref());
    expect(again.totalWrites, again.log.join('; ')).toBe(0);
  }, 120_000);

  it('a changed skill list updates the ConfigMap and rolls the pod template; dropping the skills removes both', async () => {
    const hash = async () => (await get(depPath())).spec.template.metadata.annotations['kagent.dev/config-hash'];
    const before = await hash();
    await apply(agentYaml(`  skills:\n    refs: [ghcr.io/org/oci-skill:v2]`));
    const changed = await agents.reconcileUntilStable(ref());
    expect(changed[0].log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^update ConfigMap ${ns}/skilled-skills-init`)),
        expect.stringMatching(new RegExp(`^update Deployment ${ns}/skilled`)),
      ]),
    );
    expect(JSON.parse((await get(cmPath())).data['config.json'])).toStrictEqual({
      ociRefs: [{ image: 'ghcr.io/org/oci-skill:v2', dest: '/skills/oci-skill' }],
    });
    const pod = (await get(depPath())).spec.template.spec;
    expect(pod.volumes.map((v: { name: string }) => v.name)).not.toContain('git-auth');
    expect(await hash()).not.toBe(before);

    await apply(agentYaml(''));
    const dropped = await agents.reconcileUntilStable(ref());
    expect(dropped[0].log).toContain(`delete ConfigMap ${ns}/skilled-skills-init`);
    expect(await get(cmPath())).toBeUndefined();
    const plain = (await get(depPath())).spec.template.spec;
    expect(plain.initContainers).toBeUndefined();
    expect(plain.volumes.map((v: { name: string }) => v.name)).toEqual(['config']);
    expect(plain.containers[0].env.map((e: { name: string }) => e.name)).not.toContain('KAGENT_SKILLS_FOLDER');
    expect(Object.keys((await get(`/api/v1/namespaces/${ns}/secrets/skilled`)).data).sort()).toEqual([
      'agent-card.json',
      'config.json',
    ]);
  }, 120_000);
});
