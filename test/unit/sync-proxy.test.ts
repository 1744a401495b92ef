// kagent's controller options on the hook server: the gateway proxy (--proxy-url) and the default service account
// (--default-service-account-name). The kagent golden cases for both run in test/conformance; these are the edges.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { customizeAgent } from '../../sync-hooks/agent/customize.js';
import { checkProxyUrl, isClusterInternalUrl, viaProxy } from '../../sync-hooks/agent/proxy.js';
import { checkServiceAccountName } from '../../sync-hooks/agent/children.js';
import { renderObjects } from '../../sync-hooks/render.js';
import { Related } from '../../sync-hooks/resolve/related.js';
import { toObjectMap, type KubeObject } from '../../sync-hooks/protocol.js';
import { startSyncHookServer } from '../../sync-hooks/server.js';

const PROXY = 'http://proxy.kagent.svc.cluster.local:8080';
const related = (...objs: KubeObject[]) => new Related(toObjectMap(objs));
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('viaProxy', () => {
  it("keeps the original path, drops the port from x-kagent-host and keeps the caller's headers", () => {
    expect(viaProxy('http://mcp.tools:8084/mcp/v1', { Authorization: 'Bearer x' }, PROXY, 'w')).toEqual({
      url: 'http://proxy.kagent.svc.cluster.local:8080/mcp/v1',
      headers: { Authorization: 'Bearer x', 'x-kagent-host': 'mcp.tools' },
    });
  });

  it('an address without a path stays without one (an agent used as a tool)', () => {
    expect(viaProxy('http://helper.team:8080', {}, PROXY, 'w').url).toBe(PROXY);
    expect(viaProxy('http://helper.team:8080/', {}, PROXY, 'w').url).toBe(`${PROXY}/`);
  });

  it('the proxy header wins over a header of the same name', () => {
    expect(viaProxy('http://a.b/x', { 'x-kagent-host': 'spoofed' }, PROXY, 'w').headers['x-kagent-host']).toBe('a.b');
  });

  it('an unparsable URL is the spec author’s InvalidSpec, naming the object', () => {
    expect(() => viaProxy('not a url', {}, PROXY, 'RemoteMCPServer t/x')).toThrow(
      /RemoteMCPServer t\/x: "not a url" is not a valid URL/,
    );
  });
});

describe('isClusterInternalUrl', () => {
  it('*.svc.cluster.local is in-cluster', () => {
    expect(isClusterInternalUrl('http://mcp.tools.svc.cluster.local:80/mcp', related())).toBe(true);
  });
  it('<name>.<namespace> is in-cluster only when that Namespace exists', () => {
    expect(isClusterInternalUrl('http://mcp.tools:8084/mcp', related(namespace('tools')))).toBe(true);
    expect(isClusterInternalUrl('http://mcp.tools:8084/mcp', related(namespace('other')))).toBe(false);
  });
  it('external and other shapes are not', () => {
    expect(isClusterInternalUrl('https://mcp.example.com/mcp', related(namespace('example')))).toBe(false);
    expect(isClusterInternalUrl('http://localhost:8084/mcp', related())).toBe(false);
    expect(isClusterInternalUrl('::', related())).toBe(false);
  });
});

describe('option checks', () => {
  it.each([
    ['proxy.example:8080', /not a URL|expected an http/],
    ['ftp://proxy:21', /expected an http:\/\/ or https:\/\/ URL/],
    ['http://user:pw@proxy:8080', /must not carry credentials/],
    ['http://proxy:8080/prefix', /scheme, host and port only/],
    ['http://proxy:8080?x=1', /scheme, host and port only/],
  ])('proxy URL %s is refused', (value, message) => {
    expect(() => checkProxyUrl(value, '--proxy-url')).toThrow(message);
    expect(() => checkProxyUrl(value, '--proxy-url')).toThrow(/^--proxy-url: /);
  });
  it('accepts a plain http(s) proxy URL', () => {
    expect(checkProxyUrl('https://gw.example:443', '--proxy-url')).toBe('https://gw.example:443');
    expect(checkProxyUrl(PROXY, '--proxy-url')).toBe(PROXY);
  });
  it.each(['Has-Caps', 'under_score', '-lead', 'x'.repeat(254), ''])(
    'service account name "%s" is refused',
    (value) => {
      expect(() => checkServiceAccountName(value, '--default-service-account-name')).toThrow(
        /--default-service-account-name: .* is not a valid ServiceAccount name/,
      );
    },
  );
  it('the hook server refuses a bad option at start, naming it', async () => {
    await expect(
      startSyncHookServer({ port: 0, host: '127.0.0.1', logLevel: false, proxyUrl: 'ftp://x' }),
    ).rejects.toThrow(/^proxyUrl: /);
    await expect(
      startSyncHookServer({ port: 0, host: '127.0.0.1', logLevel: false, defaultServiceAccountName: 'Bad' }),
    ).rejects.toThrow(/^defaultServiceAccountName: /);
  });
});

