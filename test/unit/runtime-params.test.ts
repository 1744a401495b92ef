// The v0.3 params check's messages: the field path as the rest of the project writes it, and what is wrong there.
import { describe, expect, it } from 'vitest';
import { paramsProblem } from '../../runtime/a2a/params.js';

describe('paramsProblem', () => {
  it.each([
    [
      { message: { messageId: 'm', role: 'user', parts: [{ kind: 'text' }] } },
      'params.message.parts[0].text is required',
    ],
    [{ message: { messageId: 'm', role: 'x', parts: [] } }, 'params.message.role must be one of "user", "agent"'],
    [{ message: { messageId: 'm', role: 'user', parts: [], taskId: 7 } }, 'params.message.taskId must be string,null'],
    ['nope', 'params must be object'],
    [{}, 'params.message is required'],
  ])('%j: %s', (params, message) => {
    expect(paramsProblem('0.3', 'message/send', params)).toBe(message);
  });
  it('methods it does not know are left to the SDK', () => {
    expect(paramsProblem('1.0', 'NoSuchMethod', 'anything')).toBeUndefined();
  });
});
