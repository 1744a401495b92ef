// kagent-adk's prefetch_memory: on the first message of a conversation, the memories closest to it are given to the
// model as an instruction, so past context is there without the model having to call load_memory first.
import type { MemoryHit } from './types.js';

/** The instruction for these hits (kagent's wording and tags), or undefined when there are none. */
export function pastConversationsInstruction(hits: readonly MemoryHit[]): string | undefined {
  const lines = hits.map((h) => h.content.trim()).filter(Boolean);
  if (!lines.length) return undefined;
  return (
    "The following content is from your previous conversations with the user. It may be useful for answering the user's current query.\n" +
    `<PAST_CONVERSATIONS>\n${lines.join('\n')}\n</PAST_CONVERSATIONS>\n`
  );
}
