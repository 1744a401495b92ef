// A scripted model for share-link tests: "share" calls create_share_link (no arguments: kagent's read-only default),
// "share rw" with read_only false, "share args: {...}" with those arguments, "list" calls list_share_links,
// "delete: X" calls delete_share_link for X ("delete:" alone with no arguments). After a tool result the model answers
// `tool said: <result>`; anything else is answered `echo: <text> (<n> user messages seen)`, so a test can tell how
// much of the conversation the model was given.
import type { ChatRequestBody, MockTurn } from './mock-llm.js';

export function shareScript(body: ChatRequestBody): MockTurn {
  const last = body.messages[body.messages.length - 1];
  if (last.role === 'tool') return { text: `tool said: ${String(last.content)}` };
  const text = String(last.content);
  const call = (name: string, args: Record<string, unknown>): MockTurn => ({ toolCalls: [{ name, arguments: args }] });
  if (text === 'share') return call('create_share_link', {});
  if (text === 'share rw') return call('create_share_link', { read_only: false });
  if (text.startsWith('share args:')) return call('create_share_link', JSON.parse(text.slice(11)));
  if (text === 'list') return call('list_share_links', {});
  if (text === 'delete:') return call('delete_share_link', {});
  if (text.startsWith('delete:')) return call('delete_share_link', { token: text.slice(7).trim() });
  const users = body.messages.filter((m) => m.role === 'user').length;
  return { text: `echo: ${text} (${users} user messages seen)` };
}

/** The token and the link in create_share_link's answer (as the model repeated it). */
export const tokenIn = (answer: string) => /Token: (\S+)/.exec(answer)?.[1] ?? '';
export const linkIn = (answer: string) => /: (\S*\/agents\/\S+\?share=\S+)/.exec(answer)?.[1] ?? '';

/** A v0.3 JSON-RPC message/send body (kagent's wire format) with one text part into `contextId`. */
export function v03Send(text: string, contextId: string, messageId = `m-${text}`) {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'message/send',
    params: { message: { kind: 'message', messageId, role: 'user', contextId, parts: [{ kind: 'text', text }] } },
  };
}
