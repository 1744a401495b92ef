// RemoteMCPServer spec.tls in tool discovery: the status hook's probe (the real MCP SDK client) against a real MCP SDK
// server behind node:https, its certificate signed by a CA made here and given as the Secret spec.tls names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts, type CertBundle } from '../../certs/generate.js';
import { createMcpProber } from '../../sync-hooks/remotemcpserver/probe.js';
import { syncRemoteMCPServer } from '../../sync-hooks/remotemcpserver/sync.js';
import { toObjectMap, type KubeObject, type SyncRequest } from '../../sync-hooks/protocol.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';

const T0 = '2026-01-01T00:00:00Z';
let certs: CertBundle;
let server: McpTestServer;
beforeAll(async () => {
  certs = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
  server = await startMcpServer({
    tls: { cert: certs.cert, key: certs.key },
    tools: [{ name: 'secure_tool', description: 'over TLS' }],
  });
});
afterAll(async () => {
  await server?.close();
});

function rmcp(tls: Record<string, unknown> | undefined, protocol = 'STREAMABLE_HTTP', generation = 1): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'tools', namespace: 'team', uid: 'uid-tls', generation },
    spec: {
      description: 'd',
      protocol,
      url: protocol === 'SSE' ? server.sseUrl : server.url,
      ...(tls ? { tls } : {}),
    },
  };
}

const caSecret = (pem: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'mcp-ca', namespace: 'team' },
  data: { 'ca.crt': Buffer.from(pem).toString('base64') },
});

async function accepted(parent: KubeObject, related: KubeObject[] = []) {
  const req: SyncRequest = { controller: {} as KubeObject, parent, children: {}, related: toObjectMap(related) };
  const r = await syncRemoteMCPServer(req, { prober: createMcpProber(), now: T0 });
  const status = r.status as { conditions: Record<string, unknown>[]; discoveredTools: unknown[] };
  const cond = status.conditions.find((c) => c.type === 'Accepted')!;
  return { ...cond, message: String(cond.message), tools: status.discoveredTools };
}

const withCa = { caCertSecretRef: 'mcp-ca', caCertSecretKey: 'ca.crt', disableSystemCAs: true };

describe('RemoteMCPServer tool discovery over HTTPS (spec.tls)', () => {
  for (const protocol of ['STREAMABLE_HTTP', 'SSE']) {
    it(`${protocol}: the CA Secret verifies the server; its tools are discovered`, async () => {
      expect(await accepted(rmcp(withCa, protocol), [caSecret(certs.caCert)])).toMatchObject({
        status: 'True',
        reason: 'Reconciled',
        tools: [{ name: 'secure_tool', description: 'over TLS' }],
      });
    });
  }

  it('without spec.tls the probe fails: the message names the server and the certificate problem', async () => {
    const a = await accepted(rmcp(undefined));
    expect(a).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
    expect(a.message).toContain(`listing tools of STREAMABLE_HTTP server ${server.url} failed`);
    expect(a.message).toMatch(/certificate|UNABLE_TO_GET_ISSUER_CERT/i);
  });

  it('a CA that did not sign the server certificate is refused', async () => {
    const other = await generateCerts({ dns: ['localhost'] });
    const a = await accepted(rmcp(withCa, 'STREAMABLE_HTTP', 2), [caSecret(other.caCert)]);
    expect(a).toMatchObject({ status: 'False', reason: 'ToolDiscoveryFailed' });
    expect(a.message).toMatch(/certificate|UNABLE_TO_GET_ISSUER_CERT/i);
  });

  it('disableVerify: discovered without a CA', async () => {
    expect(await accepted(rmcp({ disableVerify: true }, 'STREAMABLE_HTTP', 3))).toMatchObject({
      status: 'True',
      tools: [{ name: 'secure_tool' }],
    });
  });

  it('the CA Secret missing: SecretNotFound naming the field and the Secret, without probing', async () => {
    const before = server.requests.length;
    expect(await accepted(rmcp(withCa, 'STREAMABLE_HTTP', 4))).toMatchObject({
      status: 'False',
      reason: 'SecretNotFound',
      message: 'spec.tls.caCertSecretRef: Secret team/mcp-ca not found',
    });
    expect(server.requests.length).toBe(before);
  });
});
