// The A2A request checks the runtime makes before the SDK, each against the spec text it follows (A2A 1.0 RC as the
// TCK ships it, and JSON-RPC 2.0).
import { describe, expect, it } from 'vitest';
import { envelopeProblem, nameTaskStates, RPC, taskStateName } from '../../runtime/a2a/envelope.js';
import { knownMethod, paramsProblem } from '../../runtime/a2a/params.js';
import { negotiateVersion } from '../../runtime/a2a/version.js';

const message = (extra: Record<string, unknown> = {}) => ({
  messageId: 'm1',
  role: 'ROLE_USER',
  parts: [{ text: 'hi' }],
  ...extra,
});

describe('A2A 1.0 §3.6 versioning: Major.Minor only, empty means 0.3', () => {
  it.each([
    [undefined, '0.3'],
    ['', '0.3'],
    ['0.3', '0.3'],
    ['1.0', '1.0'],
    ['1.0.0', '1.0'], // "Patch version numbers ... MUST not be considered when clients and servers negotiate"
    ['1.0.7', '1.0'],
    [' 1.0 ', '1.0'],
    ['0.3.0', '0.3'],
  ])('%j is served as %s', (requested, version) => {
    expect(negotiateVersion(requested)).toEqual({ version });
  });
  it.each([
    ['2.0', /2\.0 is not supported \(supported: 0\.3, 1\.0\)/],
    ['0.2', /0\.2 is not supported/],
    ['one', /"one" is not a Major\.Minor version/],
    ['1', /not a Major\.Minor/],
  ])('%j is refused (VersionNotSupportedError): %s', (requested, why) => {
    const r = negotiateVersion(requested);
    expect('error' in r && r.error).toMatch(why);
  });
});

describe('JSON-RPC 2.0 §4/§5.1 (A2A 1.0 §9.5): a malformed envelope is -32600 Invalid Request', () => {
  it.each([
    [{ jsonrpc: 'aaa', id: 1, method: 'SendMessage', params: {} }, 1, /jsonrpc must be "2.0", got "aaa"/],
    [{ jsonrpc: '1.0', id: 'x', method: 'GetTask', params: {} }, 'x', /jsonrpc must be "2.0"/],
    [{ id: 2, method: 'GetTask', params: {} }, 2, /jsonrpc must be "2.0"$/],
    [{ jsonrpc: '2.0', id: { a: 1 }, method: 'GetTask', params: {} }, null, /id must be a string, an integer or null/],
    [{ jsonrpc: '2.0', id: 1.5, method: 'GetTask' }, null, /id must be/],
    [{ jsonrpc: '2.0', id: 3, method: '' }, 3, /method must be a non-empty string/],
    [{ jsonrpc: '2.0', id: 3, method: 7 }, 3, /method must be/],
    [{ jsonrpc: '2.0', id: 4, method: 'GetTask', params: 'x' }, 4, /params must be an object or an array/],
    [[1], null, /expected a JSON-RPC 2.0 request object/],
    [null, null, /expected a JSON-RPC 2.0 request object/],
  ])('%j', (body, id, message) => {
    const p = envelopeProblem(body);
    expect(p).toMatchObject({ code: RPC.invalidRequest, id });
    expect(p!.message).toMatch(message);
  });
  it('a valid request passes, with or without id', () => {
    expect(envelopeProblem({ jsonrpc: '2.0', id: 'a', method: 'GetTask', params: { id: 't' } })).toBeUndefined();
    expect(envelopeProblem({ jsonrpc: '2.0', method: 'GetTask' })).toBeUndefined();
    expect(envelopeProblem({ jsonrpc: '2.0', id: null, method: 'GetTask' })).toBeUndefined();
  });
});

describe('A2A 1.0 §3.6.2: a request is read with the semantics of its version (methods per version)', () => {
  it.each([
    ['1.0', 'SendMessage', true],
    ['1.0', 'ListTasks', true],
    ['1.0', 'message/send', false],
    ['1.0', 'tasks/get', false],
    ['0.3', 'message/send', true],
    ['0.3', 'tasks/get', true],
    ['0.3', 'SendMessage', false],
    ['0.3', 'GetTask', false],
  ])('A2A %s %s: %s', (version, method, known) => {
    expect(knownMethod(version, method)).toBe(known);
  });
});

