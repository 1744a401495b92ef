// The webhooks behind the real kube-apiserver: the CRDs install, the server runs in-process on 127.0.0.1 and is
// registered with clientConfig.url + caBundle for this file's namespace only (other test files share the cluster),
// every conformance input applies and reads back defaulted, and invalid objects are refused with our messages.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Agent as HttpAgent, request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyConditionalDefaults, applyDefaults, installCrds, type KindName } from '../../crds/index.js';
import { generateCerts, writeCerts } from '../../certs/generate.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubectl, waitUntil } from '../cluster/kube.js';

const inputsDir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));
const KINDS: KindName[] = ['Agent', 'ModelConfig', 'RemoteMCPServer'];
const API = 'kagent.dev/v1alpha2';

type Obj = Record<string, any>;
const manifest = (objs: Obj[]) => objs.map((o) => JSON.stringify(o)).join('\n---\n');

/** One invalid object per rule: each passes the CRD schema, so the refusal must come from our validating webhook. */
const INVALID: { kind: KindName; spec: Obj; message: string }[] = [
  { kind: 'Agent', spec: { type: 'Declarative' }, message: 'spec.declarative: is required when type is Declarative' },
  { kind: 'Agent', spec: { type: 'BYO' }, message: 'spec.byo: is required when type is BYO' },
  {
    kind: 'Agent',
    spec: { type: 'BYO', byo: { deployment: { image: 'i' } }, declarative: { systemMessage: 'x' } },
    message: 'spec.declarative: must not be set when type is BYO',
  },
  {
    kind: 'Agent',
    spec: { type: 'Declarative', declarative: { systemMessage: 'x' }, byo: {} },
    message: 'spec.byo: must not be set when type is Declarative',
  },
  {
    kind: 'Agent',
    spec: {
      type: 'Declarative',
      declarative: { systemMessage: 'x', systemMessageFrom: { type: 'ConfigMap', name: 'c', key: 'k' } },
    },
    message: 'spec.declarative.systemMessageFrom: systemMessage and systemMessageFrom are mutually exclusive',
  },
  {
    kind: 'Agent',
    spec: { type: 'Declarative', declarative: { tools: [{ type: 'McpServer', agent: { name: 'a' } }] } },
    message:
      'spec.declarative.tools[0].mcpServer: is required when type is McpServer; spec.declarative.tools[0].agent: must not be set when type is McpServer',
  },
  {
    kind: 'Agent',
    spec: { type: 'Declarative', declarative: { tools: [{ agent: { name: 'a' }, mcpServer: { name: 's' } }] } },
    message: 'spec.declarative.tools[0]: exactly one of mcpServer or agent must be set',
  },
  {
    kind: 'Agent',
    spec: {
      type: 'Declarative',
      declarative: {
        tools: [
          { type: 'Agent', agent: { name: 'helper' } },
          {
            type: 'McpServer',
            mcpServer: {
              name: 'k8s',
              kind: 'RemoteMCPServer',
              toolNames: ['get_pod'],
              requireApproval: ['delete_pod'],
            },
          },
        ],
      },
    },
    message: 'spec.declarative.tools[1].mcpServer.requireApproval[0]: "delete_pod" is not in toolNames',
  },
  {
    kind: 'Agent',
    spec: {
      type: 'Declarative',
      declarative: { tools: [{ type: 'McpServer', mcpServer: { name: 's' }, isolateSessions: true }] },
    },
    message: 'spec.declarative.tools[0].isolateSessions: is only valid for Agent tools',
  },
  {
    kind: 'Agent',
    spec: {
      type: 'Declarative',
      declarative: { tools: [{ type: 'Agent', agent: { name: 'a' }, headersFrom: [{ name: 'X-A' }] }] },
    },
    message: 'spec.declarative.tools[0].headersFrom[0]: exactly one of value or valueFrom must be set',
  },
  {
    kind: 'Agent',
    spec: {
      type: 'Declarative',
      declarative: { deployment: { serviceAccountName: 'sa', serviceAccountConfig: { labels: { a: 'b' } } } },
    },
    message:
      'spec.declarative.deployment.serviceAccountConfig: serviceAccountName and serviceAccountConfig are mutually exclusive',
  },
  {
    kind: 'Agent',
    spec: { type: 'Declarative', declarative: {}, skills: { insecureSkipVerify: true } },
    message: 'spec.skills: at least one of refs, gitRefs or s3Refs must be set',
  },
  {
    kind: 'Agent',
    spec: { type: 'Declarative', declarative: {}, allowedNamespaces: { from: 'Selector' } },
    message: 'spec.allowedNamespaces.selector: is required when from is Selector',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'gpt-4o', anthropic: { maxTokens: 10 } },
    message: 'spec.anthropic: must not be set when provider is OpenAI (it is for provider Anthropic)',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'gpt-4o', apiKeySecretKey: 'k' },
    message: 'spec.apiKeySecret: is required when apiKeySecretKey is set',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'c', provider: 'Anthropic', apiKeySecret: 's' },
    message: 'spec.apiKeySecretKey: is required when apiKeySecret is set (except for Bedrock and SAPAICore)',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'm', apiKeyPassthrough: true, apiKeySecret: 's', apiKeySecretKey: 'k' },
    message: 'spec.apiKeyPassthrough: apiKeyPassthrough and apiKeySecret are mutually exclusive',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Gemini', apiKeyPassthrough: true },
    message: 'spec.apiKeyPassthrough: is not supported with provider Gemini',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'm', provider: 'Foundry', foundry: { deployment: 'd' } },
    message: 'spec.foundry: exactly one of endpoint or endpointFrom must be set',
  },
  {
    kind: 'ModelConfig',
    spec: { model: 'm', tls: { caCertSecretKey: 'ca.crt' } },
    message: 'spec.tls.caCertSecretRef: is required when caCertSecretKey is set',
  },
  {
    kind: 'RemoteMCPServer',
    spec: { url: 'http://mcp.tools:8084/mcp', tls: { disableVerify: true } },
    message: 'spec.tls: must not be set with an http:// URL (use https:// or remove tls)',
  },
  {
    kind: 'RemoteMCPServer',
    spec: { url: 'https://mcp', headersFrom: [{ name: 'Authorization' }] },
    message: 'spec.headersFrom[0]: exactly one of value or valueFrom must be set',
  },
  {
    kind: 'RemoteMCPServer',
    spec: { url: 'https://mcp', allowedNamespaces: { from: 'Selector' } },
    message: 'spec.allowedNamespaces.selector: is required when from is Selector',
  },
];

