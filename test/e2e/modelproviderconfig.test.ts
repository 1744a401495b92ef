// ModelProviderConfig model discovery under the real Metacontroller (a cluster of its own): a real HTTP server plays
// an OpenAI-compatible provider's GET /v1/models. The status gets the models; a later change of the provider's list
// shows after the resync alone (resyncAfterSeconds = --models-resync-seconds, no spec change); a refused key is
// Ready=False with the last good models kept; a rotated Secret is seen (customize names it) and used; the key never
// reaches the status. kubectl's printer columns and `metagent get modelproviderconfigs` show it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { RECOMMENDED_FLAGS } from '../metacontroller/flags.js';
import { startRealEnv, type RealEnv } from '../metacontroller/real-env.js';
import { condition, getObject, sleep, within } from '../metacontroller/scenario-data.js';
import { runMetagent } from '../metagent-cli.js';
import { MODELS_BODY, startMockProvider, type MockProvider } from '../mocks/model-provider.js';

const PERIOD_S = 2;
/** Bounds on a loaded 2-core machine; each step prints what it took. */
const FIRST_MS = 30_000;
const CHANGE_MS = 20_000;
const KEY1 = 'sk-mpc-first-key-0001';
const KEY2 = 'sk-mpc-second-key-0002';
const took = (what: string, ms: number) => process.stderr.write(`ModelProviderConfig: ${what} in ${ms} ms\n`);

