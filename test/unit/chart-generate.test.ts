// The chart's generated files match manifests/ and the rules now (run `npm run generate:chart` after changing
// manifests/), and the values machinery `metagent install` uses: Helm's --set syntax, merging, the schema's messages.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateChart } from '../../cli/install/chart-generate.js';
import { loadChart, resolveValues } from '../../cli/install/chart.js';
import { mergeValues, parseSet, validateValues } from '../../cli/install/values.js';
import { goLiteral } from '../../cli/install/chart-template.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('charts/metagent generated files', () => {
  const files = generateChart(join(root, 'manifests'), join(root, 'package.json'));

  it.each(files.map((f) => [f.path, f.text]))('%s is up to date (npm run generate:chart)', (path, text) => {
    expect(readFileSync(join(root, 'charts', 'metagent', path), 'utf8')).toBe(text);
  });

  it('leave no rule marker behind and template every manifests/ object but the namespace', () => {
    const templates = files.filter((f) => f.path.startsWith('templates/'));
    for (const t of templates) expect(t.text).not.toMatch(/zz(R\d+|LABELS)zz/);
    expect(templates.map((t) => t.path)).toContain('templates/generated/webhooks/webhook-configurations.yaml');
    expect(templates.some((t) => /kind: Namespace\b/.test(t.text))).toBe(false);
  });

  it('take defaults from manifests/ (replicas, resources, the webhook port)', () => {
    const values = loadChart(root).defaults;
    expect(values.webhooks.replicas).toBe(2);
    expect(values.syncHooks.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '384Mi' },
    });
    expect(values.webhooks.service.port).toBe(443);
  });
});

describe('Go literals', () => {
  it('quote strings and substitute the release namespace', () => {
    expect(goLiteral('a "b"')).toBe('"a \\"b\\""');
    expect(goLiteral('x.metagent-system.svc')).toBe(
      '(replace "metagent-system" $.Release.Namespace "x.metagent-system.svc")',
    );
    expect(goLiteral([1])).toBe('(fromJsonArray "[1]")');
    expect(goLiteral({ a: true })).toBe('(fromJson "{\\"a\\":true}")');
  });
});

describe('install values', () => {
  it("parse Helm's --set syntax", () => {
    expect(parseSet('a.b=1,c=true,d=null,e=x', { d: 1 })).toEqual({ a: { b: 1 }, c: true, e: 'x' });
    expect(parseSet('t[0].b=2', parseSet('t[0].a=1'))).toEqual({ t: [{ a: 1, b: 2 }] });
    expect(parseSet('l={x,y}')).toEqual({ l: ['x', 'y'] });
    expect(parseSet('t[0].key=k,t[0].operator=Exists')).toEqual({ t: [{ key: 'k', operator: 'Exists' }] });
    expect(parseSet('a=x\\,y')).toEqual({ a: 'x,y' });
    expect(parseSet('n=007')).toEqual({ n: '007' });
    expect(() => parseSet('novalue')).toThrow('--set novalue: expected key=value, got "novalue"');
    expect(() => parseSet('a..b=1')).toThrow('cannot parse key "a..b"');
  });

  it('merge maps and replace lists, null deletes', () => {
    expect(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null })).toEqual({ a: { b: 1, c: [2] } });
  });

  it('are refused by the schema with the path of each wrong value', () => {
    const chart = loadChart(root);
    const errors = validateValues(
      mergeValues(chart.defaults, { webhooks: { replicas: 'two', replica: 1 }, imagePullPolicy: 'Sometimes' }),
      chart.schema,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'webhooks.replicas: must be integer',
        'webhooks.replica: is not a value of this chart',
        'imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"',
      ]),
    );
    expect(() => resolveValues(chart, [], ['toolserver.enabled=maybe'])).toThrow('toolserver.enabled: must be boolean');
  });

  it('refuse installing Metacontroller and its values rather than ignoring them', () => {
    const chart = loadChart(root);
    expect(resolveValues(chart, [], []).metacontroller.enabled).toBe(false);
    expect(() => resolveValues(chart, [], ['metacontroller.enabled=true'])).toThrow(
      'metagent install does not install Metacontroller',
    );
    expect(() => resolveValues(chart, [], ['metacontroller.replicas=2'])).toThrow(
      "metacontroller.replicas: Metacontroller's own values apply only with helm install",
    );
  });

  it('read --values files in order and name a file that is wrong', () => {
    const chart = loadChart(root);
    const dir = mkdtempSync(join(tmpdir(), 'metagent-values-'));
    writeFileSync(join(dir, 'a.yaml'), 'webhooks:\n  replicas: 3\nlogLevel: debug\n');
    writeFileSync(join(dir, 'b.yaml'), 'webhooks:\n  replicas: 4\n');
    writeFileSync(join(dir, 'list.yaml'), '- a\n');
    const v = resolveValues(chart, [join(dir, 'a.yaml'), join(dir, 'b.yaml')], ['logLevel=warn']);
    expect([v.webhooks.replicas, v.logLevel, v.syncHooks.replicas]).toEqual([4, 'warn', 2]);
    expect(() => resolveValues(chart, [join(dir, 'list.yaml')], [])).toThrow(
      `--values ${join(dir, 'list.yaml')}: expected a map of values`,
    );
    expect(() => resolveValues(chart, ['/nonexistent/values.yaml'], [])).toThrow('--values /nonexistent/values.yaml:');
  });
});
