import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import type { McpProber } from '../../sync-hooks/remotemcpserver/probe.js';
import { MODELS_BODY, startMockProvider } from '../mocks/model-provider.js';

const modelConfig = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'ModelConfig',
  metadata: { name: 'mc', namespace: 'team', uid: 'u', generation: 1, creationTimestamp: '2025-06-01T10:00:00Z' },
  spec: { provider: 'Ollama', model: 'llama3' },
};
const rmcp = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'RemoteMCPServer',
  metadata: { name: 'r', namespace: 'team', uid: 'u2', generation: 1 },
  spec: { url: 'http://127.0.0.1:1/mcp', protocol: 'STREAMABLE_HTTP' },
};

async function post(s: SyncHookServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await request(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, json, text };
}

/** A prober that blocks until released, to hold requests in flight. */
function gatedProber() {
  let release!: () => void;
  let entered = 0;
  const gate = new Promise<void>((r) => (release = r));
  const prober: McpProber = {
    size: () => 0,
    refreshSeconds: 60,
    probe: async () => {
      entered++;
      await gate;
      return { ok: true, tools: [] };
    },
  };
  return { prober, release, entered: () => entered };
}

describe('hook server', () => {
  let s: SyncHookServer;
  beforeAll(async () => {
    s = await startSyncHookServer({ logLevel: false, now: () => new Date('2026-01-01T00:00:00.123Z') });
  });
  afterAll(async () => s.close());

  it('serves health, readiness and metrics', async () => {
    expect((await request(`${s.url}/healthz`)).statusCode).toBe(200);
    expect((await request(`${s.url}/readyz`)).statusCode).toBe(200);
    const m = await request(`${s.url}/metrics`);
    expect(m.statusCode).toBe(200);
    expect(String(m.headers['content-type'])).toContain('text/plain');
    await m.body.text();
  });

  it('answers a ModelConfig sync with only the fields Metacontroller accepts', async () => {
    const r = await post(s, '/modelconfig/sync', { controller: {}, parent: modelConfig, children: {}, related: {} });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['children', 'status']);
    // The transition time comes from the request (its newest timestamp), not the server clock: deterministic.
    expect(r.json.status.conditions[0]).toMatchObject({
      type: 'Accepted',
      status: 'True',
      lastTransitionTime: '2025-06-01T10:00:00Z',
    });
  });

  it('answers the same ModelConfig request with the same bytes at another time', async () => {
    const other = await startSyncHookServer({ logLevel: false, now: () => new Date('2030-01-01T00:00:00Z') });
    try {
      const body = { controller: {}, parent: modelConfig, children: {}, related: {} };
      expect((await post(other, '/modelconfig/sync', body)).text).toBe((await post(s, '/modelconfig/sync', body)).text);
    } finally {
      await other.close();
    }
  });

  it('counts MCP probes: a connection, then cache hits', async () => {
    const parent = {
      ...rmcp,
      metadata: { ...rmcp.metadata, uid: 'probe-metrics' },
      spec: { url: 'http://127.0.0.1:1/mcp' },
    };
    for (let i = 0; i < 3; i++) expect((await post(s, '/remotemcpserver/sync', { parent })).status).toBe(200);
    const text = await (await request(`${s.url}/metrics`)).body.text();
    expect(text).toMatch(/metagent_sync_hook_mcp_probes_total\{result="error"\} 1\n/);
    expect(text).toMatch(/metagent_sync_hook_mcp_probes_total\{result="cached"\} 2\n/);
    expect(text).toMatch(/metagent_sync_hook_mcp_probe_duration_seconds_count 1\n/);
  });

  it('stamps a RemoteMCPServer transition with the server clock', async () => {
    const r = await post(s, '/remotemcpserver/sync', { parent: { ...rmcp, spec: { url: 'not a url' } } });
    expect(r.json.status.conditions[0].lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('answers customize hooks with relatedResources only', async () => {
    for (const [path, parent] of [
      ['/modelconfig/customize', modelConfig],
      ['/remotemcpserver/customize', rmcp],
    ] as const) {
      const r = await post(s, path, { controller: {}, parent });
      expect(r.status).toBe(200);
      expect(Object.keys(r.json)).toEqual(['relatedResources']);
    }
  });

  it('serves the ModelProviderConfig routes: discovery over real HTTP, counted in the metrics', async () => {
    const provider = await startMockProvider({ body: MODELS_BODY.ollama(['llama3:8b', 'qwen3:4b']) });
    try {
      const parent = {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'ModelProviderConfig',
        metadata: { name: 'p', namespace: 'team', uid: 'u4', generation: 1 },
        spec: { type: 'Ollama', endpoint: provider.url },
      };
      const c = await post(s, '/modelproviderconfig/customize', { controller: {}, parent });
      expect(c.json).toEqual({ relatedResources: [] });
      for (let i = 0; i < 2; i++) {
        const r = await post(s, '/modelproviderconfig/sync', { controller: {}, parent, children: {}, related: {} });
        expect(r.status).toBe(200);
        expect(r.json).toMatchObject({
          status: { discoveredModels: ['llama3:8b', 'qwen3:4b'], modelCount: 2, observedGeneration: 1 },
          children: [],
          resyncAfterSeconds: 60,
        });
      }
      expect(provider.requests).toHaveLength(1);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toMatch(/metagent_sync_hook_model_discoveries_total\{result="ok"\} 1\n/);
      expect(metrics).toMatch(/metagent_sync_hook_model_discoveries_total\{result="cached"\} 1\n/);
      const wrongKind = await post(s, '/modelproviderconfig/sync', { parent: rmcp });
      expect(wrongKind.status).toBe(400);
    } finally {
      await provider.close();
    }
  });

  it('serves the Agent routes', async () => {
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'team', uid: 'u3', generation: 1 },
      spec: { type: 'Declarative', declarative: { systemMessage: 'hi', modelConfig: 'mc' } },
    };
    const c = await post(s, '/agent/customize', { controller: {}, parent: agent });
    expect(c.status).toBe(200);
    expect(Array.isArray(c.json.relatedResources)).toBe(true);
    const r = await post(s, '/agent/sync', { controller: {}, parent: agent, children: {}, related: {} });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json.children)).toBe(true);
  });

  it('passes resyncAfterSeconds through (RemoteMCPServer failure)', async () => {
    const r = await post(s, '/remotemcpserver/sync', {
      controller: {},
      parent: { ...rmcp, spec: { url: 'not a url' } },
      children: {},
      related: {},
    });
    expect(r.status).toBe(200);
    expect(r.json.resyncAfterSeconds).toBe(30);
    expect(r.json.status.conditions[0]).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
  });

  describe('rejects malformed requests with 400 and a message', () => {
    const cases: [string, unknown, RegExp][] = [
      ['invalid JSON', '{"parent":', /JSON/],
      ['a JSON array', '[]', /object/],
      ['no parent', { children: {} }, /request\.parent must be an object/],
      ['parent without kind', { parent: { apiVersion: 'v1', metadata: { name: 'x' } } }, /apiVersion and kind/],
      ['parent without a name', { parent: { ...modelConfig, metadata: {} } }, /metadata\.name/],
      ['the wrong parent kind', { parent: { ...modelConfig, kind: 'Agent' } }, /serves ModelConfig parents, got Agent/],
      ['children as a list', { parent: modelConfig, children: [] }, /request\.children/],
      ['related with a non-object group', { parent: modelConfig, related: { 'Secret.v1': 5 } }, /request\.related/],
    ];
    for (const [what, body, msg] of cases) {
      it(what, async () => {
        const r = await post(s, '/modelconfig/sync', body);
        expect(r.status).toBe(400);
        expect(r.json.error).toMatch(msg);
      });
    }
  });

  it('rejects non-JSON bodies', async () => {
    const text = await post(s, '/modelconfig/sync', 'parent=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(text.json.error).toMatch(/JSON object/);
    const xml = await post(s, '/modelconfig/sync', '<parent/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
  });

  it('counts requests, errors and latency per hook', async () => {
    await post(s, '/modelconfig/sync', { parent: modelConfig });
    await post(s, '/modelconfig/sync', '{');
    const text = await (await request(`${s.url}/metrics`)).body.text();
    expect(text).toMatch(/metagent_sync_hook_requests_total\{hook="modelconfig-sync",code="200"\} [1-9]/);
    expect(text).toMatch(/metagent_sync_hook_requests_total\{hook="modelconfig-sync",code="400"\} [1-9]/);
    expect(text).toMatch(/metagent_sync_hook_errors_total\{hook="modelconfig-sync",kind="bad_request"\} [1-9]/);
    expect(text).toMatch(/metagent_sync_hook_duration_seconds_count\{hook="modelconfig-sync"\} [1-9]/);
  });
});

