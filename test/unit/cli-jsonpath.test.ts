// kubectl's JSONPath templates (cli/lib/jsonpath.ts), checked against what kubectl prints for the same template and
// object (kubectl get -o jsonpath, --allow-missing-template-keys=true, its default).
import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathError, parseJsonPath } from '../../cli/lib/jsonpath.js';

const list = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', namespace: 'ns1', labels: { 'app.kubernetes.io/name': 'x' } },
      spec: { replicas: 1 },
      status: {
        conditions: [
          { type: 'Accepted', status: 'True' },
          { type: 'Ready', status: 'False', reason: 'DeploymentNotReady' },
        ],
      },
    },
    {
      metadata: { name: 'b', namespace: 'ns2' },
      spec: { replicas: 3 },
      status: { conditions: [{ type: 'Accepted', status: 'False' }] },
    },
    { metadata: { name: 'c', namespace: 'ns1' }, spec: { replicas: 2, tools: [] } },
  ],
};
const run = (template: string, data: unknown = list) => evaluateJsonPath(parseJsonPath(template), data);

describe('jsonpath templates', () => {
  it.each([
    ['{.items[*].metadata.name}', 'a b c'],
    ['{.items[0].metadata.name}', 'a'],
    ['{.items[-1].metadata.name}', 'c'],
    ['{.items[0:2].metadata.name}', 'a b'],
    ['{.items[1:].metadata.name}', 'b c'],
    ["{.items[0].metadata.labels['app.kubernetes.io/name']}", 'x'],
    ['{.items[?(@.metadata.namespace=="ns1")].metadata.name}', 'a c'],
    ['{.items[?(@.metadata.namespace!="ns1")].metadata.name}', 'b'],
    ['{.items[?(@.spec.replicas>1)].metadata.name}', 'b c'],
    ['{.items[?(@.spec.replicas<2)].metadata.name}', 'a'],
    ['{.items[?(@.spec.tools)].metadata.name}', 'c'],
    ['{.items[0].status.conditions[?(@.type=="Ready")].reason}', 'DeploymentNotReady'],
    ['{range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}', 'a\t1\nb\t3\nc\t2\n'],
    ['{range .items[*]}[{.metadata.name}]{end}', '[a][b][c]'],
    ['names: {.items[*].metadata.name}!', 'names: a b c!'],
    ['{.items[0].metadata.labels}', '{"app.kubernetes.io/name":"x"}'],
    ['{.items[2].spec.tools}', '[]'],
    ['{.kind}', 'List'],
    ['{items[1].metadata.name}', 'b'],
    ['{.items[0].metadata.*}', 'a ns1 {"app.kubernetes.io/name":"x"}'],
  ])('%s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });

  it('a missing field prints nothing (kubectl --allow-missing-template-keys=true)', () => {
    expect(run('{.items[*].status.missing}|{.nope.deeper}|{.items[9].metadata.name}')).toBe('||');
    expect(run('{range .items[*]}{.status.conditions[0].status},{end}')).toBe('True,False,,');
  });

  it('{.} is the whole object as JSON; a number or a boolean prints as text', () => {
    expect(run('{.}', { a: 1 })).toBe('{"a":1}');
    expect(run('{.n} {.b} {.s}', { n: 2.5, b: false, s: 'text' })).toBe('2.5 false text');
  });

  it.each([
    ['{.metadata.name', 'unclosed "{" at position 0'],
    ['{range .items[*]}{.metadata.name}', '{range} without {end}'],
    ['{.a}{end}', '{end} without {range}'],
    ['{"unterminated}', 'unterminated string'],
    ['{.items[abc]}', '"abc" is not an index'],
    ['{.items[?(@.a==)]}', 'cannot compare with ""'],
    ['{.items[?(x)]}', 'a filter must start with @'],
    ['{..name}', 'recursive descent (..) is not supported'],
    ['{}', 'empty expression {}'],
  ])('%j is refused: %s', (template, message) => {
    expect(() => parseJsonPath(template)).toThrow(JsonPathError);
    expect(() => parseJsonPath(template)).toThrow(`jsonpath template ${JSON.stringify(template)}: ${message}`);
  });
});
