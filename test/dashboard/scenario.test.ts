// The dashboard in a real browser (Debian's Chromium through playwright-core) against the real test cluster: the
// seed scenario from the form to the answer. A ModelConfig and the k8s-ops-agent are created through the forms (a
// webhook refusal shows next to its field first), the contract driver reconciles them and the pages show Accepted
// live; chat goes over A2A through the dashboard's relay and the API server's service proxy to a real runtime, which
// asks the mock LLM, calls list_pods on the real tool server and streams the answer naming the CrashLoopBackOff pod;
// an agent with requireApproval waits for Approve; a user without RBAC reads a 403 message. axe-core checks every page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { clusterKubeconfig } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { installCrds } from '../../crds/index.js';
import { generateCerts, writeCerts } from '../../certs/generate.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { CompositeControllerDriver, findController } from '../metacontroller/driver.js';
import { startToolServer, type ToolServer } from '../../toolserver/index.js';
import {
  deleteClusterRoleBindings,
  grantView,
  toolServerIdentity,
  type ToolServerIdentity,
} from '../cluster/identity.js';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import type { RuntimeHandle } from '../../runtime/index.js';
import { startDashboard, kubeCall, type DashboardServer } from '../../dashboard/server/index.js';
import { createPodWithState, deletePodsNow } from '../e2e/pods.js';
import {
  axeSerious,
  buildWeb,
  describeViolations,
  exposeLocally,
  haveChromium,
  launchChromium,
  repo,
  screenshot,
  startRuntimeFromSecret,
} from './harness.js';

const TASK = '帮我查下这个集群是否有 pod 异常';

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

/** The scripted model: list_pods first; then an answer built only from what the tool returned. */
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

const need = haveChromium() && !!clusterKubeconfig();
if (!need && process.env.CI === 'true')
  throw new Error(
    `the dashboard browser tests need the test cluster and Chromium at /usr/bin/chromium (.ci/steps/15-chromium.sh installs it)`,
  );

