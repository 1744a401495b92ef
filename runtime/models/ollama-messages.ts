// The conversation in Ollama's /api/chat shape: tool calls with their arguments as objects, tool results as role
// `tool` naming the tool, images as bytes on the user message (the SDK sends them base64; bytes, never a string,
// because the SDK would read a string that names an existing file from disk).
import type { Message, Tool } from 'ollama';
import { userParts } from './attachments.js';
import type { ChatMessage, ToolCall, ToolSpec } from './types.js';

/** Ollama's message, plus the call ids newer Ollama versions read (older ones ignore them). */
type WireMessage = Message & { tool_call_id?: string };

function argumentsOf(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function userMessage(m: Extract<ChatMessage, { role: 'user' }>): WireMessage {
  if (!m.attachments?.length) return { role: 'user', content: m.content };
  const parts = userParts(m);
  const images = parts.flatMap((p) => (p.type === 'image' ? [Buffer.from(p.data ?? '', 'base64')] : []));
  const content = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n');
  return { role: 'user', content, ...(images.length ? { images } : {}) };
}

export function toOllamaMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((m): WireMessage => {
    switch (m.role) {
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content,
          ...(m.toolCalls?.length
            ? {
                tool_calls: m.toolCalls.map((tc) => ({
                  id: tc.id,
                  function: { name: tc.name, arguments: argumentsOf(tc.arguments) },
                })),
              }
            : {}),
        };
      case 'tool':
        return { role: 'tool', content: m.content, tool_name: m.name, tool_call_id: m.toolCallId };
      case 'user':
        return userMessage(m);
      default:
        return { role: m.role, content: m.content };
    }
  });
}

export function toOllamaTools(tools: readonly ToolSpec[]): Tool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters as Tool['function']['parameters'] },
  }));
}

interface WireToolCall {
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

/** The model's tool calls as the runtime's (arguments as JSON text); older Ollama versions send no id, so one is made. */
export function fromOllamaToolCalls(calls: readonly unknown[] | undefined, newId: () => string): ToolCall[] {
  return (calls ?? []).flatMap((raw) => {
    const tc = raw as WireToolCall;
    if (!tc?.function || typeof tc.function.name !== 'string') return [];
    const args = tc.function.arguments;
    return [
      {
        id: typeof tc.id === 'string' && tc.id ? tc.id : newId(),
        name: tc.function.name,
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      },
    ];
  });
}
