// `metagent get -o json|yaml|name` and the --watch printer and bookkeeping (cli/lib/get-output.ts, get-watch.ts).
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { InvalidArgumentError } from 'commander';
import { findGetKind, type AnyObject } from '../../cli/lib/get-table.js';
import { createWatchPrinter, formatGetOutput, parseOutputFormat } from '../../cli/lib/get-output.js';
import { KnownObjects, listQuery, parseWatchLine, takeLines, watchQuery } from '../../cli/lib/get-watch.js';

const now = new Date('2026-01-01T12:00:00Z');
const agents = findGetKind('agents')!;
const ctx = { now, allNamespaces: false, namespace: 'ns1' };

/** As the API server lists a CRD: items may lack apiVersion/kind. */
const agent = (
  name: string,
  opts: { ns?: string; rv?: string; accepted?: string; reason?: string; typeMeta?: boolean } = {},
): AnyObject => ({
  ...(opts.typeMeta ? { apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent' } : {}),
  metadata: {
    name,
    namespace: opts.ns ?? 'ns1',
    creationTimestamp: '2026-01-01T11:00:00Z',
    resourceVersion: opts.rv ?? '1',
  },
  spec: {
    type: 'Declarative',
    description:
      'a long description: with a colon, "quotes" and more words than fit on one eighty-column line of YAML output',
  },
  status: {
    conditions: [
      { type: 'Accepted', status: opts.accepted ?? 'True', ...(opts.reason ? { reason: opts.reason } : {}) },
      { type: 'Ready', status: 'True' },
    ],
  },
});

describe('get -o: parsing the flag', () => {
  it('accepts wide, json, yaml and name', () => {
    expect(['wide', 'json', 'yaml', 'name'].map(parseOutputFormat)).toEqual(['wide', 'json', 'yaml', 'name']);
  });

  it.each(['xml', 'WIDE', 'JSON', '', 'table'])(
    'refuses %j naming the allowed formats (commander adds the flag, exit 1)',
    (v) => {
      expect(() => parseOutputFormat(v)).toThrow(InvalidArgumentError);
      expect(() => parseOutputFormat(v)).toThrow(
        `unknown output format "${v}"; allowed formats are wide, json, yaml, name`,
      );
    },
  );
});

describe('get -o jsonpath=TEMPLATE', () => {
  it('applies the template to the object, or to the v1 List, adding nothing after it', () => {
    const single = formatGetOutput(
      parseOutputFormat('jsonpath={.metadata.name} {.kind}'),
      agents,
      { single: agent('a') },
      ctx,
    );
    expect(single).toEqual({ stdout: 'a Agent', stderr: '' });
    const list = formatGetOutput(
      parseOutputFormat(
        'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.conditions[?(@.type=="Accepted")].status}{"\\n"}{end}',
      ),
      agents,
      { items: [agent('a'), agent('b', { accepted: 'False' })] },
      ctx,
    );
    expect(list.stdout).toBe('a\tTrue\nb\tFalse\n');
    expect(
      formatGetOutput(parseOutputFormat('jsonpath={.items[*].metadata.name}'), agents, { items: [] }, ctx),
    ).toEqual({ stdout: '', stderr: '' });
  });

  it('prints one result per watched object', () => {
    const printer = createWatchPrinter(parseOutputFormat('jsonpath={.metadata.name}{"\\n"}'), agents, false);
    expect(printer.initial([agent('a'), agent('b')], now) + printer.event(agent('c'), now)).toBe('a\nb\nc\n');
  });

  it('refuses a bare jsonpath and a malformed template, quoting it', () => {
    expect(() => parseOutputFormat('jsonpath')).toThrow(/jsonpath needs a template/);
    expect(() => parseOutputFormat('jsonpath={.metadata.name')).toThrow(InvalidArgumentError);
    expect(() => parseOutputFormat('jsonpath={.metadata.name')).toThrow(
      'jsonpath template "{.metadata.name": unclosed "{" at position 0',
    );
  });
});

describe('get -o json|yaml|name without --watch', () => {
  it('json of a named object is that object, 4-space indented like kubectl, with apiVersion and kind first', () => {
    const out = formatGetOutput('json', agents, { single: agent('a') }, ctx);
    expect(out.stderr).toBe('');
    expect(out.stdout.endsWith('}\n')).toBe(true);
    expect(out.stdout.split('\n')[1]).toBe('    "apiVersion": "kagent.dev/v1alpha2",');
    const back = JSON.parse(out.stdout);
    expect(Object.keys(back)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(back).toEqual({ apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', ...agent('a') });
  });

  it('a list is a v1 List with the resourceVersion, keys in kubectl order, type meta on every item', () => {
    const items = [agent('a'), agent('b', { typeMeta: true })];
    const out = formatGetOutput('json', agents, { items, resourceVersion: '4711' }, ctx);
    const back = JSON.parse(out.stdout);
    expect(Object.keys(back)).toEqual(['apiVersion', 'items', 'kind', 'metadata']);
    expect(back).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '4711' } });
    expect(back.items).toEqual(items.map((o) => ({ apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', ...o })));
  });

  it('a list without a resourceVersion says "" as kubectl does; an empty list is still printed, with no message', () => {
    const out = formatGetOutput('yaml', agents, { items: [] }, ctx);
    expect(out).toEqual({
      stdout: 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n',
      stderr: '',
    });
  });

  it('yaml parses back to the same object, dashes at the parent indentation, long strings on one line', () => {
    const single = formatGetOutput('yaml', agents, { single: agent('a') }, ctx).stdout;
    expect(parse(single)).toEqual({ apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', ...agent('a') });
    expect(single).toMatch(/^apiVersion: kagent\.dev\/v1alpha2\nkind: Agent\nmetadata:\n/);
    expect(single).toContain('\n  conditions:\n  - type: Accepted\n');
    expect(single.split('\n').filter((l) => l.includes('description'))).toHaveLength(1);
    const list = formatGetOutput('yaml', agents, { items: [agent('a'), agent('b')], resourceVersion: '9' }, ctx).stdout;
    expect(list).toContain('\nitems:\n- apiVersion: kagent.dev/v1alpha2\n  kind: Agent\n');
    expect(parse(list).items.map((o: AnyObject) => o.metadata?.name)).toEqual(['a', 'b']);
  });

  it('name prints <singular>.kagent.dev/<name> per object, for every kind, nothing for an empty list', () => {
    expect(formatGetOutput('name', agents, { items: [agent('a'), agent('b')] }, ctx).stdout).toBe(
      'agent.kagent.dev/a\nagent.kagent.dev/b\n',
    );
    expect(formatGetOutput('name', findGetKind('mc')!, { single: agent('m') }, ctx).stdout).toBe(
      'modelconfig.kagent.dev/m\n',
    );
    expect(formatGetOutput('name', findGetKind('rmcps')!, { single: agent('t') }, ctx).stdout).toBe(
      'remotemcpserver.kagent.dev/t\n',
    );
    expect(formatGetOutput('name', agents, { items: [] }, ctx)).toEqual({ stdout: '', stderr: '' });
  });

  it('hides metadata.managedFields as kubectl does (single, list items, watch documents), keeps the rest of metadata', () => {
    const withFields = {
      ...agent('a'),
      metadata: { ...agent('a').metadata, managedFields: [{ manager: 'kubectl' }], labels: { x: 'y' } },
    } as AnyObject;
    const single = JSON.parse(formatGetOutput('json', agents, { single: withFields }, ctx).stdout);
    expect(single.metadata).toEqual({ ...agent('a').metadata, labels: { x: 'y' } });
    expect(
      parse(formatGetOutput('yaml', agents, { items: [withFields] }, ctx).stdout).items[0].metadata.managedFields,
    ).toBeUndefined();
    expect(createWatchPrinter('yaml', agents, false).event(withFields, now)).not.toContain('managedFields');
    expect(withFields.metadata).toHaveProperty('managedFields');
  });

  it('json of a ModelConfig list sets kind ModelConfig on the items', () => {
    const back = JSON.parse(formatGetOutput('json', findGetKind('modelconfigs')!, { items: [agent('m')] }, ctx).stdout);
    expect(back.items[0]).toMatchObject({ apiVersion: 'kagent.dev/v1alpha2', kind: 'ModelConfig' });
  });

  it('the table is unchanged; an empty table says so on stderr (per namespace, or across all)', () => {
    expect(formatGetOutput('table', agents, { items: [agent('a')] }, ctx).stdout).toBe(
      'NAME   TYPE          READY   ACCEPTED   AGE\na      Declarative   True    True       60m\n',
    );
    expect(formatGetOutput('table', agents, { items: [] }, ctx)).toEqual({
      stdout: '',
      stderr: 'No resources found in ns1 namespace.\n',
    });
    expect(formatGetOutput('table', agents, { items: [] }, { ...ctx, allNamespaces: true }).stderr).toBe(
      'No resources found\n',
    );
  });
});

describe('get --watch printer', () => {
  it('table: header and rows first, then one row per event in the same columns (REASON kept), deleted objects too', () => {
    const p = createWatchPrinter('table', agents, false);
    const first = p.initial([agent('b'), agent('a')], now);
    expect(first).toBe(
      'NAME   TYPE          READY   ACCEPTED   REASON   AGE\n' + //
        'a      Declarative   True    True                60m\n' +
        'b      Declarative   True    True                60m\n',
    );
    expect(p.event(agent('c'), now)).toBe('c      Declarative   True    True                60m\n');
    // A cell longer than the first table's column pushes only its own row.
    expect(p.event(agent('b', { accepted: 'False', reason: 'ModelConfigNotFound' }), now)).toBe(
      'b      Declarative   True    False      ModelConfigNotFound   60m\n',
    );
  });

  it('table: an empty initial list prints nothing; the first event brings the header', () => {
    const p = createWatchPrinter('table', agents, true);
    expect(p.initial([], now)).toBe('');
    expect(p.event(agent('a', { ns: 'ns2' }), now)).toBe(
      'NAMESPACE   NAME   TYPE          READY   ACCEPTED   REASON   AGE\nns2         a      Declarative   True    True                60m\n',
    );
    expect(p.event(agent('a', { ns: 'ns2' }), now)).toBe(
      'ns2         a      Declarative   True    True                60m\n',
    );
  });

  it('yaml: one document per object, separated by ---; json: one object each; name: one line each', () => {
    const y = createWatchPrinter('yaml', agents, false);
    const text = y.initial([agent('a'), agent('b')], now) + y.event(agent('a', { rv: '2' }), now);
    expect(text.startsWith('apiVersion:')).toBe(true);
    expect(text.match(/^---$/gm)).toHaveLength(2);
    expect(text.split(/^---\n/m).map((d) => parse(d).metadata.name)).toEqual(['a', 'b', 'a']);

    const j = createWatchPrinter('json', agents, false);
    const docs = j.initial([agent('a')], now) + j.event(agent('b'), now);
    expect(docs.split(/\n(?=\{)/).map((d) => JSON.parse(d).metadata.name)).toEqual(['a', 'b']);

    const n = createWatchPrinter('name', agents, false);
    expect(n.initial([agent('a')], now) + n.event(agent('b'), now)).toBe('agent.kagent.dev/a\nagent.kagent.dev/b\n');
  });
});

describe('get --watch bookkeeping', () => {
  it('list and watch queries: a name is a field selector, the watch resumes at the resourceVersion', () => {
    expect(listQuery()).toBe('');
    expect(listQuery('my-agent')).toBe('?fieldSelector=metadata.name%3Dmy-agent');
    expect(watchQuery('42')).toBe('?watch=1&resourceVersion=42&allowWatchBookmarks=true');
    expect(watchQuery('42', 'a')).toBe(
      '?watch=1&resourceVersion=42&allowWatchBookmarks=true&fieldSelector=metadata.name%3Da',
    );
  });

  it('splits the stream into complete lines, keeping a partial line for the next chunk', () => {
    expect(takeLines('{"a":1}\n{"b"')).toEqual({ lines: ['{"a":1}'], rest: '{"b"' });
    expect(takeLines('{"a":1}\n\n')).toEqual({ lines: ['{"a":1}'], rest: '' });
    expect(takeLines('')).toEqual({ lines: [], rest: '' });
  });

  it('parses watch events and refuses lines that are not one, quoting them', () => {
    expect(parseWatchLine('{"type":"ADDED","object":{"metadata":{"name":"a"}}}')).toEqual({
      type: 'ADDED',
      object: { metadata: { name: 'a' } },
    });
    expect(parseWatchLine('{"type":"ERROR","object":{"kind":"Status","code":410}}').object.code).toBe(410);
    expect(() => parseWatchLine('not json')).toThrow('the API server sent a watch line that is not JSON: not json');
    expect(() => parseWatchLine('{"type":"SOMETHING","object":{}}')).toThrow(
      'unexpected watch event: {"type":"SOMETHING"',
    );
    expect(() => parseWatchLine('{"type":"ADDED"}')).toThrow('unexpected watch event');
    expect(() => parseWatchLine('null')).toThrow('unexpected watch event');
  });

  it('after a re-list: new and changed objects, and gone ones with their last state; unchanged ones not at all', () => {
    const known = new KnownObjects([agent('a', { rv: '1' }), agent('b', { rv: '1' }), agent('c', { rv: '1' })]);
    known.apply({ type: 'MODIFIED', object: agent('b', { rv: '5' }) });
    known.apply({ type: 'DELETED', object: agent('c', { rv: '6' }) });
    const events = known.relist([
      agent('a', { rv: '1' }),
      agent('b', { rv: '7', accepted: 'False' }),
      agent('d', { rv: '8' }),
    ]);
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`)).toEqual([
      'MODIFIED b@7',
      'ADDED d@8',
    ]);
    // a vanished while no watch was open: printed as deleted, once.
    const later = known.relist([agent('b', { rv: '7' }), agent('d', { rv: '8' })]);
    expect(later.map((e) => `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`)).toEqual([
      'DELETED a@1',
    ]);
    expect(known.relist([agent('b', { rv: '7' }), agent('d', { rv: '8' })])).toEqual([]);
  });

  it('objects of the same name in different namespaces are different objects', () => {
    const known = new KnownObjects([agent('a', { ns: 'x' })]);
    expect(
      known.relist([agent('a', { ns: 'x' }), agent('a', { ns: 'y' })]).map((e) => e.object.metadata?.namespace),
    ).toEqual(['y']);
  });
});
