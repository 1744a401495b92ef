// The contract driver's re-implementation of Metacontroller's dynamic apply: what decides whether a resync writes.
import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  deepEqual,
  goJsonMarshal,
  LAST_APPLIED_ANNOTATION,
  merge,
  setLastApplied,
} from '../metacontroller/apply.js';
import { matchesSelector, selectorToString } from '../metacontroller/selector.js';

/** What the API server stores after the driver created `desired`: plus system fields and defaults. */
function stored(desired: any, defaults: (o: any) => void): any {
  const o = structuredClone(desired);
  setLastApplied(o, desired);
  o.metadata.uid = 'uid-1';
  o.metadata.resourceVersion = '42';
  o.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  defaults(o);
  return o;
}

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'a', namespace: 'n', labels: { app: 'a' } },
  spec: {
    selector: { matchLabels: { app: 'a' } },
    template: {
      metadata: { labels: { app: 'a' }, annotations: { hash: '1' } },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'img:1',
            ports: [{ containerPort: 8080, name: 'http' }],
            env: [{ name: 'A', value: '1' }],
          },
        ],
      },
    },
  },
});

const serverDefaults = (o: any) => {
  o.spec.replicas = 1;
  o.spec.template.spec.restartPolicy = 'Always';
  const c = o.spec.template.spec.containers[0];
  c.imagePullPolicy = 'IfNotPresent';
  c.terminationMessagePath = '/dev/termination-log';
  c.ports[0].protocol = 'TCP';
  o.status = { replicas: 1 };
};

describe('dynamic apply (Metacontroller semantics)', () => {
  it('an unchanged desired object merges to exactly what the server stores: no write', () => {
    const obs = stored(deployment(), serverDefaults);
    expect(deepEqual(applyUpdate(obs, deployment()), obs)).toBe(true);
  });

  it('a changed field is a write, and server-added fields survive the merge', () => {
    const obs = stored(deployment(), serverDefaults);
    const want = deployment();
    want.spec.template.spec.containers[0].image = 'img:2';
    const out = applyUpdate(obs, want);
    expect(deepEqual(out, obs)).toBe(false);
    const c = out.spec.template.spec.containers[0];
    expect(c.image).toBe('img:2');
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(out.spec.replicas).toBe(1);
    expect(out.metadata.resourceVersion).toBe('42');
    expect(out.status).toEqual({ replicas: 1 });
    expect(JSON.parse(out.metadata.annotations[LAST_APPLIED_ANNOTATION]).spec.template.spec.containers[0].image).toBe(
      'img:2',
    );
  });

  it('a field dropped from desired is removed; a field nobody applied is kept', () => {
    const obs = stored(deployment(), serverDefaults);
    const want = deployment() as any;
    delete want.spec.template.metadata.annotations;
    const out = applyUpdate(obs, want);
    expect(out.spec.template.metadata.annotations).toBeUndefined();
    expect(out.spec.template.spec.restartPolicy).toBe('Always');
  });

  it('list maps merge by their conventional key, other lists are replaced', () => {
    const out = merge(
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'X', value: 'server' },
        ],
        args: ['a', 'b'],
      },
      { env: [{ name: 'A', value: '1' }], args: ['a', 'b'] },
      {
        env: [
          { name: 'A', value: '2' },
          { name: 'B', value: '3' },
        ],
        args: ['c'],
      },
    );
    expect(out).toEqual({
      env: [
        { name: 'A', value: '2' },
        { name: 'X', value: 'server' },
        { name: 'B', value: '3' },
      ],
      args: ['c'],
    });
  });

  it('a Secret written with stringData would be rewritten forever; with data it is not', () => {
    const withData = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n' },
      type: 'Opaque',
      data: { k: 'dg==' },
    };
    const obs = stored(withData, () => undefined);
    expect(deepEqual(applyUpdate(obs, withData), obs)).toBe(true);
    const withStringData = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n' },
      type: 'Opaque',
      stringData: { k: 'v' },
    };
    const obs2 = stored(withStringData, (o) => {
      o.data = { k: 'dg==' };
      delete o.stringData;
    });
    expect(deepEqual(applyUpdate(obs2, withStringData), obs2)).toBe(false);
  });

  it('a non-canonical quantity would be rewritten forever', () => {
    const d = { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, spec: { cpu: '2000m' } };
    const obs = stored(d, (o) => (o.spec.cpu = '2'));
    expect(deepEqual(applyUpdate(obs, d), obs)).toBe(false);
  });

  it('marshals like Go: sorted keys, HTML characters escaped', () => {
    expect(goJsonMarshal({ b: 1, a: { d: '<&>', c: [2, 1] } })).toBe(
      '{"a":{"c":[2,1],"d":"\\u003c\\u0026\\u003e"},"b":1}',
    );
  });

  it('rejects a type mismatch between observed and desired', () => {
    expect(() => merge({ spec: { a: {} } }, null, { spec: { a: 'x' } } as any)).toThrow(/desired\[spec\]\[a\]/);
  });
});

describe('label selectors', () => {
  it('matches matchLabels and every expression operator', () => {
    const sel = {
      matchLabels: { app: 'a' },
      matchExpressions: [
        { key: 'tier', operator: 'In' as const, values: ['web', 'api'] },
        { key: 'env', operator: 'NotIn' as const, values: ['prod'] },
        { key: 'team', operator: 'Exists' as const },
        { key: 'legacy', operator: 'DoesNotExist' as const },
      ],
    };
    expect(matchesSelector({ app: 'a', tier: 'web', env: 'dev', team: 'x' }, sel)).toBe(true);
    expect(matchesSelector({ app: 'a', tier: 'db', team: 'x' }, sel)).toBe(false);
    expect(matchesSelector({ app: 'a', tier: 'web', env: 'prod', team: 'x' }, sel)).toBe(false);
    expect(matchesSelector({ app: 'a', tier: 'web' }, sel)).toBe(false);
    expect(matchesSelector({ app: 'a', tier: 'web', team: 'x', legacy: '1' }, sel)).toBe(false);
    expect(selectorToString(sel)).toBe('app=a,tier in (web,api),env notin (prod),team,!legacy');
    expect(matchesSelector(undefined, { matchLabels: {} })).toBe(true);
  });
});
