// kagent's automatic memory: every 5th user message of a conversation, the agent's own model extracts what is worth
// remembering from the turns since the last such save (kagent-adk summarises a session into a JSON list of facts
// before embedding it), and each fact becomes a memory of the caller. Pure: when, what text, the request, the answer.
import type { ChatMessage } from '../models/types.js';

/** kagent saves every 5th user message. */
export const AUTO_SAVE_EVERY = 5;
/** Bounds on what one save keeps: a model that rambles cannot flood the store. */
const MAX_FACTS = 20;
const MAX_FACT_CHARS = 2000;

export const FACTS_INSTRUCTION = `You extract long-term memories from a conversation between a user and an assistant.
Keep what will help the assistant in future conversations with this user: preferences, decisions and explicit requests;
important facts (names, dates, systems, projects); commitments and action items; background context; lessons learned.
Answer with a JSON array of strings, one short self-contained fact per string, and nothing else. Answer [] if nothing is worth keeping.`;

const userCount = (conversation: readonly ChatMessage[]) => conversation.filter((m) => m.role === 'user').length;

/** Whether this turn, whose conversation (system messages aside) this is, is one that saves. */
export function autoSaveDue(conversation: readonly ChatMessage[]): boolean {
  const n = userCount(conversation);
  return n > 0 && n % AUTO_SAVE_EVERY === 0;
}

/**
 * The last `turns` user turns as text: what the user and the assistant said, and what the tools answered (kagent
 * keeps tool results and drops the calls themselves).
 */
export function recentTurnsText(conversation: readonly ChatMessage[], turns = AUTO_SAVE_EVERY): string {
  let start = conversation.length;
  for (let seen = 0; start > 0 && seen < turns;) if (conversation[--start].role === 'user') seen++;
  const lines: string[] = [];
  for (const m of conversation.slice(start)) {
    if (m.role === 'user' && m.content.trim()) lines.push(`user: ${m.content}`);
    else if (m.role === 'assistant' && m.content.trim()) lines.push(`assistant: ${m.content}`);
    else if (m.role === 'tool' && m.content.trim()) lines.push(`tool ${m.name}: ${m.content}`);
  }
  return lines.join('\n');
}

/** The request to the agent's model. */
export function factsRequest(text: string): ChatMessage[] {
  return [
    { role: 'system', content: FACTS_INSTRUCTION },
    { role: 'user', content: text },
  ];
}

/**
 * The facts in the model's answer: a JSON array of strings (a Markdown code fence around it is tolerated), trimmed,
 * without empty ones or repeats, at most 20 of at most 2000 characters. Anything else is an error saying so: a save
 * that cannot be read saves nothing rather than the whole conversation as one memory.
 */
export function parseFacts(answer: string): string[] {
  const body = answer
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('the model did not answer with a JSON array of facts');
  }
  if (!Array.isArray(parsed) || parsed.some((f) => typeof f !== 'string'))
    throw new Error('the model did not answer with a JSON array of strings');
  const facts = [...new Set((parsed as string[]).map((f) => f.trim()).filter(Boolean))];
  return facts.slice(0, MAX_FACTS).map((f) => f.slice(0, MAX_FACT_CHARS));
}
