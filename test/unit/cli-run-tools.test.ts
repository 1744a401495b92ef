// `metagent run` serves the Agents the chosen one uses as tools when the files hold them: which ones, in which order,
// and how the chosen Agent's config.json is pointed at their local addresses.
import { describe, expect, it } from 'vitest';
import { pointToolAgentsAt, toolAgentsFirst } from '../../cli/lib/local-run.js';

const agent = (name: string, tools: Array<{ name: string; namespace?: string }> = [], namespace?: string) => ({
  kind: 'Agent',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { declarative: { tools: tools.map((t) => ({ agent: t })) } },
});

describe('toolAgentsFirst', () => {
  it('puts the tools (and their tools) before the agent that uses them, each once', () => {
    const objects = [
      agent('main', [{ name: 'a' }, { name: 'b' }]),
      agent('a', [{ name: 'c' }]),
      agent('b', [{ name: 'c' }]),
      agent('c'),
    ];
    expect(toolAgentsFirst(objects, { namespace: 'default', name: 'main' }, 'default').map((r) => r.name)).toEqual([
      'c',
      'a',
      'b',
      'main',
    ]);
  });
  it('leaves out tool agents the files do not hold, and follows namespaces', () => {
    const objects = [
      agent('main', [{ name: 'missing' }, { name: 'ops', namespace: 'other' }]),
      agent('ops', [], 'other'),
    ];
    expect(toolAgentsFirst(objects, { namespace: 'default', name: 'main' }, 'default')).toEqual([
      { namespace: 'other', name: 'ops' },
      { namespace: 'default', name: 'main' },
    ]);
  });
  it('a cycle is an error naming it', () => {
    const objects = [agent('a', [{ name: 'b' }]), agent('b', [{ name: 'a' }])];
    expect(() => toolAgentsFirst(objects, { namespace: 'default', name: 'a' }, 'default')).toThrow(
      'Agents use each other as tools in a cycle: default/a -> default/b -> default/a',
    );
  });
});

describe('pointToolAgentsAt', () => {
  it('replaces the cluster address of a locally served agent, and nothing else', () => {
    const config = JSON.stringify({
      remote_agents: [
        { name: 'default__NS__a', url: 'http://a.default:8080' },
        { name: 'x__NS__far', url: 'http://far.x:8080' },
      ],
      model: {},
    });
    const out = JSON.parse(
      pointToolAgentsAt(config, [{ agent: { namespace: 'default', name: 'a' }, url: 'http://127.0.0.1:4321/' }]),
    );
    expect(out.remote_agents).toEqual([
      { name: 'default__NS__a', url: 'http://127.0.0.1:4321' },
      { name: 'x__NS__far', url: 'http://far.x:8080' },
    ]);
    expect(pointToolAgentsAt(config, [])).toBe(config);
  });
});
