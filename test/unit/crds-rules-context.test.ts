// checkRules lists an Agent's tools once per call (RuleContext) for the rules that walk them. Nothing of one call may
// reach the next: validating objects one after another (also the same spec object after it changed) gives each its
// own errors.
import { describe, expect, it } from 'vitest';
import { formatFieldError, validate } from '../../crds/index.js';

const agent = (tools: unknown[]) => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a' },
  spec: { type: 'Declarative', declarative: { systemMessage: 'x', tools } },
});
const mcp = (toolNames: string[], requireApproval: string[]) => ({
  type: 'McpServer',
  mcpServer: { name: 's', kind: 'RemoteMCPServer', apiGroup: 'kagent.dev', toolNames, requireApproval },
});

describe('rule context', () => {
  it('does not carry tools from one validation to the next', () => {
    const bad = agent([mcp(['a'], ['a']), mcp(['b'], ['delete'])]);
    const good = agent([mcp(['a'], ['a'])]);
    const other = agent([{ type: 'Agent', agent: { name: 'x' }, isolateSessions: true }, mcp(['c'], ['zap'])]);
    for (let round = 0; round < 3; round++) {
      expect(validate('Agent', bad).map(formatFieldError)).toEqual([
        'spec.declarative.tools[1].mcpServer.requireApproval[0]: "delete" is not in toolNames',
      ]);
      expect(validate('Agent', good)).toEqual([]);
      expect(validate('Agent', other).map(formatFieldError)).toEqual([
        'spec.declarative.tools[1].mcpServer.requireApproval[0]: "zap" is not in toolNames',
      ]);
    }
  });

  it('sees a spec object that changed since it was last validated', () => {
    const obj = agent([mcp(['a'], ['a'])]);
    expect(validate('Agent', obj)).toEqual([]);
    (obj.spec.declarative.tools as unknown[]).push({ type: 'McpServer', agent: { name: 'y' } });
    expect(validate('Agent', obj).map(formatFieldError)).toEqual([
      'spec.declarative.tools[1].mcpServer: is required when type is McpServer',
      'spec.declarative.tools[1].agent: must not be set when type is McpServer',
    ]);
  });
});
