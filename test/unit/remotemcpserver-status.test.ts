import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customizeRemoteMCPServer } from '../../sync-hooks/remotemcpserver/customize.js';
import {
  createMcpProber,
  parseGoDuration,
  type ListTools,
  type ProbeTarget,
} from '../../sync-hooks/remotemcpserver/probe.js';
import { remoteMCPServerStatus } from '../../sync-hooks/remotemcpserver/status.js';
import { syncRemoteMCPServer } from '../../sync-hooks/remotemcpserver/sync.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';

const T0 = '2026-01-01T00:00:00Z';

function rmcp(
  spec: Record<string, unknown>,
  extra: { generation?: number; status?: Record<string, unknown> } = {},
): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'tools', namespace: 'team', uid: 'uid-1', generation: extra.generation ?? 1 },
    spec: { description: 'd', protocol: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:1/mcp', ...spec },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

function req(parent: KubeObject, related: KubeObject[] = []): SyncRequest {
  return { controller: {} as KubeObject, parent, children: {}, related: toObjectMap(related) };
}

function fakeLister(impl: (t: ProbeTarget) => Promise<{ name: string; description?: string }[]>) {
  const calls: ProbeTarget[] = [];
  const fn: ListTools = (t) => {
    calls.push(t);
    return impl(t);
  };
  return { fn, calls };
}

const accepted = (s: Record<string, unknown>) =>
  (s.conditions as Record<string, unknown>[]).find((c) => c.type === 'Accepted')!;

describe('RemoteMCPServer status (pure)', () => {
  it('reports no unsupported fields: spec.tls is honoured (runtime MCP client and tool discovery)', () => {
    const cond = (parent: KubeObject) =>
      (
        remoteMCPServerStatus(parent, { ok: true, tools: [] }, { now: T0 }).status.conditions as Record<
          string,
          unknown
        >[]
      ).find((c) => c.type === 'UnsupportedFeatures');
    expect(cond(rmcp({}))).toMatchObject({ status: 'False', reason: 'AllFeaturesSupported' });
    expect(cond(rmcp({ url: 'https://mcp.example/mcp', tls: { disableVerify: true } }))).toMatchObject({
      status: 'False',
      reason: 'AllFeaturesSupported',
      observedGeneration: 1,
    });
  });

  it('lists discovered tools sorted by name with Accepted=True', () => {
    const r = remoteMCPServerStatus(
      rmcp({}),
      {
        ok: true,
        tools: [
          { name: 'b', description: 'B' },
          { name: 'a', description: 'A' },
        ],
      },
      { now: T0 },
    );
    expect(r.status.discoveredTools).toEqual([
      { name: 'a', description: 'A' },
      { name: 'b', description: 'B' },
    ]);
    expect(accepted(r.status)).toMatchObject({ status: 'True', reason: 'Reconciled', observedGeneration: 1 });
    expect(r.resyncAfterSeconds).toBe(60); // the refresh period: kagent re-lists every 60 s
  });

  it('keeps the previous tools and asks for a retry on failure', () => {
    const parent = rmcp({}, { status: { discoveredTools: [{ name: 'old', description: 'o' }] } });
    const r = remoteMCPServerStatus(parent, { ok: false, reason: 'ToolDiscoveryFailed', message: 'boom' }, { now: T0 });
    expect(r.status.discoveredTools).toEqual([{ name: 'old', description: 'o' }]);
    expect(accepted(r.status)).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed', message: 'boom' });
    expect(r.resyncAfterSeconds).toBe(30);
  });
});

describe('RemoteMCPServer sync hook with an injected prober', () => {
  it('probes with the resolved headers and the capped timeout', async () => {
    const l = fakeLister(async () => [{ name: 't', description: 'T' }]);
    const parent = rmcp({
      timeout: '30s',
      headersFrom: [
        { name: 'Authorization', valueFrom: { type: 'Secret', name: 'auth', key: 'token' } },
        { name: 'X-Team', valueFrom: { type: 'ConfigMap', name: 'cm', key: 'team' } },
        { name: 'X-Literal', value: 'lit' },
      ],
    });
    const related = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'auth', namespace: 'team' },
        data: { token: Buffer.from('Bearer s3cret').toString('base64') },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team' }, data: { team: 'blue' } },
    ];
    const r = await syncRemoteMCPServer(req(parent, related), {
      prober: createMcpProber({ listTools: l.fn }),
      now: T0,
    });
    expect(l.calls).toHaveLength(1);
    expect(l.calls[0].headers).toEqual({ Authorization: 'Bearer s3cret', 'X-Team': 'blue', 'X-Literal': 'lit' });
    expect(l.calls[0].timeoutMs).toBe(5000);
    expect(JSON.stringify(r)).not.toContain('s3cret');
    expect(accepted(r.status)).toMatchObject({ status: 'True' });
  });

  it('reports SecretNotFound without probing when a header Secret is missing', async () => {
    const l = fakeLister(async () => []);
    const parent = rmcp({
      headersFrom: [{ name: 'Authorization', valueFrom: { type: 'Secret', name: 'auth', key: 'token' } }],
    });
    const r = await syncRemoteMCPServer(req(parent), { prober: createMcpProber({ listTools: l.fn }), now: T0 });
    expect(l.calls).toHaveLength(0);
    expect(accepted(r.status)).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(accepted(r.status).message).toContain('team/auth');
  });

  it('reports InvalidSpec for a bad URL or protocol', async () => {
    const prober = createMcpProber({ listTools: async () => [] });
    const a = await syncRemoteMCPServer(req(rmcp({ url: 'ftp://x' })), { prober, now: T0 });
    expect(accepted(a.status)).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    const b = await syncRemoteMCPServer(req(rmcp({ protocol: 'WEBSOCKET' })), { prober, now: T0 });
    expect(accepted(b.status).message).toContain('WEBSOCKET');
  });

  it('refreshes on the period: the resync after a status write answers from the cache, the periodic one lists again', async () => {
    let now = 0;
    let tools = [{ name: 'a', description: 'A' }];
    const l = fakeLister(async () => tools);
    const prober = createMcpProber({ listTools: l.fn, refreshSeconds: 60, clock: () => now });
    const first = await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(first.resyncAfterSeconds).toBe(60);
    now += 2_000; // the resync Metacontroller's own status write causes
    await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(l.calls).toHaveLength(1);
    tools = [...tools, { name: 'b', description: 'B' }];
    now += 58_000; // resyncAfterSeconds later
    const refreshed = await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(l.calls).toHaveLength(2);
    expect((refreshed.status as { discoveredTools: unknown[] }).discoveredTools).toEqual([
      { name: 'a', description: 'A' },
      { name: 'b', description: 'B' },
    ]);
  });

  it('a server that stopped answering: Accepted=False with the error, the last good tools kept, retried within the period', async () => {
    const now = 0;
    const l = fakeLister(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    });
    const prober = createMcpProber({ listTools: l.fn, refreshSeconds: 20, clock: () => now });
    const parent = rmcp({}, { status: { discoveredTools: [{ name: 'old', description: 'O' }] } });
    const r = await syncRemoteMCPServer(req(parent), { prober, now: T0 });
    expect(accepted(r.status)).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
    expect(accepted(r.status).message).toContain('ECONNREFUSED');
    expect((r.status as { discoveredTools: unknown[] }).discoveredTools).toEqual([{ name: 'old', description: 'O' }]);
    expect(r.resyncAfterSeconds).toBe(20); // min(30 s retry, the period)
  });

  it('two replicas (two probers) give byte-identical statuses for the same request and server', async () => {
    const order = [
      [{ name: 'z', description: 'Z' }, { name: 'a' }],
      [{ name: 'a' }, { name: 'z', description: 'Z' }],
    ];
    const replicas = order.map((tools) => createMcpProber({ listTools: async () => tools }));
    const [a, b] = await Promise.all(replicas.map((prober) => syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 })));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('caches per generation: a resync does not reconnect, a new generation does', async () => {
    const l = fakeLister(async () => [{ name: 't', description: 'T' }]);
    const prober = createMcpProber({ listTools: l.fn });
    await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(l.calls).toHaveLength(1);
    await syncRemoteMCPServer(req(rmcp({}, { generation: 2 })), { prober, now: T0 });
    expect(l.calls).toHaveLength(2);
  });

  it('shares one probe between concurrent syncs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const l = fakeLister(async () => {
      await gate;
      return [];
    });
    const prober = createMcpProber({ listTools: l.fn });
    const p = Promise.all([1, 2, 3].map(() => syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 })));
    release();
    await p;
    expect(l.calls).toHaveLength(1);
  });

  it('caches a failure only briefly, then probes again', async () => {
    let now = 1000;
    let fail = true;
    const l = fakeLister(async () => {
      if (fail) throw new Error('connection refused');
      return [{ name: 'x', description: '' }];
    });
    const prober = createMcpProber({ listTools: l.fn, failureTtlMs: 10_000, clock: () => now });
    const first = await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(accepted(first.status)).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
    expect(accepted(first.status).message).toContain('connection refused');
    await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(l.calls).toHaveLength(1);
    now += 10_001;
    fail = false;
    const later = await syncRemoteMCPServer(req(rmcp({})), { prober, now: T0 });
    expect(l.calls).toHaveLength(2);
    expect(accepted(later.status)).toMatchObject({ status: 'True' });
  });

  it('gives up after the timeout', async () => {
    const prober = createMcpProber({ listTools: () => new Promise(() => undefined) });
    const start = Date.now();
    const r = await syncRemoteMCPServer(req(rmcp({ timeout: '150ms' })), { prober, now: T0 });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(accepted(r.status).message).toContain('timed out after 150 ms');
  });

  it('redacts header values that appear in an error message', async () => {
    const prober = createMcpProber({
      listTools: async (t) => {
        throw new Error(`rejected ${t.headers.Authorization}`);
      },
    });
    const parent = rmcp({ headersFrom: [{ name: 'Authorization', value: 'Bearer topsecret' }] });
    const r = await syncRemoteMCPServer(req(parent), { prober, now: T0 });
    expect(JSON.stringify(r)).not.toContain('topsecret');
    expect(accepted(r.status).message).toContain('[redacted]');
  });

  it('evicts the oldest entries beyond maxEntries', async () => {
    const prober = createMcpProber({ listTools: async () => [], maxEntries: 2 });
    for (const g of [1, 2, 3]) await syncRemoteMCPServer(req(rmcp({}, { generation: g })), { prober, now: T0 });
    expect(prober.size()).toBe(2);
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('30s')).toBe(30_000);
    expect(parseGoDuration('5m0s')).toBe(300_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1h')).toBe(3_600_000);
    expect(parseGoDuration('abc')).toBeUndefined();
    expect(parseGoDuration('5x')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });

  it('status.secretHash: the hash of the CA spec.tls names; a new CA changes it, a missing Secret keeps the last one', async () => {
    const tls = { caCertSecretRef: 'mcp-ca', caCertSecretKey: 'ca.crt' };
    const ca = (pem: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'mcp-ca', namespace: 'team' },
      data: { 'ca.crt': Buffer.from(pem).toString('base64'), unrelated: Buffer.from('x').toString('base64') },
    });
    const hashOf = async (parent: KubeObject, related: KubeObject[]) => {
      const prober = createMcpProber({ listTools: async () => [] });
      const r = await syncRemoteMCPServer(req(parent, related), { prober, now: T0 });
      return (r.status as { secretHash?: string }).secretHash;
    };
    const first = await hashOf(rmcp({ tls }), [ca('CA one')]);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashOf(rmcp({ tls }), [ca('CA one')])).toBe(first);
    const second = await hashOf(rmcp({ tls }), [ca('CA two')]);
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(second).not.toBe(first);
    // The Secret gone: the last hash stays, as the last tools do.
    expect(await hashOf(rmcp({ tls }, { status: { secretHash: second } }), [])).toBe(second);
    // No CA Secret, or only skip-verify: no hash, also when one was written before.
    expect(await hashOf(rmcp({}), [])).toBeUndefined();
    expect(
      await hashOf(rmcp({ tls: { disableVerify: true } }, { status: { secretHash: second } }), []),
    ).toBeUndefined();
  });

  it('customize asks for the header Secrets and ConfigMaps', () => {
    const parent = rmcp({
      headersFrom: [
        { name: 'A', valueFrom: { type: 'Secret', name: 's2', key: 'k' } },
        { name: 'B', valueFrom: { type: 'Secret', name: 's1', key: 'k' } },
        { name: 'C', valueFrom: { type: 'ConfigMap', name: 'c', key: 'k' } },
        { name: 'D', value: 'v' },
      ],
    });
    expect(customizeRemoteMCPServer({ controller: {} as KubeObject, parent })).toEqual({
      relatedResources: [
        { apiVersion: 'v1', resource: 'secrets', namespace: 'team', names: ['s1', 's2'] },
        { apiVersion: 'v1', resource: 'configmaps', namespace: 'team', names: ['c'] },
      ],
    });
  });
});

