// What a visitor of a share link sees: the user and assistant texts of the shared context's conversation, in order.
// Never the system prompt, a compaction summary, tool calls or tool results (which may carry what a tool read with
// the owner's rights), nor attachments' bytes.

export interface TranscriptMessage {
  role: 'user' | 'assistant';
  text: string;
}

/** The conversation store's messages (ChatMessage JSON) as the visitor's transcript. */
export function transcriptOf(messages: readonly unknown[]): TranscriptMessage[] {
  const out: TranscriptMessage[] = [];
  for (const m of messages) {
    const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
    if ((role === 'user' || role === 'assistant') && typeof content === 'string' && content.trim())
      out.push({ role, text: content });
  }
  return out;
}
