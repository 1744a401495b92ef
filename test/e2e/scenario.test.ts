// The seed scenario end to end on the real test control plane:
//   kubectl apply (ModelConfig, k8s-toolserver RemoteMCPServer, k8s-ops-agent from examples/)
//   -> API server -> our mutating + validating webhooks (HTTPS, in-process) -> etcd
//   -> contract driver (what Metacontroller does) -> sync hooks -> Secret/ServiceAccount/Deployment/Service, Accepted=True
//   -> the runtime started from the generated Secret's files exactly as the pod would mount them
//   -> `metagent invoke` (a real subprocess) -> A2A -> runtime -> mock LLM asks for list_pods
//   -> MCP -> the Kubernetes tool server -> the real API server's pods -> back to the LLM -> the answer names redis-2.
// There is no kubelet or pod network: pod statuses are written through pods/status, and the runtime runs here.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { Agent, fetch as undiciFetch } from 'undici';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { clusterKubeconfig, describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { installCrds } from '../../crds/index.js';
import { generateCerts, writeCerts } from '../../certs/generate.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { CompositeControllerDriver, findController } from '../metacontroller/driver.js';
import { startToolServer, type ToolServer } from '../../toolserver/index.js';
import {
  deleteClusterRoleBindings,
  mountProjectedTokens,
  toolServerIdentity,
  type ToolServerIdentity,
} from '../cluster/identity.js';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { startRuntime, type RuntimeHandle } from '../../runtime/index.js';
import { planLocalRun } from '../../cli/lib/local-run.js';
import { createPodWithState, deletePodsNow, serveServiceFromHost } from './pods.js';
import { runMetagent } from '../metagent-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const TASK = '帮我查下这个集群是否有 pod 异常';

/**
 * The text of the tool result the runtime handed back to the model in the current turn (after the last user
 * message; earlier turns of a continued conversation do not count), however the runtime wrapped it.
 */
function toolResultText(body: ChatRequestBody): string | undefined {
  const lastUser = body.messages.map((m) => m.role).lastIndexOf('user');
  const tool = body.messages
    .slice(lastUser + 1)
    .reverse()
    .find((m) => m.role === 'tool');
  if (!tool) return undefined;
  let text = typeof tool.content === 'string' ? tool.content : JSON.stringify(tool.content);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'string') text = parsed;
  } catch {
    /* plain text */
  }
  return text.replace(/\\n/g, '\n');
}

/**
 * The scripted model: first asks for list_pods over all namespaces; once the tool result is in the conversation,
 * answers from it — the pods the tool server flagged — so the answer can only name redis-2 if the hop really happened.
 */
function opsScript(body: ChatRequestBody): MockTurn {
  const result = toolResultText(body);
  if (result === undefined) {
    const name = body.tools?.map((t) => t.function.name).find((n) => n.endsWith('list_pods')) ?? 'list_pods';
    return { toolCalls: [{ name, arguments: {} }] };
  }
  const flagged = [...result.matchAll(/^- ([a-z0-9-]+\/[a-z0-9.-]+): (\S+)/gm)].map((m) => `${m[1]}（${m[2]}）`);
  return {
    text: flagged.length
      ? `发现 ${flagged.length} 个异常 pod：${flagged.join('、')}。建议查看其日志与事件。`
      : '所有 pod 都正常。',
  };
}

const runCli = (args: string[], env: NodeJS.ProcessEnv = {}) => runMetagent(args, env, 90_000);

const example = (file: string) =>
  parse(readFileSync(join(repo, 'examples/k8s-ops-agent', file), 'utf8')) as Record<string, any>;

