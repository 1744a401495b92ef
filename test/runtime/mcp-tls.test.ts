// RemoteMCPServer spec.tls in the runtime: config.json's params.tls_* (written by the sync hook, the CA mounted from
// its Secret) against a real MCP SDK server behind node:https with a certificate signed by a CA made here. With the CA
// the tools work over both transports; without it the connection fails naming the server and the certificate
// problem; skip-verify works and is logged as a warning; a missing CA file names the field.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { generateCerts } from '../../certs/generate.js';
import type { McpConnectionParams } from '../../contract/config.js';
import { McpToolset, type McpTransportKind } from '../../runtime/tools/mcp.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';

const ctx = () => ({ signal: new AbortController().signal, contextId: 'c', taskId: 't' });

let server: McpTestServer;
let dir = '';
let caFile = '';
let otherCaFile = '';
beforeAll(async () => {
  const certs = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
  server = await startMcpServer({ tls: { cert: certs.cert, key: certs.key } });
  dir = await mkdtemp(join(tmpdir(), 'mcp-tls-'));
  caFile = join(dir, 'ca.crt');
  await writeFile(caFile, certs.caCert);
  otherCaFile = join(dir, 'other-ca.crt');
  await writeFile(otherCaFile, (await generateCerts({ dns: ['localhost'] })).caCert);
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function toolset(kind: McpTransportKind, params: Omit<McpConnectionParams, 'url'>) {
  const logs: string[] = [];
  const ts = new McpToolset({
    kind,
    server: { params: { url: kind === 'sse' ? server.sseUrl : server.url, ...params }, tools: ['list_pods'] },
    defaultToolTimeoutMs: 10_000,
    reconnectBaseMs: 60_000,
    reconnectMaxMs: 60_000,
    log: pino({ level: 'info' }, { write: (l: string) => void logs.push(l) }),
  });
  return { ts, logs: () => logs.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const listPods = (ts: McpToolset) => ts.tools().find((t) => t.spec.name === 'list_pods')!;

describe('MCP over HTTPS with RemoteMCPServer spec.tls', () => {
  for (const kind of ['streamable-http', 'sse'] as McpTransportKind[]) {
    it(`${kind}: the CA from tls_ca_cert_path (system CAs off) verifies the server; tools work`, async () => {
      const { ts, logs } = toolset(kind, { tls_ca_cert_path: caFile, tls_disable_system_cas: true });
      ts.start();
      await ts.settled();
      expect(ts.connected).toBe(true);
      expect(await listPods(ts).call({ namespace: 'kube-system' }, ctx())).toContain('coredns');
      await ts.close();
      expect(logs().filter((l) => l.level === 40)).toEqual([]);
    });

    it(`${kind}: without the CA the connection fails, naming the server and the certificate problem`, async () => {
      const { ts, logs } = toolset(kind, {});
      ts.start();
      await ts.settled();
      expect(ts.connected).toBe(false);
      const warn = logs().find((l) => l.msg === 'MCP server unreachable; tools unavailable until it reconnects');
      expect(warn?.mcpServer).toBe(kind === 'sse' ? server.sseUrl : server.url);
      expect(String(warn?.err)).toMatch(/certificate|UNABLE_TO_GET_ISSUER_CERT/i);
      // The model is told which server, and why.
      await expect(listPods(ts).call({}, ctx())).rejects.toThrow(
        new RegExp(
          `MCP server ${(kind === 'sse' ? server.sseUrl : server.url).replace(/[.]/g, '\\.')} is not reachable.*certificate`,
          'i',
        ),
      );
      await ts.close();
    });
  }

  it('a different CA with system CAs off is refused too', async () => {
    const { ts, logs } = toolset('streamable-http', { tls_ca_cert_path: otherCaFile, tls_disable_system_cas: true });
    ts.start();
    await ts.settled();
    expect(ts.connected).toBe(false);
    expect(JSON.stringify(logs())).toMatch(/certificate/i);
    await ts.close();
  });

  it('tls_insecure_skip_verify connects without the CA, and says so as a warning', async () => {
    const { ts, logs } = toolset('streamable-http', { tls_insecure_skip_verify: true });
    ts.start();
    await ts.settled();
    expect(ts.connected).toBe(true);
    expect(await listPods(ts).call({}, ctx())).toContain('worker');
    await ts.close();
    const warn = logs().find((l) => l.level === 40);
    expect(warn).toMatchObject({
      mcpServer: server.url,
      msg: 'TLS certificate verification is disabled for this MCP server (RemoteMCPServer spec.tls.disableVerify)',
    });
  });

  it("kagent-adk's older tls_disable_verify works the same", async () => {
    const { ts } = toolset('streamable-http', { tls_disable_verify: true });
    ts.start();
    await ts.settled();
    expect(ts.connected).toBe(true);
    await ts.close();
  });

  it('a missing CA file: not connected, and the log names the server, the field and the file', async () => {
    const missing = join(dir, 'nope.crt');
    const { ts, logs } = toolset('streamable-http', { tls_ca_cert_path: missing });
    ts.start();
    await ts.settled();
    expect(ts.connected).toBe(false);
    expect(JSON.stringify(logs())).toContain(
      `MCP server ${server.url}: params.tls_ca_cert_path: cannot read ${missing} (ENOENT)`,
    );
    await ts.close();
  });
});
