// What a visitor of a share link sees: the user and assistant texts of the shared context's conversation, in order.
// Never the system prompt, a compaction summary, tool calls or tool results (which may carry what a tool read with
// the owner's rights), nor attachments' bytes. The context's live share tokens are hidden wherever a text repeats them
// (the model's answer to create_share_link does), so a read-only visitor cannot find a writable token there.

export const HIDDEN_TOKEN = '[share token hidden]';

export interface TranscriptMessage {
  role: 'user' | 'assistant';
  text: string;
}

/** The conversation store's messages (ChatMessage JSON) as the visitor's transcript, `tokens` hidden. */
export function transcriptOf(messages: readonly unknown[], tokens: readonly string[] = []): TranscriptMessage[] {
  const hide = (text: string) => tokens.reduce((t, token) => t.replaceAll(token, HIDDEN_TOKEN), text);
  const out: TranscriptMessage[] = [];
  for (const m of messages) {
    const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
    if ((role === 'user' || role === 'assistant') && typeof content === 'string' && content.trim())
      out.push({ role, text: hide(content) });
  }
  return out;
}
