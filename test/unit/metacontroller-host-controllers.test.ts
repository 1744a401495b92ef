// The real-Metacontroller suite installs manifests/metacontroller/ with only the hook address changed (webhook.service
// + path -> webhook.url on the host). This holds that nothing else differs, field by field.
import { describe, expect, it } from 'vitest';
import { hostControllers, manifestDocuments } from '../metacontroller/manifests.js';

/** Every leaf of a JSON value as path -> value. */
function leaves(v: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    if (entries.length === 0) out.set(path, Array.isArray(v) ? '[]' : '{}');
    for (const [k, x] of entries) leaves(x, `${path}/${k}`, out);
  } else {
    out.set(path, v);
  }
  return out;
}

describe('hostControllers', () => {
  const base = 'http://127.0.0.1:4321';
  const installed = manifestDocuments().filter((d) => d.kind === 'CompositeController');
  const host = hostControllers(base);

  it('keeps every CompositeController of manifests/metacontroller/, in order', () => {
    expect(installed.map((c) => c.metadata.name)).toEqual([
      'agents.kagent.dev',
      'modelconfigs.kagent.dev',
      'modelproviderconfigs.kagent.dev',
      'remotemcpservers.kagent.dev',
    ]);
    expect(host.map((c) => c.metadata.name)).toEqual(installed.map((c) => c.metadata.name));
  });

  it('changes only each hook webhook service+path into a url on the host', () => {
    for (const [i, cc] of installed.entries()) {
      const a = leaves(cc);
      const b = leaves(host[i]);
      const changed = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
      const hooks = Object.keys((cc.spec as { hooks: object }).hooks).sort();
      expect(hooks.length).toBeGreaterThan(0);
      const expected = hooks
        .flatMap((h) => {
          const wh = `/spec/hooks/${h}/webhook`;
          return [`${wh}/path`, `${wh}/service/name`, `${wh}/service/namespace`, `${wh}/service/port`, `${wh}/url`];
        })
        .sort();
      expect(changed, cc.metadata.name).toEqual(expected);
      for (const h of hooks) {
        const orig = (cc.spec as any).hooks[h].webhook;
        expect((host[i].spec as any).hooks[h].webhook.url).toBe(base + orig.path);
      }
    }
  });

  it('refuses a hook it cannot re-address, naming the controller and the hook', () => {
    const broken = structuredClone(installed);
    delete (broken[1].spec as any).hooks.sync.webhook.service;
    expect(() => hostControllers(base, broken)).toThrow(
      'modelconfigs.kagent.dev: hook sync has no webhook.service to replace',
    );
  });
});
