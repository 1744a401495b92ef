// No customize rule asks for Secrets or ConfigMaps without names: every CompositeController of
// manifests/metacontroller/ that has a customize hook is asked, over HTTP as Metacontroller asks it, about every object
// of its parent kind in kagent's conformance inputs and examples/ (with and without the gateway proxy option), and
// each Secret/ConfigMap rule must name the objects (no label or namespace selector, no empty name list — an empty
// list would select the whole namespace).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import type { CustomizeResponse, KubeObject } from '../../sync-hooks/protocol.js';
import { manifestDocuments } from '../metacontroller/manifests.js';
import type { CompositeController } from '../metacontroller/driver.js';

const repo = new URL('../../', import.meta.url);
const inputs = new URL('../shared/conformance/kagent-v0.10/inputs/', repo);

/** Every object of the conformance inputs and of examples/, by kind. */
function parents(): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  const add = (o: KubeObject) => {
    if (!o?.kind) return;
    o.metadata.namespace ??= 'team';
    o.metadata.uid ??= `uid-${o.kind}-${o.metadata.name}`;
    o.metadata.generation ??= 1;
    out.set(o.kind, [...(out.get(o.kind) ?? []), o]);
  };
  for (const f of readdirSync(inputs).filter((f) => f.endsWith('.yaml'))) {
    for (const o of (parse(readFileSync(new URL(f, inputs), 'utf8')) as { objects: KubeObject[] }).objects) add(o);
  }
  const examples = new URL('examples/', repo);
  for (const d of readdirSync(examples, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = new URL(`${d.name}/`, examples);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(new URL(f, dir), 'utf8'))) add(doc.toJS() as KubeObject);
    }
  }
  // The inputs' RemoteMCPServers name no Secret; one that names a header Secret, a header ConfigMap and a TLS CA.
  add({
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'with-refs', namespace: 'tools' },
    spec: {
      url: 'https://mcp.tools:8443/mcp',
      headersFrom: [
        { name: 'Authorization', valueFrom: { type: 'Secret', name: 'tok', key: 'bearer' } },
        { name: 'X-Team', valueFrom: { type: 'ConfigMap', name: 'meta', key: 'team' } },
      ],
      tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' },
    },
  });
  // kagent's inputs have no ModelProviderConfig: one with its API-key Secret, one (Ollama) without.
  add({
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelProviderConfig',
    metadata: { name: 'openai', namespace: 'team' },
    spec: { type: 'OpenAI', secretRef: { name: 'openai-key' } },
  });
  add({
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelProviderConfig',
    metadata: { name: 'ollama', namespace: 'team' },
    spec: { type: 'Ollama', endpoint: 'http://ollama.ollama:11434' },
  });
  return out;
}

const controllers = manifestDocuments().filter(
  (d): d is CompositeController => d.kind === 'CompositeController',
) as CompositeController[];

describe('customize rules name the Secrets and ConfigMaps they ask for', () => {
  let servers: SyncHookServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all([
      startSyncHookServer({ logLevel: false }),
      startSyncHookServer({ logLevel: false, proxyUrl: 'http://proxy.kagent.svc.cluster.local:8080' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('every installed controller with a customize hook, every parent we have', async () => {
    const byKind = parents();
    const withCustomize = controllers.filter((c) => c.spec.hooks.customize);
    expect(withCustomize.map((c) => c.metadata.name).sort()).toEqual([
      'agents.kagent.dev',
      'modelconfigs.kagent.dev',
      'modelproviderconfigs.kagent.dev',
      'remotemcpservers.kagent.dev',
    ]);
    const named: Record<string, number> = {};
    for (const c of withCustomize) {
      const path = c.spec.hooks.customize!.webhook!.path!;
      const kind = {
        agents: 'Agent',
        modelconfigs: 'ModelConfig',
        remotemcpservers: 'RemoteMCPServer',
        modelproviderconfigs: 'ModelProviderConfig',
      }[c.spec.parentResource.resource]!;
      const list = byKind.get(kind) ?? [];
      expect(list.length, `parents of kind ${kind}`).toBeGreaterThan(0);
      for (const server of servers) {
        for (const parent of list) {
          const res = await fetch(server.url + path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ controller: c, parent }),
          });
          expect(res.status, `${path} ${parent.metadata.name}`).toBe(200);
          for (const rule of ((await res.json()) as CustomizeResponse).relatedResources ?? []) {
            if (rule.resource !== 'secrets' && rule.resource !== 'configmaps') continue;
            const what = `${c.metadata.name} for ${kind} ${parent.metadata.name}: ${JSON.stringify(rule)}`;
            expect(rule.names?.length ?? 0, what).toBeGreaterThan(0);
            expect(
              rule.names!.every((n) => typeof n === 'string' && n !== ''),
              what,
            ).toBe(true);
            expect(rule, what).not.toHaveProperty('labelSelector');
            expect(rule, what).not.toHaveProperty('namespaceSelector');
            expect(rule.namespace, what).toBeTruthy();
            named[kind] = (named[kind] ?? 0) + rule.names!.length;
          }
        }
      }
    }
    // The check looked at real rules: each kind's customize names at least one Secret or ConfigMap somewhere.
    expect(Object.keys(named).sort()).toEqual(['Agent', 'ModelConfig', 'ModelProviderConfig', 'RemoteMCPServer']);
  });
});