describeWithCluster('ModelProviderConfig discovery under the real Metacontroller', () => {
  let env: RealEnv;
  let provider: MockProvider;
  const ns = 'mprov';
  const path = `/apis/kagent.dev/v1alpha2/namespaces/${ns}/modelproviderconfigs/openai`;
  const get = () => getObject(env.rest, path);
  const status = (o: KubeObject | undefined) =>
    (o?.status ?? {}) as { discoveredModels?: string[]; modelCount?: number; observedGeneration?: number };
  const apply = async (text: string) => {
    const r = await env.kubectl(['apply', '-n', ns, '-f', '-'], { input: text });
    if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
  };
  const secretYaml = (key: string) => `apiVersion: v1
kind: Secret
metadata: {name: openai-key}
stringData: {api-key: ${key}}
`;

  beforeAll(async () => {
    provider = await startMockProvider({ body: MODELS_BODY.data(['gpt-b', 'gpt-a']) });
    env = await startRealEnv({
      name: 'mprov',
      flags: RECOMMENDED_FLAGS,
      hookServer: { modelsResyncSeconds: PERIOD_S },
      log: (l) => process.stderr.write(`${l}\n`),
    });
    await env.rest.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }, 600_000);

  afterAll(async () => {
    await env?.stop();
    await provider?.close();
  });

  it('lists the models, follows the provider on the resync period, reports a refused key, uses a rotated one', async () => {
    await apply(secretYaml(KEY1));
    await apply(`apiVersion: kagent.dev/v1alpha2
kind: ModelProviderConfig
metadata: {name: openai}
spec: {type: OpenAI, endpoint: "${provider.url}/v1", secretRef: {name: openai-key}}
`);
    const first = await within('Ready with 2 models', FIRST_MS, async () => {
      const o = await get();
      return condition(o, 'Ready')?.status === 'True' && status(o).modelCount === 2 ? o : false;
    });
    took('first discovery', first.ms);
    expect(status(first.value)).toMatchObject({
      discoveredModels: ['gpt-a', 'gpt-b'],
      modelCount: 2,
      observedGeneration: 1,
    });
    expect(condition(first.value, 'SecretResolved')).toMatchObject({ status: 'True', reason: 'SecretResolved' });
    expect(condition(first.value, 'ModelsDiscovered')).toMatchObject({ status: 'True', reason: 'ModelsDiscovered' });
    expect(provider.requests.at(-1)).toMatchObject({ url: '/v1/models' });
    expect(provider.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY1}`);

    // kubectl's printer columns (from the CRD) and metagent's table.
    const expectRow = (stdout: string) => {
      expect(stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'TYPE', 'ENDPOINT', 'MODELS', 'READY', 'AGE']);
      expect(stdout.split('\n')[1].split(/\s+/).slice(0, 5)).toEqual([
        'openai',
        'OpenAI',
        `${provider.url}/v1`,
        '2',
        'True',
      ]);
    };
    const table = await env.kubectl(['get', 'modelproviderconfigs', '-n', ns]);
    expect(table.code, table.stderr).toBe(0);
    expectRow(table.stdout);
    const cli = await runMetagent(['get', 'mprov', '-n', ns, '--kubeconfig', env.cluster.kubeconfig]);
    expect(cli.code, cli.stderr).toBe(0);
    expectRow(cli.stdout);
    const yaml = await runMetagent([
      'get',
      'mprov',
      'openai',
      '-n',
      ns,
      '-o',
      'json',
      '--kubeconfig',
      env.cluster.kubeconfig,
    ]);
    expect(JSON.parse(yaml.stdout)).toMatchObject({ kind: 'ModelProviderConfig', status: { modelCount: 2 } });

    // The provider gains a model; nothing in the cluster changes: only the periodic resync can show it.
    provider.answer = { body: MODELS_BODY.data(['gpt-a', 'gpt-b', 'gpt-c']) };
    const added = await within('the third model after the resync', CHANGE_MS, async () => {
      const o = await get();
      return status(o).modelCount === 3 ? o : false;
    });
    took('a changed list in status', added.ms);
    expect(status(added.value).discoveredModels).toEqual(['gpt-a', 'gpt-b', 'gpt-c']);
    expect(added.value.metadata.generation).toBe(1);

    // The key is refused: Ready=False naming the status code, the last good models kept.
    provider.answer = { status: 401, body: { error: { message: 'invalid key' } } };
    const refused = await within('Ready=False after a 401', CHANGE_MS, async () => {
      const o = await get();
      return condition(o, 'Ready')?.status === 'False' ? o : false;
    });
    took('a refused key in status', refused.ms);
    expect(condition(refused.value, 'Ready')).toMatchObject({ reason: 'DiscoveryFailed' });
    expect(condition(refused.value, 'ModelsDiscovered')?.message).toContain('(HTTP 401)');
    expect(status(refused.value).discoveredModels).toEqual(['gpt-a', 'gpt-b', 'gpt-c']);

    // A rotated key: the Secret change reaches the hook (customize names the Secret) and the new key is sent.
    provider.answer = { body: MODELS_BODY.data(['gpt-a']) };
    await apply(secretYaml(KEY2));
    const rotated = await within('Ready again with the new key', CHANGE_MS, async () => {
      const o = await get();
      return condition(o, 'Ready')?.status === 'True' && status(o).modelCount === 1 ? o : false;
    });
    took('a rotated key in use', rotated.ms);
    expect(provider.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY2}`);
    expect((rotated.value.status as { secretHash?: string }).secretHash).not.toBe(
      (first.value.status as { secretHash?: string }).secretHash,
    );
    const text = JSON.stringify(rotated.value);
    expect(text).not.toContain(KEY1);
    expect(text).not.toContain(KEY2);

    // A steady provider costs no status write: the provider is asked again every period, the object stays as it is.
    const settled = await within('no status write for a period', CHANGE_MS, async () => {
      const before = await get();
      await sleep(PERIOD_S * 1000 + 500);
      const after = await get();
      return before?.metadata.resourceVersion === after?.metadata.resourceVersion ? after : false;
    });
    const asked = provider.requests.length;
    await sleep(3 * PERIOD_S * 1000);
    const later = await get();
    expect(provider.requests.length - asked).toBeGreaterThanOrEqual(2);
    expect(later?.metadata.resourceVersion).toBe(settled.value.metadata.resourceVersion);
  }, 180_000);
});