describe('hook server limits', () => {
  it('answers 413 to a body over the limit and keeps serving', async () => {
    const s = await startSyncHookServer({ logLevel: false, bodyLimit: 1024 });
    try {
      const r = await post(s, '/modelconfig/sync', { parent: modelConfig, pad: 'x'.repeat(4096) });
      expect(r.status).toBe(413);
      expect((await post(s, '/modelconfig/sync', { parent: modelConfig })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('answers 429 with Retry-After beyond maxProbesInFlight, without blocking the other hooks, and recovers', async () => {
    const g = gatedProber();
    const s = await startSyncHookServer({ logLevel: false, maxProbesInFlight: 2, prober: g.prober });
    try {
      const held = [1, 2].map((i) =>
        post(s, '/remotemcpserver/sync', { parent: { ...rmcp, metadata: { ...rmcp.metadata, uid: `held-${i}` } } }),
      );
      while (g.entered() < 2) await new Promise((r) => setTimeout(r, 5));
      const over = await post(s, '/remotemcpserver/sync', { parent: rmcp });
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toBe('1');
      expect(over.json.error).toMatch(/overloaded: 2 probes requests in flight/);
      // The in-flight gauge is read from the server's counters when scraped: the two held probes show.
      const during = await (await request(`${s.url}/metrics`)).body.text();
      expect(during).toMatch(/metagent_sync_hook_in_flight\{pool="probes"\} 2\n/);
      expect(during).toMatch(/metagent_sync_hook_requests_total\{hook="remotemcpserver-sync",code="429"\} 1\n/);
      // Slow MCP servers do not starve the Agent and ModelConfig hooks.
      expect((await post(s, '/modelconfig/sync', { parent: modelConfig })).status).toBe(200);
      g.release();
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
      expect((await post(s, '/remotemcpserver/sync', { parent: rmcp })).status).toBe(200);
      const text = await (await request(`${s.url}/metrics`)).body.text();
      expect(text).toMatch(/metagent_sync_hook_errors_total\{hook="remotemcpserver-sync",kind="overloaded"\} 1/);
      expect(text).toMatch(/metagent_sync_hook_in_flight\{pool="probes"\} 0/);
      expect(text).toMatch(/metagent_sync_hook_in_flight\{pool="hooks"\} 0/);
    } finally {
      await s.close();
    }
  });

  it('answers 429 beyond maxInFlight for the other hooks (requests still uploading count)', async () => {
    const s = await startSyncHookServer({ logLevel: false, maxInFlight: 1 });
    try {
      let finish!: () => void;
      const gate = new Promise<void>((r) => (finish = r));
      const full = Buffer.from(JSON.stringify({ parent: modelConfig }));
      async function* slowBody() {
        yield full.subarray(0, 10);
        await gate;
        yield full.subarray(10);
      }
      const slow = request(`${s.url}/modelconfig/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(full.length) },
        body: Readable.from(slowBody()),
      });
      await new Promise((r) => setTimeout(r, 200));
      const over = await post(s, '/agent/customize', { parent: { ...modelConfig, kind: 'Agent' } });
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toBe('1');
      finish();
      const done = await slow;
      expect(done.statusCode).toBe(200);
      await done.body.text();
      expect((await post(s, '/modelconfig/sync', { parent: modelConfig })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('turns a throwing hook into a 500 with the message and keeps serving', async () => {
    const prober: McpProber = {
      size: () => 0,
      refreshSeconds: 60,
      probe: async () => {
        throw new Error('prober exploded');
      },
    };
    const s = await startSyncHookServer({ logLevel: false, prober });
    try {
      const r = await post(s, '/remotemcpserver/sync', { parent: rmcp });
      expect(r.status).toBe(500);
      expect(r.json.error).toContain('prober exploded');
      expect((await post(s, '/modelconfig/sync', { parent: modelConfig })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('keeps metrics per server instance', async () => {
    const a = await startSyncHookServer({ logLevel: false });
    const b = await startSyncHookServer({ logLevel: false });
    try {
      await post(a, '/modelconfig/sync', { parent: modelConfig });
      const tb = await (await request(`${b.url}/metrics`)).body.text();
      expect(tb).not.toMatch(/hook="modelconfig-sync"/);
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