describe('RemoteMCPServer probe against a real MCP server', () => {
  let mcp: McpTestServer;
  beforeAll(async () => {
    mcp = await startMcpServer({
      tools: [
        { name: 'get_pods', description: 'List pods' },
        { name: 'get_logs', description: 'Pod logs' },
      ],
    });
  });
  afterAll(async () => mcp.close());

  for (const protocol of ['STREAMABLE_HTTP', 'SSE'] as const) {
    it(`discovers tools over ${protocol} and sends the configured headers`, async () => {
      const url = protocol === 'SSE' ? mcp.sseUrl : mcp.url;
      const before = mcp.requests.length;
      const r = await syncRemoteMCPServer(
        req(rmcp({ url, protocol, headersFrom: [{ name: 'X-Probe', value: protocol }] })),
        {
          prober: createMcpProber(),
          now: T0,
        },
      );
      expect(accepted(r.status)).toMatchObject({ status: 'True' });
      expect(r.status.discoveredTools).toEqual([
        { name: 'get_logs', description: 'Pod logs' },
        { name: 'get_pods', description: 'List pods' },
      ]);
      expect(mcp.requests.slice(before).every((h) => h['x-probe'] === protocol)).toBe(true);
    });
  }

  for (const protocol of ['STREAMABLE_HTTP', 'SSE'] as const) {
    it(`reports an HTTP error by its status only, never the response body (${protocol})`, async () => {
      const r = await syncRemoteMCPServer(req(rmcp({ url: `${mcp.baseUrl}/internal-admin`, protocol })), {
        prober: createMcpProber(),
        now: T0,
      });
      const c = accepted(r.status);
      expect(c).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
      expect(c.message).toContain('HTTP 404');
      expect(c.message).not.toContain('not found');
    });
  }

  it('reports a refused connection as Accepted=False with the URL', async () => {
    const r = await syncRemoteMCPServer(req(rmcp({ url: 'http://127.0.0.1:1/mcp' })), {
      prober: createMcpProber(),
      now: T0,
    });
    expect(accepted(r.status)).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
    expect(accepted(r.status).message).toContain('http://127.0.0.1:1/mcp');
  });
});