describe('A2A 1.0 params (a2a.proto request messages)', () => {
  it.each([
    // §5.7: "Arrays marked as required MUST contain at least one element" (Message.parts is REQUIRED)
    ['SendMessage', { message: message({ parts: [] }) }, 'params.message.parts must not be empty'],
    // §5.7: REQUIRED fields "MUST be present" (Message.role, Message.message_id)
    ['SendMessage', { message: { messageId: 'm', parts: [{ text: 'x' }] } }, 'params.message.role is required'],
    ['SendMessage', { message: { role: 'ROLE_USER', parts: [{ text: 'x' }] } }, 'params.message.messageId is required'],
    [
      'SendMessage',
      { message: message({ role: 'ROLE_UNSPECIFIED' }) },
      'params.message.role must be one of "ROLE_USER", "ROLE_AGENT"',
    ],
    [
      'SendMessage',
      { message: message({ role: 'user' }) },
      'params.message.role must be one of "ROLE_USER", "ROLE_AGENT"',
    ],
    [
      'SendMessage',
      { message: message({ parts: [{ metadata: {} }] }) },
      'params.message.parts[0] must have one of text, raw, url, data',
    ],
    ['SendMessage', {}, 'params.message is required'],
    // §3.2.4 historyLength: unset, 0 (no history) or > 0 — a count, never negative
    [
      'SendMessage',
      { message: message(), configuration: { historyLength: -1 } },
      'params.configuration.historyLength must be >= 0',
    ],
    ['GetTask', { id: 't', historyLength: -1 }, 'params.historyLength must be >= 0'],
    ['GetTask', { id: 't', history_length: -3 }, 'params.history_length must be >= 0'],
    ['ListTasks', { historyLength: -1 }, 'params.historyLength must be >= 0'],
    // a2a.proto ListTasksRequest.page_size: "The minimum value is 1. The maximum value is 100." (§6.5 example: 150 refused)
    ['ListTasks', { pageSize: 0 }, 'params.pageSize must be >= 1'],
    ['ListTasks', { pageSize: 150 }, 'params.pageSize must be <= 100'],
    // §5.6.1 timestamps: ISO 8601, UTC with 'Z'
    [
      'ListTasks',
      { statusTimestampAfter: 'not-a-timestamp' },
      'params.statusTimestampAfter must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ)',
    ],
    [
      'ListTasks',
      { statusTimestampAfter: '2025-13-01T00:00:00Z' },
      'params.statusTimestampAfter must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ)',
    ],
    [
      'ListTasks',
      { statusTimestampAfter: '2025-02-30T00:00:00Z' },
      'params.statusTimestampAfter must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ)',
    ],
    [
      'ListTasks',
      { statusTimestampAfter: '2025-10-28T10:30:00+02:00' },
      'params.statusTimestampAfter must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:mm:ss.sssZ)',
    ],
    [
      'ListTasks',
      { status: 'running' },
      expect.stringMatching(
        /^params\.status must be one of "TASK_STATE_SUBMITTED", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"/,
      ),
    ],
    ['GetTask', {}, 'params.id is required'],
  ])('%s %j: %s', (method, params, problem) => {
    expect(paramsProblem('1.0', method, params)).toEqual(problem);
  });
  it.each([
    ['SendMessage', { message: message(), configuration: { historyLength: 0, returnImmediately: true } }],
    [
      'SendMessage',
      {
        message: message({
          role: 2,
          parts: [{ data: { a: 1 } }, { url: 'https://x/y', mediaType: 'text/plain' }, { raw: 'aGk=' }],
        }),
      },
    ],
    ['SendMessage', { message: { message_id: 'm', role: 'ROLE_AGENT', parts: [{ text: 'x' }] } }],
    ['ListTasks', {}],
    [
      'ListTasks',
      {
        contextId: 'c',
        pageSize: 100,
        status: 'TASK_STATE_WORKING',
        statusTimestampAfter: '2025-10-28T10:30:00.000Z',
        includeArtifacts: true,
      },
    ],
    ['ListTasks', { statusTimestampAfter: '2025-10-28T10:30:00Z', pageSize: 1 }],
    ['GetTask', { id: 't', historyLength: 0 }],
  ])('%s %j passes', (method, params) => {
    expect(paramsProblem('1.0', method, params)).toBeUndefined();
  });
  it('v0.3: a negative historyLength is refused as well', () => {
    expect(paramsProblem('0.3', 'tasks/get', { id: 't', historyLength: -1 })).toBe('params.historyLength must be >= 0');
    expect(
      paramsProblem('0.3', 'message/send', {
        message: { messageId: 'm', role: 'user', parts: [{ kind: 'text', text: 'x' }] },
        configuration: { historyLength: -2 },
      }),
    ).toBe('params.configuration.historyLength must be >= 0');
  });
});

describe('task states by name in error messages (A2A 1.0 §4.1.3 TaskState; v0.3 TaskState)', () => {
  it.each([
    [
      'Task t is in a terminal state (3) and cannot be modified.',
      '1.0',
      'Task t is in a terminal state (TASK_STATE_COMPLETED) and cannot be modified.',
    ],
    [
      'Task t is in a terminal state (5) and cannot be subscribed to.',
      '1.0',
      'Task t is in a terminal state (TASK_STATE_CANCELED) and cannot be subscribed to.',
    ],
    [
      'Task t is in a terminal state (3) and cannot be modified.',
      '0.3',
      'Task t is in a terminal state (completed) and cannot be modified.',
    ],
    [
      'Task t is in a terminal state (99) and cannot be modified.',
      '1.0',
      'Task t is in a terminal state (99) and cannot be modified.',
    ],
    ['Task not found: t', '1.0', 'Task not found: t'],
  ])('%s (A2A %s)', (input, version, output) => {
    expect(nameTaskStates(input, version)).toBe(output);
  });
  it('v0.3 names are the kebab-case ones', () => {
    expect(taskStateName(6, '0.3')).toBe('input-required');
    expect(taskStateName(6, '1.0')).toBe('TASK_STATE_INPUT_REQUIRED');
  });
});
