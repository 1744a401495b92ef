// RemoteMCPServer tools refresh on a period (resyncAfterSeconds, the hook server's --tools-resync-seconds): on the
// real API server, through the contract driver's work queue in time, with a real MCP server that gains a tool and
// then stops answering. Status follows each change within two periods, the last good tools kept on failure.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installCrds } from '../../crds/index.js';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { CompositeControllerDriver } from '../metacontroller/driver.js';
import { manifestController } from '../metacontroller/manifests.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';

const PERIOD_S = 2;
const toolNames = (o: KubeObject) =>
  ((o.status as { discoveredTools?: { name: string }[] } | undefined)?.discoveredTools ?? []).map((t) => t.name);
const accepted = (o: KubeObject) =>
  (
    (o.status as { conditions?: { type: string; status: string; reason: string; message: string }[] } | undefined)
      ?.conditions ?? []
  ).find((c) => c.type === 'Accepted');

describeWithCluster('RemoteMCPServer tools refresh on a period', () => {
  let hooks: SyncHookServer;
  let replica2: SyncHookServer;
  let mcp: McpTestServer;
  let ns: string;
  let driver: CompositeControllerDriver;
  const ref = () => ({ namespace: ns, name: 'tools' });

  beforeAll(async () => {
    await installCrds(kubectl);
    hooks = await startSyncHookServer({ logLevel: false, toolsResyncSeconds: PERIOD_S });
    replica2 = await startSyncHookServer({ logLevel: false, toolsResyncSeconds: PERIOD_S });
    mcp = await startMcpServer({ tools: [{ name: 'get_pods', description: 'List pods' }] });
    ns = await createNamespace('toolsrefresh');
    driver = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: manifestController('remotemcpservers.kagent.dev'),
      hookBaseUrl: hooks.url,
    });
    const yaml = `apiVersion: kagent.dev/v1alpha2
kind: RemoteMCPServer
metadata: {name: tools}
spec: {description: tools, protocol: STREAMABLE_HTTP, url: "${mcp.url}", timeout: 2s}
`;
    const r = await kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await hooks?.close();
    await replica2?.close();
    await mcp?.close().catch(() => undefined);
    if (ns) await deleteNamespace(ns).catch(() => undefined);
  });

  it('discovers, then follows an added tool and a stopped server within two periods', async () => {
    const first = await driver.runUntil(ref(), (p) => accepted(p)?.status === 'True', { timeoutMs: 20_000 });
    expect(toolNames(first.parent)).toEqual(['get_pods']);
    const steady = await driver.reconcileOnce(ref());
    expect(steady.totalWrites).toBe(0);
    expect(steady.syncResponse?.resyncAfterSeconds).toBe(PERIOD_S);

    mcp.setTools([
      { name: 'get_pods', description: 'List pods' },
      { name: 'get_events', description: 'List events' },
    ]);
    const started = Date.now();
    // No spec change, no nudge: only resyncAfterSeconds brings the next sync.
    const added = await driver.runUntil(ref(), (p) => toolNames(p).includes('get_events'), {
      timeoutMs: 2 * PERIOD_S * 1000 + 1500,
      defaultResyncSeconds: 0,
    });
    const addedAfterMs = Date.now() - started;
    expect(toolNames(added.parent)).toEqual(['get_events', 'get_pods']);
    expect(accepted(added.parent)?.status).toBe('True');

    await mcp.close();
    const stoppedAt = Date.now();
    const down = await driver.runUntil(ref(), (p) => accepted(p)?.status === 'False', {
      timeoutMs: 2 * PERIOD_S * 1000 + 4000,
      defaultResyncSeconds: 0,
    });
    const downAfterMs = Date.now() - stoppedAt;
    const c = accepted(down.parent)!;
    expect(c.reason).toBe('ToolDiscoveryFailed');
    expect(c.message).toContain(mcp.url);
    expect(toolNames(down.parent)).toEqual(['get_events', 'get_pods']); // the last good tools stay
    process.stdout.write(
      `tools refresh (period ${PERIOD_S} s): added tool seen after ${addedAfterMs} ms, stopped server after ${downAfterMs} ms\n`,
    );

    // A second hook replica, given the same observed object, answers byte for byte the same: the status is built
    // from the probe and the observed object, not from what either process remembers.
    const other = new CompositeControllerDriver({
      kubeConfig: kubeConfig(),
      controller: manifestController('remotemcpservers.kagent.dev'),
      hookBaseUrl: replica2.url,
    });
    const fromReplica2 = await other.reconcileOnce(ref());
    expect(fromReplica2.totalWrites, fromReplica2.log.join('; ')).toBe(0);
  }, 60_000);
});