describe.skipIf(!need)('dashboard in a browser: the seed scenario from the form to the answer', () => {
  let kc: KubeConfig;
  let ns: string;
  let tmp: string;
  let webhooks: WebhookServer;
  let hooks: SyncHookServer;
  let tools: ToolServer;
  let toolIdentity: ToolServerIdentity | undefined;
  const clusterBindings: string[] = [];
  let llm: MockLlm;
  let dashboard: DashboardServer;
  let proxied: DashboardServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const runtimes: RuntimeHandle[] = [];
  let drivers: Record<'agents' | 'modelconfigs' | 'remotemcpservers', CompositeControllerDriver>;
  const webhookConfigName = () => `metagent-dash-${ns}`;
  const visited: string[] = [];

  /** Every page the scenario shows is checked by axe-core and saved as a screenshot. */
  async function check(name: string) {
    const violations = await axeSerious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, name);
    visited.push(name);
  }

  beforeAll(async () => {
    kc = kubeConfig();
    tmp = mkdtempSync(join(tmpdir(), 'metagent-dash-'));
    await installCrds(kubectl);
    ns = await createNamespace('dash');
    await createPodWithState(kc, ns, 'redis-1', 'running');
    await createPodWithState(kc, ns, 'redis-2', 'crashloop');
    await createPodWithState(kc, ns, 'web-1', 'running');

    const bundle = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
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
        webhooks: [{ ...webhook('/mutate', 'mutate.dash.metagent.dev'), reinvocationPolicy: 'Never' }],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: webhookConfigName() },
        webhooks: [webhook('/validate', 'validate.dash.metagent.dev')],
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

    // The tool server as installed (token checks and impersonation only); the operator grants the agents the
    // dashboard creates `view` on the cluster, as examples/k8s-ops-agent/rbac.yaml does.
    toolIdentity = await toolServerIdentity(ns);
    tools = await startToolServer({
      port: 0,
      host: '127.0.0.1',
      kubeConfig: toolIdentity.kubeConfig,
      logLevel: 'silent',
    });
    for (const name of ['k8s-ops-agent', 'careful-agent'])
      clusterBindings.push(await grantView({ namespace: ns, name }));
    llm = await startMockLlm(opsScript);
    // The tool server is there before the user arrives (an operator installed it).
    const server = parse(readFileSync(join(repo, 'examples/k8s-ops-agent/remotemcpserver.yaml'), 'utf8')) as Record<
      string,
      any
    >;
    server.metadata.namespace = ns;
    server.spec.url = `${tools.url}/mcp`;
    const r = await kubectl(['apply', '-f', '-'], { input: stringify(server) });
    expect(r.code, r.stderr).toBe(0);
    await drivers.remotemcpservers.reconcileUntilStable({ namespace: ns, name: 'k8s-toolserver' });

    const webRoot = await buildWeb(join(tmp, 'web'));
    dashboard = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(kc),
      identity: { mode: 'local' },
      webRoot,
      contextName: 'test',
    });
    // The in-cluster shape: only requests from the proxy (here: the browser on loopback, which sends the proxy's
    // headers) are served, each as the forwarded user.
    proxied = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      call: kubeCall(kc),
      identity: {
        mode: 'proxy',
        userHeader: 'X-Forwarded-User',
        groupsHeader: 'X-Forwarded-Groups',
        trustedAddresses: ['127.0.0.1'],
        trustedClientNames: [],
      },
      webRoot,
    });
    browser = await launchChromium();
    // bypassCSP only so that axe-core can be injected; the app itself runs under the server's CSP otherwise.
    context = await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    await context.addInitScript((n: string) => localStorage.setItem('metagent-namespace', n), ns);
    page = await context.newPage();
    // The page's own errors belong in the test output.
    context.on('weberror', (e) => process.stderr.write(`page error: ${e.error().message}\n`));
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await proxied?.close();
    for (const r of runtimes) await r.close();
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

  it('starts with empty states that say what to do', async () => {
    await page.goto(`${dashboard.url}/#/agents`);
    await page.getByText(`No agents in namespace ${ns}`).waitFor();
    await check('agents-empty');
    await page.goto(`${dashboard.url}/#/models`);
    await page.getByText('No ModelConfig yet').waitFor();
  });

  it('creates a ModelConfig with its API key through the form, and shows it Accepted', async () => {
    await page.goto(`${dashboard.url}/#/models/new`);
    await page.getByLabel('Name', { exact: true }).fill('default-model-config');
    await page.getByLabel('Namespace', { exact: true }).fill(ns);
    await page.getByLabel('Provider').selectOption('OpenAI');
    await page.getByLabel('Model', { exact: true }).fill('gpt-4o-mini');
    await page.getByLabel('Base URL (optional)').fill(llm.url);
    await page.getByLabel('API key').fill('sk-dashboard-not-a-real-key');
    await check('model-form');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'default-model-config' }).waitFor();
    const secret = await kubectl([
      'get',
      'secret',
      '-n',
      ns,
      'default-model-config-api-key',
      '-o',
      'jsonpath={.data.api-key}',
    ]);
    expect(Buffer.from(secret.stdout, 'base64').toString()).toBe('sk-dashboard-not-a-real-key');
    await drivers.modelconfigs.reconcileUntilStable({ namespace: ns, name: 'default-model-config' });
    await page.getByText('Accepted True').first().waitFor();
    await check('models');
  });

  it('shows the webhook refusal next to its field, then creates the k8s-ops-agent and shows it Accepted', async () => {
    const system = parse(readFileSync(join(repo, 'examples/k8s-ops-agent/agent.yaml'), 'utf8')).spec.declarative
      .systemMessage as string;
    await page.goto(`${dashboard.url}/#/agents/new`);
    await page.getByLabel('Name', { exact: true }).fill('k8s-ops-agent');
    await page.getByLabel('Namespace', { exact: true }).fill(ns);
    await page.getByLabel('Description').fill('Checks the health of a Kubernetes cluster');
    await page.getByLabel('Model config').selectOption('default-model-config');
    await page.getByLabel('System message', { exact: true }).fill(system);
    for (const t of ['list_pods', 'describe_pod', 'get_pod_logs', 'get_events'])
      await page.getByLabel(t, { exact: true }).check();
    // Both an inline system message and one from a ConfigMap: our validating webhook refuses, naming the field.
    await page.getByLabel('System message source').selectOption('ConfigMap');
    await page.getByLabel('ConfigMap name').fill('prompts');
    await page.getByLabel('ConfigMap key').fill('ops');
    await page.getByRole('button', { name: 'Create' }).click();
    const fieldError = page
      .locator('.field.invalid', { has: page.getByLabel('System message source') })
      .locator('.field-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('systemMessage and systemMessageFrom are mutually exclusive');
    await check('agent-form-refused');
    // The dry-run stored nothing.
    expect((await kubectl(['get', 'agent', '-n', ns, 'k8s-ops-agent'])).code).not.toBe(0);

    await page.getByLabel('System message source').selectOption('inline');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: `${ns}/k8s-ops-agent` }).waitFor();
    await drivers.agents.reconcileUntilStable({ namespace: ns, name: 'k8s-ops-agent' });
    // The watch brings the controller's status to the open page.
    await page.locator('.page-head').getByText('Accepted True').waitFor();
    await page.getByRole('cell', { name: 'Deployment', exact: true }).waitFor();
    await check('agent-detail');
    const stored = JSON.parse((await kubectl(['get', 'agent', '-n', ns, 'k8s-ops-agent', '-o', 'json'])).stdout);
    expect(stored.spec.declarative.tools[0].mcpServer.toolNames).toEqual([
      'list_pods',
      'describe_pod',
      'get_pod_logs',
      'get_events',
    ]);

    await page.goto(`${dashboard.url}/#/agents`);
    await page.getByRole('link', { name: 'k8s-ops-agent', exact: true }).waitFor();
    await page.getByLabel('Filter agents').fill('ops');
    await page.getByText('1 of 1 agents').waitFor();
    await check('agents');
    await page.goto(`${dashboard.url}/#/servers`);
    await page.getByText('list_pods').first().waitFor();
    await check('servers');
  });

  it('chats: the list_pods tool card, then the streamed answer naming the CrashLoopBackOff pod; the conversation reopens', async () => {
    const runtime = await startRuntimeFromSecret(kc, ns, 'k8s-ops-agent', join(tmp, 'ops-config'));
    runtimes.push(runtime);
    await exposeLocally(kc, ns, 'k8s-ops-agent', runtime.port);
    await page.goto(`${dashboard.url}/#/chat/${ns}/k8s-ops-agent`);
    await page.getByText('Ask').first().waitFor();
    await page.getByLabel('Message').fill(TASK);
    await page.getByLabel('Message').press('Enter');
    const card = page.getByTestId('tool-card').filter({ hasText: 'list_pods' });
    await card.waitFor();
    const answer = page.getByTestId('agent-text').filter({ hasText: `${ns}/redis-2（CrashLoopBackOff）` });
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.textContent()).not.toContain('redis-1（');
    // The card opens to show what the tool server returned.
    await card.locator('summary').click();
    expect(await card.textContent()).toContain('CrashLoopBackOff');
    await check('chat');

    // Reopened later: the conversation is listed (ListTasks) and its history comes back.
    await page.goto(`${dashboard.url}/#/agents`);
    await page.goto(`${dashboard.url}/#/chat/${ns}/k8s-ops-agent`);
    await page.getByRole('link', { name: TASK }).click();
    await page
      .getByTestId('agent-text')
      .filter({ hasText: `${ns}/redis-2（CrashLoopBackOff）` })
      .waitFor();
    await page.locator('.bubble.user', { hasText: TASK }).waitFor();
    await page.getByTestId('tool-card').filter({ hasText: 'list_pods' }).waitFor();
  });

  it('an agent with requireApproval waits for Approve; approving completes the task', async () => {
    const agent = parse(readFileSync(join(repo, 'examples/k8s-ops-agent/agent.yaml'), 'utf8')) as Record<string, any>;
    agent.metadata = { name: 'careful-agent', namespace: ns };
    agent.spec.declarative.tools[0].mcpServer.requireApproval = ['list_pods'];
    const r = await kubectl(['apply', '-f', '-'], { input: stringify(agent) });
    expect(r.code, r.stderr).toBe(0);
    await drivers.agents.reconcileUntilStable({ namespace: ns, name: 'careful-agent' });
    const runtime = await startRuntimeFromSecret(kc, ns, 'careful-agent', join(tmp, 'careful-config'));
    runtimes.push(runtime);
    await exposeLocally(kc, ns, 'careful-agent', runtime.port);
    const calls = llm.requests.length;
    await page.goto(`${dashboard.url}/#/chat/${ns}/careful-agent`);
    await page.getByLabel('Message').fill(TASK);
    await page.getByRole('button', { name: 'Send' }).click();
    const approve = page.getByRole('button', { name: 'Approve' });
    await approve.waitFor();
    expect(await page.getByRole('group', { name: 'Approval required' }).textContent()).toContain('list_pods');
    // Nothing ran yet: the model asked once, and list_pods waits.
    expect(llm.requests.length).toBe(calls + 1);
    await check('chat-approval');
    await approve.click();
    await page
      .getByTestId('agent-text')
      .filter({ hasText: `${ns}/redis-2（CrashLoopBackOff）` })
      .waitFor({ timeout: 30_000 });
  });

  it('a user without RBAC for the namespace reads a 403 message, not a broken page', async () => {
    const carol = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      bypassCSP: true,
      extraHTTPHeaders: { 'X-Forwarded-User': 'carol' },
    });
    await carol.addInitScript((n: string) => localStorage.setItem('metagent-namespace', n), ns);
    const p = await carol.newPage();
    page = p;
    await p.goto(`${proxied.url}/#/agents`);
    const box = p.getByRole('alert').filter({ hasText: `You may not list agents in namespace ${ns}` });
    await box.waitFor();
    expect(await box.textContent()).toContain('User "carol" cannot list resource "agents"');
    await check('forbidden');
    await p.goto(`${proxied.url}/#/chat/${ns}/k8s-ops-agent`);
    await p.getByText(`You may not talk to agent ${ns}/k8s-ops-agent`).waitFor();
    await carol.close();
  });

  it('dark theme and a narrow window stay readable and accessible', async () => {
    const narrow = await browser.newContext({
      viewport: { width: 390, height: 800 },
      bypassCSP: true,
      colorScheme: 'dark',
    });
    await narrow.addInitScript((n: string) => localStorage.setItem('metagent-namespace', n), ns);
    page = await narrow.newPage();
    await page.goto(`${dashboard.url}/#/agents`);
    await page.getByRole('link', { name: 'k8s-ops-agent', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await check('agents-dark-narrow');
    await narrow.close();
  });
});
