// A scripted model for long-term memory tests: "remember: X" calls save_memory with X, "recall: Y" calls load_memory
// with Y, and after a tool result the model answers `tool said: <result>`, so a test reads what the tool returned
// from the answer. Anything else is answered "ok".
import type { ChatRequestBody, MockTurn } from './mock-llm.js';

export function memoryScript(body: ChatRequestBody): MockTurn {
  const last = body.messages[body.messages.length - 1];
  if (last.role === 'tool') return { text: `tool said: ${String(last.content)}` };
  const text = String(last.content);
  if (text.startsWith('remember:'))
    return { toolCalls: [{ name: 'save_memory', arguments: { content: text.slice(9).trim() } }] };
  if (text.startsWith('recall:'))
    return { toolCalls: [{ name: 'load_memory', arguments: { query: text.slice(7).trim() } }] };
  return { text: 'ok' };
}