async function metric(url: string, pattern: RegExp, ca?: string): Promise<number> {
  const res = ca
    ? await undiciFetch(`${url}/metrics`, { dispatcher: new Agent({ connect: { ca } }) })
    : await fetch(`${url}/metrics`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => pattern.test(l))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

describeWithCluster('e2e: "is any pod unhealthy?" from kubectl apply to an answer over A2A', () => {
  let kc: KubeConfig;
  let ns: string;
  let tmp: string;
  let webhooks: WebhookServer;
  let caCert: string;
  let hooks: SyncHookServer;
  let tools: ToolServer;
  let toolIdentity: ToolServerIdentity | undefined;
  const clusterBindings: string[] = [];
  let llm: MockLlm;
  let runtime: RuntimeHandle | undefined;
  let drivers: Record<'agents' | 'modelconfigs' | 'remotemcpservers', CompositeControllerDriver>;
  const webhookConfigName = () => `metagent-e2e-${ns}`;

  beforeAll(async () => {
    kc = kubeConfig();
    tmp = mkdtempSync(join(tmpdir(), 'metagent-e2e-'));
    await installCrds(kubectl);
    ns = await createNamespace('e2e');
    await createPodWithState(kc, ns, 'redis-1', 'running');
    await createPodWithState(kc, ns, 'redis-2', 'crashloop');
    await createPodWithState(kc, ns, 'web-1', 'running');

    // Admission: our HTTPS webhook server, registered by URL, limited to this test's namespace (the cluster is shared).
    const bundle = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
    caCert = bundle.caCert;
    const certFiles = await writeCerts(join(tmp, 'certs'), bundle);
    webhooks = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      tlsCertFile: certFiles.cert,
      tlsKeyFile: certFiles.key,
      logLevel: 'silent',
    });
    const webhook = (path: string, name: string) => ({
      name,
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Fail',
      timeoutSeconds: 10,
      clientConfig: { url: `${webhooks.url}${path}`, caBundle: Buffer.from(bundle.caCert).toString('base64') },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
      rules: [
        {
          apiGroups: ['kagent.dev'],
          apiVersions: ['v1alpha2'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['agents', 'modelconfigs', 'remotemcpservers'],
          scope: 'Namespaced',
        },
      ],
    });
    const configs = [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: webhookConfigName() },
        webhooks: [{ ...webhook('/mutate', 'mutate.e2e.metagent.dev'), reinvocationPolicy: 'Never' }],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: webhookConfigName() },
        webhooks: [webhook('/validate', 'validate.e2e.metagent.dev')],
      },
    ];
    const applied = await kubectl(['apply', '-f', '-'], { input: configs.map((c) => stringify(c)).join('---\n') });
    expect(applied.code, applied.stderr).toBe(0);

    hooks = await startSyncHookServer({ port: 0, host: '127.0.0.1', logLevel: false });
    const controllerDocs = readdirSync(join(repo, 'manifests/metacontroller'))
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .flatMap((f) =>
        parseAllDocuments(readFileSync(join(repo, 'manifests/metacontroller', f), 'utf8')).map((d) => d.toJS()),
      );
    const driver = (name: string) =>
      new CompositeControllerDriver({
        kubeConfig: kc,
        controller: findController(controllerDocs, name),
        hookBaseUrl: hooks.url,
      });
    drivers = {
      agents: driver('agents.kagent.dev'),
      modelconfigs: driver('modelconfigs.kagent.dev'),
      remotemcpservers: driver('remotemcpservers.kagent.dev'),
    };

    // The tool server as installed: its own ServiceAccount, allowed only to check tokens and impersonate.
    toolIdentity = await toolServerIdentity(ns);
    tools = await startToolServer({
      port: 0,
      host: '127.0.0.1',
      kubeConfig: toolIdentity.kubeConfig,
      logLevel: 'silent',
    });
    llm = await startMockLlm(opsScript);
  });

  afterAll(async () => {
    await runtime?.close();
    await llm?.close();
    await tools?.close();
    await hooks?.close();
    await deleteClusterRoleBindings(clusterBindings);
    await toolIdentity?.cleanup();
    if (ns) {
      await kubectl([
        'delete',
        'mutatingwebhookconfiguration,validatingwebhookconfiguration',
        webhookConfigName(),
        '--ignore-not-found',
      ]);
      await deletePodsNow(kc, ns);
      await deleteNamespace(ns);
    }
    await webhooks?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the admission webhooks are in the API server chain: an invalid Agent is denied with a field path', async () => {
    // A denial by either endpoint: /mutate refuses an invalid object first (the API server runs CEL between the two).
    const denied = /^metagent_webhook_requests_total\{.*result="denied"/;
    const before = await metric(webhooks.url, denied, caCert);
    const bad: Record<string, any> = { ...example('agent.yaml'), metadata: { name: 'broken', namespace: ns } };
    bad.spec = {
      type: 'Declarative',
      declarative: {
        systemMessage: 'x',
        systemMessageFrom: { type: 'ConfigMap', name: 'c', key: 'k' },
        modelConfig: 'm',
      },
    };
    const r = await kubectl(['apply', '-f', '-'], { input: stringify(bad) });
    expect(r.code).not.toBe(0);
    // Our rule's message (kubectl renders a webhook's Invalid status with causes as "The request is invalid").
    expect(r.stderr).toContain(
      'spec.declarative.systemMessageFrom: systemMessage and systemMessageFrom are mutually exclusive',
    );
    // ... and the API server asked our webhook server for that decision.
    expect(await metric(webhooks.url, denied, caCert)).toBeGreaterThan(before);
  });

  it('kubectl apply of the example YAML is reconciled to Accepted=True with its children', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openai-api-key', namespace: ns },
      stringData: { 'api-key': 'sk-e2e-not-a-real-key' },
    };
    const model = example('modelconfig.yaml');
    model.metadata.namespace = ns;
    model.spec.openAI = { ...model.spec.openAI, baseUrl: llm.url };
    const server = example('remotemcpserver.yaml');
    server.metadata.namespace = ns;
    server.spec.url = `${tools.url}/mcp`;
    const agent = example('agent.yaml');
    agent.metadata.namespace = ns;
    // The example's grant of `view` to the agent's ServiceAccount (cluster-scoped, so named per test namespace).
    const rbac = example('rbac.yaml');
    rbac.metadata.name = `${ns}-k8s-ops-agent-view`;
    rbac.subjects[0].namespace = ns;
    clusterBindings.push(rbac.metadata.name);
    // GitOps order: the Agent first, its references after (the webhook must not reject it for that).
    const r = await kubectl(['apply', '-f', '-'], {
      input: [agent, secret, model, server, rbac].map((o) => stringify(o)).join('---\n'),
    });
    expect(r.code, r.stderr).toBe(0);

    await drivers.modelconfigs.reconcileUntilStable({ namespace: ns, name: 'default-model-config' });
    await drivers.remotemcpservers.reconcileUntilStable({ namespace: ns, name: 'k8s-toolserver' });
    await drivers.agents.reconcileUntilStable({ namespace: ns, name: 'k8s-ops-agent' });

    const custom = kc.makeApiClient(CustomObjectsApi);
    const get = (plural: string, name: string) =>
      custom.getNamespacedCustomObject({
        group: 'kagent.dev',
        version: 'v1alpha2',
        namespace: ns,
        plural,
        name,
      }) as Promise<{
        status?: {
          conditions?: { type: string; status: string; reason?: string; message?: string }[];
          discoveredTools?: { name: string }[];
        };
      }>;
    const agentNow = await get('agents', 'k8s-ops-agent');
    const accepted = agentNow.status?.conditions?.find((c) => c.type === 'Accepted');
    expect(accepted, JSON.stringify(agentNow.status)).toMatchObject({ status: 'True' });
    // The RemoteMCPServer status hook asked our tool server for its tools.
    const rmcps = await get('remotemcpservers', 'k8s-toolserver');
    expect(rmcps.status?.discoveredTools?.map((t) => t.name)).toEqual(
      expect.arrayContaining(['list_pods', 'describe_pod', 'get_pod_logs', 'get_events']),
    );
    // The kubectl-style view users get.
    const table = await runCli(['get', 'agents', '-n', ns, '--kubeconfig', kcPath()]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/k8s-ops-agent\s+Declarative\s+\S+\s+True/);

    const core = kc.makeApiClient(CoreV1Api);
    await core.readNamespacedServiceAccount({ namespace: ns, name: 'k8s-ops-agent' });
    await core.readNamespacedService({ namespace: ns, name: 'k8s-ops-agent' });
    const deploy = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: ns, name: 'k8s-ops-agent' });
    expect(deploy.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Agent',
      name: 'k8s-ops-agent',
      controller: true,
    });
  });

  it('the runtime, started from the generated Secret as mounted, answers `metagent invoke` by way of the tool server', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const secret = await core.readNamespacedSecret({ namespace: ns, name: 'k8s-ops-agent' });
    const config = join(tmp, 'config');
    const files = Object.entries(secret.data ?? {});
    expect(files.map(([k]) => k).sort()).toEqual(expect.arrayContaining(['agent-card.json', 'config.json']));
    rmSync(config, { recursive: true, force: true });
    mkdirSync(config);
    for (const [name, b64] of files) writeFileSync(join(config, name), Buffer.from(b64, 'base64'));
    const deploy = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: ns, name: 'k8s-ops-agent' });
    // The pod presents its ServiceAccount's token for the tool server's audience (kubelet's projected volume).
    expect(await mountProjectedTokens(deploy, config, join(tmp, 'tokens'))).toEqual(['metagent-toolserver']);
    // The API key is not in config.json; the pod gets it through a secretKeyRef env var. Resolve it the same way.
    expect(Buffer.from(secret.data!['config.json'], 'base64').toString()).not.toContain('sk-e2e-not-a-real-key');
    const keySecret = await core.readNamespacedSecret({ namespace: ns, name: 'openai-api-key' });
    const plan = planLocalRun(
      [deploy as never, { apiVersion: 'v1', kind: 'Secret', metadata: {}, data: secret.data }],
      [
        {
          ...keySecret,
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'openai-api-key', namespace: ns },
        } as never,
      ],
      { namespace: ns, name: 'k8s-ops-agent' },
      {},
    );
    expect(plan.env.OPENAI_API_KEY).toBe('sk-e2e-not-a-real-key');
    runtime = await startRuntime({
      filepath: config,
      host: '0.0.0.0',
      port: 0,
      env: { ...process.env, LOG_LEVEL: 'warn', ...plan.env },
      publicUrl: 'listen',
    });
    const url = `http://127.0.0.1:${runtime.port}`;

    const listPodsBefore = await metric(tools.url, /tool_calls_total\{tool="list_pods",outcome="ok"\}/);
    const llmBefore = llm.requests.length;
    const out = await runCli(['invoke', '--agent', `${ns}/k8s-ops-agent`, '--task', TASK, '--url', url]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`${ns}/redis-2（CrashLoopBackOff）`);
    expect(out.stdout).not.toContain('redis-1（');
    expect(out.stderr).toMatch(/^context: \S+/m);

    // Hop: the model was given the agent's system prompt, the user's question and the tool server's tools.
    const first = llm.requests[llmBefore].body;
    expect(JSON.stringify(first.messages)).toContain('Kubernetes operations assistant');
    expect(JSON.stringify(first.messages)).toContain(TASK);
    expect(first.tools?.map((t) => t.function.name)).toEqual(
      expect.arrayContaining(['list_pods', 'describe_pod', 'get_pod_logs', 'get_events']),
    );
    // Hop: list_pods reached the tool server ...
    expect(await metric(tools.url, /tool_calls_total\{tool="list_pods",outcome="ok"\}/)).toBe(listPodsBefore + 1);
    // ... which listed the real pods of this namespace from the API server (names only this test created).
    const result = toolResultText(llm.requests[llmBefore + 1].body)!;
    expect(result).toContain(`- ${ns}/redis-2: CrashLoopBackOff — container main CrashLoopBackOff`);
    expect(result).toMatch(new RegExp(`${ns}\\s+redis-1\\s+1/1\\s+Running`));
    expect(result).toMatch(new RegExp(`${ns}\\s+web-1\\s+1/1\\s+Running`));
  });

  it('--stream prints the same answer, and --context continues the conversation', async () => {
    const url = `http://127.0.0.1:${runtime!.port}`;
    const first = await runCli(['invoke', '--agent', `${ns}/k8s-ops-agent`, '--task', TASK, '--url', url, '--stream']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${ns}/redis-2（CrashLoopBackOff）`);
    const contextId = /^context: (\S+)/m.exec(first.stderr)?.[1];
    expect(contextId).toBeTruthy();
    const llmBefore = llm.requests.length;
    const again = await runCli([
      'invoke',
      '--agent',
      `${ns}/k8s-ops-agent`,
      '--task',
      '再查一次',
      '--url',
      url,
      '--context',
      contextId!,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`context: ${contextId}`);
    // The model saw the earlier question and answer of this context before the new question.
    const history = JSON.stringify(llm.requests[llmBefore].body.messages);
    expect(history).toContain(TASK);
    expect(history).toContain(`${ns}/redis-2（CrashLoopBackOff）`);
    expect(history.indexOf(TASK)).toBeLessThan(history.indexOf('再查一次'));
  });

  it('without --url, invoke goes through the API server service proxy with the kubeconfig credentials', async () => {
    await serveServiceFromHost(kc, ns, 'k8s-ops-agent', 8080, runtime!.port);
    const out = await runCli(['invoke', '--agent', `${ns}/k8s-ops-agent`, '--task', TASK, '--kubeconfig', kcPath()]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`${ns}/redis-2（CrashLoopBackOff）`);
    // And an agent that does not exist is a clear error with a non-zero exit code.
    const missing = await runCli([
      'invoke',
      '--agent',
      `${ns}/no-such-agent`,
      '--task',
      'hi',
      '--kubeconfig',
      kcPath(),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot reach agent ${ns}/no-such-agent`);
    expect(missing.stderr).toContain(`no Service no-such-agent in namespace ${ns}`);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

function kcPath(): string {
  const p = clusterKubeconfig();
  if (!p) throw new Error('no cluster kubeconfig');
  return p;
}