const controller: KubeObject = {
  apiVersion: 'metacontroller.k8s.io/v1alpha1',
  kind: 'CompositeController',
  metadata: { name: 'agents' },
};
const agent = (tools: unknown[], deployment: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a', namespace: 'team' },
  spec: { type: 'Declarative', declarative: { systemMessage: 'x', modelConfig: 'mc', tools, deployment } },
});
const rmsTool = { type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'kube' } };
const allNamespaces = { apiVersion: 'v1', resource: 'namespaces', labelSelector: {} };

describe('customize with a proxy', () => {
  it('asks for every Namespace when a RemoteMCPServer is used (its URL decides, and it is not known yet)', () => {
    expect(
      customizeAgent({ controller, parent: agent([rmsTool]) }, { proxyUrl: PROXY }).relatedResources,
    ).toContainEqual(allNamespaces);
  });
  it('does not without a proxy, or without RemoteMCPServers', () => {
    expect(customizeAgent({ controller, parent: agent([rmsTool]) }).relatedResources).not.toContainEqual(allNamespaces);
    const onlyAgents = customizeAgent(
      { controller, parent: agent([{ type: 'Agent', agent: { name: 'b' } }]) },
      { proxyUrl: PROXY },
    );
    expect(onlyAgents.relatedResources.some((r) => r.resource === 'namespaces')).toBe(false);
  });
});

const objects = (tools: unknown[], deployment: Record<string, unknown> = {}): KubeObject[] => [
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'key', namespace: 'team' },
    data: { k: Buffer.from('sk-1').toString('base64') },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc', namespace: 'team' },
    spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'key', apiKeySecretKey: 'k' },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'kube', namespace: 'team' },
    spec: { url: 'http://kube-mcp.tools:8084/mcp?debug=1', description: '' },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'ext', namespace: 'team' },
    spec: { url: 'https://mcp.example.com/mcp', description: '' },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'b', namespace: 'team' },
    spec: { type: 'Declarative', declarative: { systemMessage: 'b', modelConfig: 'mc' } },
  },
  agent(tools, deployment),
];
/** Agent a's config.json (render also renders Agent b, the tool). */
const configOf = (items: KubeObject[]) =>
  JSON.parse(
    (items.find((i) => i.kind === 'Secret' && i.metadata.name === 'a')!.stringData as Record<string, string>)[
      'config.json'
    ],
  );
const opts = { runtimeImage: 'img', imagePullPolicy: 'IfNotPresent' };

