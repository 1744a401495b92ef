// The runtime presents the agent's projected ServiceAccount token (config.json `service_account_token_path`) as a
// bearer token on every request to an MCP server, over both transports, and picks up a rotated token without a
// restart — kubelet rotates it by swapping the mounted directory's `..data` symlink, which is what this test does.
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { McpToolset, type McpTransportKind } from '../../runtime/tools/mcp.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';

/** kubelet's atomic writer: `token -> ..data/token`, `..data -> ..<version>`; a rotation swaps `..data`. */
async function projectedTokenDir(): Promise<{ path: string; write(token: string): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sa-token-'));
  let version = 0;
  const write = async (token: string) => {
    version++;
    await mkdir(join(dir, `..v${version}`));
    await writeFile(join(dir, `..v${version}`, 'metagent-toolserver'), token);
    await symlink(`..v${version}`, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  await write('token-one');
  await symlink('..data/metagent-toolserver', join(dir, 'metagent-toolserver'));
  return { path: join(dir, 'metagent-toolserver'), write };
}

const ctx = () => ({ signal: new AbortController().signal, contextId: 'c', taskId: 't' });

describe('MCP requests carry the projected ServiceAccount token', () => {
  let server: McpTestServer;
  beforeAll(async () => {
    server = await startMcpServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const kind of ['streamable-http', 'sse'] as McpTransportKind[]) {
    it(`${kind}: every request has Authorization: Bearer <file>, and a rotated file is used from the next request`, async () => {
      const token = await projectedTokenDir();
      const logs: string[] = [];
      const toolset = new McpToolset({
        kind,
        server: {
          params: {
            url: kind === 'sse' ? server.sseUrl : server.url,
            headers: { 'x-team': 'ops' },
            service_account_token_path: token.path,
          },
        },
        defaultToolTimeoutMs: 10_000,
        reconnectBaseMs: 50,
        reconnectMaxMs: 200,
        log: pino({ level: 'info' }, { write: (l: string) => void logs.push(l) }),
      });
      const before = server.requests.length;
      const callsBefore = server.calls.length;
      toolset.start();
      await toolset.settled();
      expect(toolset.connected).toBe(true);
      const listPods = () => toolset.tools().find((t) => t.spec.name === 'list_pods')!;
      await listPods().call({ namespace: 'default' }, ctx());
      await token.write('token-two');
      await listPods().call({ namespace: 'default' }, ctx());
      await toolset.close();

      const calls = server.calls.slice(callsBefore);
      expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer token-one', 'Bearer token-two']);
      // The config's own headers still go along.
      expect(calls[0].headers['x-team']).toBe('ops');
      const seen = server.requests.slice(before);
      expect(seen.length).toBeGreaterThan(2);
      for (const h of seen) expect(h.authorization).toMatch(/^Bearer token-(one|two)$/);
      expect(logs.join('')).not.toMatch(/token-(one|two)/);
    });
  }

  it('a missing token file: not connected, and the log names the file but holds no token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa-token-missing-'));
    const logs: string[] = [];
    const toolset = new McpToolset({
      kind: 'streamable-http',
      server: { params: { url: server.url, service_account_token_path: join(dir, 'nope') }, tools: ['list_pods'] },
      defaultToolTimeoutMs: 10_000,
      reconnectBaseMs: 60_000,
      reconnectMaxMs: 60_000,
      log: pino({ level: 'info' }, { write: (l: string) => void logs.push(l) }),
    });
    toolset.start();
    await toolset.settled();
    expect(toolset.connected).toBe(false);
    expect(logs.join('')).toContain(
      `cannot read the ServiceAccount token ${join(dir, 'nope')} (service_account_token_path): ENOENT`,
    );
    await toolset.close();
    await rm(dir, { recursive: true, force: true });
  });
});
