// The webhook-only defaults (crds/conditional-defaults.ts): each row's exact effect, idempotence and sharing, and
// that they change nothing the sync hook makes of any conformance case (so a cluster without the webhook reconciles
// the same Agents). Through kubectl apply: test/integration/webhooks.test.ts.
import { describe, expect, it } from 'vitest';
import { applyConditionalDefaults, applyDefaults, CONDITIONAL_DEFAULTS, validate } from '../../crds/index.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';
import { cases, loadCase, runCase } from '../conformance/harness.js';

const agent = (tools: unknown[]) => ({ spec: { type: 'Declarative', declarative: { systemMessage: 'x', tools } } });

/** Per row: a tool list before, and after the webhook. */
const ROW_CASES: Record<string, [unknown[], unknown[]]> = {
  'tool-type-from-subobject': [
    [{ mcpServer: { name: 's', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev' } }, { agent: { name: 'a' } }],
    [
      { mcpServer: { name: 's', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev' }, type: 'McpServer' },
      { agent: { name: 'a' }, type: 'Agent' },
    ],
  ],
  'tool-type-alias': [
    [{ type: 'MCPServer', mcpServer: { name: 's', kind: 'Service', apiGroup: '' } }],
    [{ type: 'McpServer', mcpServer: { name: 's', kind: 'Service', apiGroup: '' } }],
  ],
  'mcp-server-kind': [
    [{ type: 'McpServer', mcpServer: { name: 's' } }],
    [{ type: 'McpServer', mcpServer: { name: 's', kind: 'MCPServer', apiGroup: 'kagent.dev' } }],
  ],
  'mcp-server-group': [
    [{ type: 'McpServer', mcpServer: { name: 's', kind: 'RemoteMCPServer' } }],
    [{ type: 'McpServer', mcpServer: { name: 's', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev' } }],
  ],
};

describe('conditional defaults (the mutating webhook only)', () => {
  it('every row has a case', () => {
    expect(CONDITIONAL_DEFAULTS.map((d) => d.id).sort()).toEqual(Object.keys(ROW_CASES).sort());
  });

  it.each(Object.entries(ROW_CASES))('%s', (_id, [before, after]) => {
    const input = agent(before);
    const frozen = structuredClone(input);
    const out = applyConditionalDefaults('Agent', input);
    expect(out).toEqual(agent(after));
    expect(input).toEqual(frozen); // never in place
    expect(applyConditionalDefaults('Agent', out)).toBe(out); // idempotent: nothing left to apply
    expect(validate('Agent', out)).toEqual([]);
  });

  it('leaves what it does not touch shared, and other kinds and malformed input alone', () => {
    const input = agent([{ type: 'Agent', agent: { name: 'a' } }, { mcpServer: { name: 's' } }]);
    const out = applyConditionalDefaults('Agent', input) as typeof input;
    expect(out.spec.declarative.tools[0]).toBe(input.spec.declarative.tools[0]);
    const same = agent([{ type: 'Agent', agent: { name: 'a' } }]);
    expect(applyConditionalDefaults('Agent', same)).toBe(same);
    for (const junk of [null, 1, 'x', [], { spec: { declarative: { tools: 'x' } } }, { spec: { declarative: 5 } }])
      expect(applyConditionalDefaults('Agent', junk)).toBe(junk);
    const mc = { spec: { model: 'm' } };
    expect(applyConditionalDefaults('ModelConfig', mc)).toBe(mc);
  });

  it('changes some of the conformance Agents (so the comparison below compares something)', () => {
    const agents = [...cases.required, ...Object.keys(cases.optional)].flatMap((name) =>
      loadCase(name).input.objects.filter((o) => o.kind === 'Agent'),
    );
    const changed = agents.filter((o) => {
      const d = applyDefaults('Agent', o);
      return applyConditionalDefaults('Agent', d) !== d;
    });
    expect(changed.length).toBeGreaterThanOrEqual(5);
  });

  it.each([...cases.required, ...Object.keys(cases.optional)])(
    '%s: the sync hook renders the same children with and without them',
    (name) => {
      const { input } = loadCase(name);
      const withWebhook = {
        ...input,
        objects: input.objects.map((o): KubeObject => {
          const kind = o.kind === 'Agent' ? 'Agent' : undefined;
          return kind ? applyConditionalDefaults(kind, applyDefaults(kind, o)) : o;
        }),
      };
      const plain = {
        ...input,
        objects: input.objects.map((o): KubeObject => (o.kind === 'Agent' ? applyDefaults('Agent', o) : o)),
      };
      expect(runCase(withWebhook)).toEqual(runCase(plain));
    },
  );
});