/** Runs fn over items with at most n in flight (the API server and this machine are shared). */
async function pool<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

describeWithCluster('admission webhooks on the real API server', () => {
  const runId = randomBytes(3).toString('hex');
  const configName = `metagent-webhooks-test-${runId}`;
  let ns: string;
  let dir: string;
  let server: WebhookServer;
  let caCert: string;

  beforeAll(async () => {
    await installCrds(kubectl);
    ns = await createNamespace('webhooks');
    dir = await mkdtemp(join(tmpdir(), 'metagent-webhooks-it-'));
    const bundle = await generateCerts({ ip: ['127.0.0.1'], dns: ['localhost'] });
    caCert = bundle.caCert;
    const files = await writeCerts(dir, bundle);
    server = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      tlsCertFile: files.cert,
      tlsKeyFile: files.key,
      logger: pino({ level: 'silent' }),
    });
    const caBundle = Buffer.from(bundle.caCert).toString('base64');
    const hook = (path: 'mutate' | 'validate') => ({
      name: `${path}.${runId}.metagent.kagent.dev`,
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      failurePolicy: 'Fail',
      timeoutSeconds: 5,
      clientConfig: { url: `${server.url}/${path}`, caBundle },
      // agents/status is registered too, to check on the real API server that status writes pass untouched.
      rules: [
        {
          apiGroups: ['kagent.dev'],
          apiVersions: ['v1alpha2'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['agents', 'agents/status', 'modelconfigs', 'remotemcpservers'],
          scope: 'Namespaced',
        },
      ],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    });
    const configs = [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: configName },
        webhooks: [hook('mutate')],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: configName },
        webhooks: [hook('validate')],
      },
    ];
    const r = await kubectl(['apply', '-f', '-'], { input: manifest(configs) });
    if (r.code !== 0) throw new Error(`registering webhooks failed: ${r.stderr}`);
    // Webhook configurations reach the API server's admission chain asynchronously.
    const probe = manifest([
      { apiVersion: API, kind: 'Agent', metadata: { name: 'probe', namespace: ns }, spec: { type: 'BYO' } },
    ]);
    await waitUntil('the webhook to be in the admission chain', 30_000, async () => {
      const p = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: probe });
      return p.code !== 0 && p.stderr.includes('spec.byo: is required when type is BYO');
    });
  });

  afterAll(async () => {
    await kubectl([
      'delete',
      'mutatingwebhookconfiguration,validatingwebhookconfiguration',
      configName,
      '--ignore-not-found',
    ]);
    await server?.close();
    if (ns) await deleteNamespace(ns).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs the CRDs, Established, idempotently', async () => {
    // Installs racing each other (as concurrent test files do) and repeated installs are harmless.
    await Promise.all([installCrds(kubectl), installCrds(kubectl)]);
    for (const plural of ['agents', 'modelconfigs', 'remotemcpservers']) {
      const r = await kubectl([
        'get',
        'crd',
        `${plural}.kagent.dev`,
        '-o',
        "jsonpath={.status.conditions[?(@.type=='Established')].status}",
      ]);
      expect(r.stdout).toBe('True');
    }
    const explain = await kubectl(['explain', 'agent.spec.declarative.tools.mcpServer.requireApproval']);
    expect(explain.stdout).toContain('Tools that pause for human approval before running. Each must also be in');
  });

  it('applies every conformance input with kubectl apply and reads it back with the defaults', async () => {
    const originals: Obj[] = [];
    const files = (await readdir(inputsDir)).filter((f) => f.endsWith('.yaml')).sort();
    for (const [i, file] of files.entries()) {
      const doc = parse(await readFile(join(inputsDir, file), 'utf8')) as { objects: Obj[] };
      for (const o of doc.objects) {
        if (o.apiVersion !== API || !KINDS.includes(o.kind)) continue;
        // Names repeat across cases (every case has its basic-model), so each case gets a prefix; specs are unchanged.
        originals.push({
          ...o,
          metadata: { ...o.metadata, name: `c${i}-${o.metadata.name}`.slice(0, 63), namespace: ns },
        });
      }
    }
    expect(originals.length).toBeGreaterThan(40);
    const r = await kubectl(['apply', '-f', '-'], { input: manifest(originals) });
    expect(r.stderr.replace(/^Warning: .*\n/gm, '')).toBe('');
    expect(r.code).toBe(0);
    // Accepted-but-unsupported fields come back as admission warnings.
    expect(r.stderr).toContain('Warning: spec.skills: accepted but not supported by metagent yet');

    const got = await kubectl(['get', 'agents,modelconfigs,remotemcpservers', '-n', ns, '-o', 'json']);
    const stored = new Map((JSON.parse(got.stdout).items as Obj[]).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
    for (const o of originals) {
      const s = stored.get(`${o.kind}/${o.metadata.name}`);
      expect(s, `${o.kind}/${o.metadata.name}`).toBeDefined();
      // The CRD's structural defaults, then the webhook's conditional ones.
      const kind = o.kind as KindName;
      expect(s!.spec, `${o.kind}/${o.metadata.name}`).toEqual(
        applyConditionalDefaults(kind, applyDefaults(kind, o)).spec,
      );
    }
    const rmcp = [...stored.values()].find((o) => o.kind === 'RemoteMCPServer')!;
    expect(rmcp.spec).toMatchObject({
      protocol: 'STREAMABLE_HTTP',
      timeout: expect.any(String),
      terminateOnClose: true,
    });
    // Re-applying the same YAML writes nothing: kubectl is "unchanged" except where the webhook normalised what the
    // user wrote (kubectl then sends the user's value again, the webhook normalises it again, and the API server
    // finds nothing to write), and no stored object gets a new resourceVersion.
    const normalised = new Set(
      originals
        .filter((o) => {
          if (o.kind !== 'Agent') return false;
          const d = applyDefaults('Agent', o);
          return applyConditionalDefaults('Agent', d) !== d;
        })
        .map((o) => `agent.kagent.dev/${o.metadata.name}`),
    );
    expect(normalised.size).toBeGreaterThan(0);
    const again = await kubectl(['apply', '-f', '-'], { input: manifest(originals) });
    expect(again.code).toBe(0);
    expect(
      again.stdout.split('\n').filter((l) => l && !l.endsWith(' unchanged') && !normalised.has(l.split(' ')[0]!)),
    ).toEqual([]);
    const after = JSON.parse(
      (await kubectl(['get', 'agents,modelconfigs,remotemcpservers', '-n', ns, '-o', 'json'])).stdout,
    );
    for (const o of after.items as Obj[])
      expect(o.metadata.resourceVersion, o.metadata.name).toBe(
        stored.get(`${o.kind}/${o.metadata.name}`)!.metadata.resourceVersion,
      );
  }, 120_000);

  it(`refuses ${INVALID.length} invalid objects with the webhook's message, also with --dry-run=server`, async () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(15);
    const results = await pool(INVALID, 4, async (c, i) => {
      const name = `invalid-${i}`;
      const input = manifest([{ apiVersion: API, kind: c.kind, metadata: { name, namespace: ns }, spec: c.spec }]);
      const real = await kubectl(['apply', '-f', '-'], { input });
      const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input });
      return { c, name, real, dry };
    });
    for (const { c, name, real, dry } of results) {
      const expected = `denied the request: ${c.kind} "${name}" is invalid: ${c.message}`;
      expect(real.code, c.message).not.toBe(0);
      expect(real.stderr).toContain(expected);
      expect(dry.code, c.message).not.toBe(0);
      expect(dry.stderr).toContain(expected);
    }
    const none = await kubectl(['get', 'agents,modelconfigs,remotemcpservers', '-n', ns, '-o', 'name']);
    expect(none.stdout.split('\n').filter((l) => l.includes('/invalid-'))).toEqual([]);
  }, 120_000);

  it('applies the webhook-only defaults through kubectl apply; without the webhook the object is stored as written', async () => {
    const spec = {
      type: 'Declarative',
      declarative: {
        systemMessage: 'hi',
        tools: [
          { mcpServer: { name: 'k8s', kind: 'RemoteMCPServer' } },
          { type: 'MCPServer', mcpServer: { name: 'kmcp-server' } },
          { agent: { name: 'helper' } },
        ],
      },
    };
    const obj = (namespace: string) => ({
      apiVersion: API,
      kind: 'Agent',
      metadata: { name: 'normalised', namespace },
      spec,
    });
    const bare = await createNamespace('webhooks-none');
    try {
      for (const namespace of [ns, bare])
        expect((await kubectl(['apply', '-f', '-'], { input: manifest([obj(namespace)]) })).code).toBe(0);
      const read = async (namespace: string) =>
        JSON.parse((await kubectl(['get', 'agent', 'normalised', '-n', namespace, '-o', 'json'])).stdout).spec
          .declarative.tools;
      expect(await read(ns)).toEqual([
        { type: 'McpServer', mcpServer: { name: 'k8s', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev' } },
        { type: 'McpServer', mcpServer: { name: 'kmcp-server', kind: 'MCPServer', apiGroup: 'kagent.dev' } },
        { type: 'Agent', agent: { name: 'helper' } },
      ]);
      expect(await read(bare)).toEqual(spec.declarative.tools);
      // Re-applying the user's original YAML through the webhook writes nothing (the patch makes it equal again).
      const rv = async () =>
        JSON.parse((await kubectl(['get', 'agent', 'normalised', '-n', ns, '-o', 'json'])).stdout).metadata
          .resourceVersion;
      const before = await rv();
      expect((await kubectl(['apply', '-f', '-'], { input: manifest([obj(ns)]) })).code).toBe(0);
      expect(await rv()).toBe(before);
    } finally {
      await deleteNamespace(bare);
    }
  }, 120_000);

  it('refuses an UPDATE that breaks a rule, keeps the old object, and lets status writes and DELETE through', async () => {
    const good = {
      apiVersion: API,
      kind: 'Agent',
      metadata: { name: 'updated', namespace: ns },
      spec: { declarative: { systemMessage: 'hi', modelConfig: 'm' } },
    };
    expect((await kubectl(['apply', '-f', '-'], { input: manifest([good]) })).code).toBe(0);
    const bad = {
      ...good,
      spec: {
        ...good.spec,
        declarative: { ...good.spec.declarative, systemMessageFrom: { type: 'Secret', name: 's', key: 'k' } },
      },
    };
    const r = await kubectl(['apply', '-f', '-'], { input: manifest([bad]) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'Agent "updated" is invalid: spec.declarative.systemMessageFrom: systemMessage and systemMessageFrom are mutually exclusive',
    );
    const stored = JSON.parse((await kubectl(['get', 'agent', 'updated', '-n', ns, '-o', 'json'])).stdout);
    expect(stored.spec).toEqual({
      type: 'Declarative',
      declarative: { systemMessage: 'hi', modelConfig: 'm', runtime: 'go', stream: false },
    });

    const status = {
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Reconciled',
          message: 'ok',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    const st = await kubectl([
      'patch',
      'agent',
      'updated',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status }),
    ]);
    expect(st.stderr).toBe('');
    expect(st.code).toBe(0);
    const client = new HttpAgent({ connect: { ca: caCert } });
    const metrics = await (await request(`${server.url}/metrics`, { dispatcher: client })).body.text();
    await client.close();
    expect(metrics).toMatch(
      /metagent_webhook_requests_total\{endpoint="validate",kind="Agent",operation="UPDATE",result="skipped"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /metagent_webhook_requests_total\{endpoint="mutate",kind="Agent",operation="CREATE",result="denied"\} [1-9]/,
    );

    const del = await kubectl(['delete', 'agent', 'updated', '-n', ns]);
    expect(del.code).toBe(0);
  });
});
