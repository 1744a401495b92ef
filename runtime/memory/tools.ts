// The two tools kagent gives a model with memory (kagent-adk's SaveMemoryTool and LoadMemoryTool): their names,
// descriptions and argument schemas as kagent declares them, so prompts written for kagent work unchanged. Failures
// throw; the executor hands them to the model as `Error: ...` tool results (the task goes on).
import type { Tool } from '../tools/types.js';
import type { MemoryHit } from './types.js';

export const SAVE_MEMORY = 'save_memory';
export const LOAD_MEMORY = 'load_memory';

/** What the tools need of the memory service, for one caller. */
export interface MemoryActions {
  save(content: string, signal: AbortSignal): Promise<void>;
  search(query: string, signal: AbortSignal): Promise<MemoryHit[]>;
}

function requiredText(args: Record<string, unknown>, field: string): string {
  const v = args[field];
  if (typeof v !== 'string' || !v.trim()) throw new Error(`${field} is required (a non-empty string)`);
  return v;
}

/**
 * load_memory's answer: ADK's SearchMemoryResponse as kagent returns it (`model_dump_json()`), each memory a
 * user-role Content with one text part.
 */
export function searchResponseJson(hits: MemoryHit[]): string {
  return JSON.stringify({
    memories: hits.map((h) => ({
      content: { parts: [{ text: h.content }], role: 'user' },
      custom_metadata: { score: Math.round(h.score * 1000) / 1000 },
      id: h.id,
      author: null,
      timestamp: new Date(h.createdAt).toISOString(),
    })),
  });
}

export function memoryTools(actions: MemoryActions, timeoutMs: number): Tool[] {
  const base = { source: 'memory', requireApproval: false, timeoutMs };
  return [
    {
      ...base,
      spec: {
        name: SAVE_MEMORY,
        description:
          'Saves a specific piece of information or text to long-term memory. Use this to remember important facts, user preferences, or specific details for future reference.',
        parameters: {
          type: 'object',
          properties: { content: { type: 'string', description: 'The text content or fact to save to memory.' } },
          required: ['content'],
        },
      },
      async call(args, ctx) {
        await actions.save(requiredText(args, 'content'), ctx.signal);
        return 'Successfully saved information to long-term memory.';
      },
    },
    {
      ...base,
      spec: {
        name: LOAD_MEMORY,
        description: 'Loads the memory for the current user. Returns a JSON string of memories.',
        parameters: {
          type: 'object',
          properties: { query: { type: 'string', description: 'The query to search memory for.' } },
          required: ['query'],
        },
      },
      async call(args, ctx) {
        return searchResponseJson(await actions.search(requiredText(args, 'query'), ctx.signal));
      },
    },
  ];
}