describe('translation with a proxy', () => {
  const tools = [
    rmsTool,
    { type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'ext' } },
    { type: 'Agent', agent: { name: 'b' } },
  ];

  it('routes in-cluster servers and agents through the proxy and leaves external ones alone', () => {
    const { items, problems } = renderObjects([...objects(tools), namespace('tools')], { ...opts, proxyUrl: PROXY });
    expect(problems).toEqual([]);
    const config = configOf(items);
    expect(
      config.http_tools.map((t: { params: { url: string; headers: unknown } }) => ({
        url: t.params.url,
        headers: t.params.headers,
      })),
    ).toEqual([
      { url: `${PROXY}/mcp`, headers: { 'x-kagent-host': 'kube-mcp.tools' } },
      { url: 'https://mcp.example.com/mcp', headers: {} },
    ]);
    expect(config.remote_agents).toEqual([{ name: 'team__NS__b', url: PROXY, headers: { 'x-kagent-host': 'b.team' } }]);
  });

  it('without the Namespace a <name>.<namespace> host counts as external', () => {
    const config = configOf(renderObjects(objects(tools), { ...opts, proxyUrl: PROXY }).items);
    expect(config.http_tools[0].params.url).toBe('http://kube-mcp.tools:8084/mcp?debug=1');
  });

  it('without a proxy nothing changes', () => {
    const config = configOf(renderObjects([...objects(tools), namespace('tools')], opts).items);
    expect(config.http_tools[0].params).toMatchObject({ url: 'http://kube-mcp.tools:8084/mcp?debug=1', headers: {} });
    expect(config.remote_agents[0]).toEqual({ name: 'team__NS__b', url: 'http://b.team:8080' });
  });
});

describe('default service account', () => {
  const pod = (items: KubeObject[]) =>
    (
      items.find((i) => i.kind === 'Deployment' && i.metadata.name === 'a')!.spec as {
        template: { spec: { serviceAccountName: string } };
      }
    ).template.spec;

  it('an Agent that names none runs as the default one, and no ServiceAccount is created', () => {
    const { items } = renderObjects(objects([]), { ...opts, defaultServiceAccountName: 'workload-identity' });
    expect(pod(items).serviceAccountName).toBe('workload-identity');
    expect(items.some((i) => i.kind === 'ServiceAccount')).toBe(false);
  });

  it("the Agent's own serviceAccountName wins", () => {
    const { items } = renderObjects(objects([], { serviceAccountName: 'mine' }), {
      ...opts,
      defaultServiceAccountName: 'workload-identity',
    });
    expect(pod(items).serviceAccountName).toBe('mine');
  });

  it('without the option each Agent gets its own ServiceAccount', () => {
    const { items } = renderObjects(objects([]), opts);
    expect(pod(items).serviceAccountName).toBe('a');
    expect(
      items
        .filter((i) => i.kind === 'ServiceAccount')
        .map((i) => i.metadata.name)
        .sort(),
    ).toEqual(['a', 'b']);
  });
});

describe('metagent render / sync-hooks flags', () => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const run = promisify(execFile);
  const cli = async (args: string[]) => {
    try {
      const r = await run(process.execPath, [join(repo, 'bin/metagent.js'), ...args], { cwd: repo });
      return { code: 0, ...r };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('render --proxy-url routes the tools; a bad value exits non-zero naming the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-'));
    const file = join(dir, 'a.yaml');
    writeFileSync(
      file,
      [...objects([{ type: 'Agent', agent: { name: 'b' } }]), namespace('tools')]
        .map((o) => JSON.stringify(o))
        .join('\n---\n'),
    );
    const good = await cli(['render', '-f', file, '--proxy-url', PROXY, '--default-service-account-name', 'wi']);
    expect(good.code, good.stderr).toBe(0);
    const items = (parse(good.stdout) as { items: KubeObject[] }).items.filter((i) => i.metadata.name === 'a');
    expect(configOf(items).remote_agents[0].url).toBe(PROXY);
    expect(items.map((i) => i.kind)).not.toContain('ServiceAccount');
    const bad = await cli(['render', '-f', file, '--proxy-url', 'http://proxy:8080/x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--proxy-url.*scheme, host and port only/);
  }, 30_000);

  it('sync-hooks refuses a bad $METAGENT_PROXY_URL, naming the variable', async () => {
    const r = await (async () => {
      try {
        await run(process.execPath, [join(repo, 'bin/metagent.js'), 'sync-hooks', '--port', '0'], {
          cwd: repo,
          env: { ...process.env, METAGENT_PROXY_URL: 'gopher://x' },
          timeout: 20_000,
        });
        return { code: 0, stderr: '' };
      } catch (e) {
        return e as { code: number; stderr: string };
      }
    })();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\$METAGENT_PROXY_URL: expected an http:\/\/ or https:\/\/ URL/);
  }, 30_000);
});
