// The conversation in Gemini's native generateContent shape (Vertex AI), and its answers back as the runtime's:
// system messages become the systemInstruction, the assistant is role "model" with text and functionCall parts, tool
// results are functionResponse parts of a "user" turn (consecutive results in one turn, as Gemini expects), and the
// thoughtSignature Gemini 2.5+/3 puts on a functionCall part is kept on the ToolCall and sent back with it.
import { userParts } from './attachments.js';
import { ModelApiError } from './model-error.js';
import type { ChatMessage, ChatResult, ToolCall, ToolSpec } from './types.js';

export type GeminiPart = Record<string, unknown>;
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}
export interface GeminiRequestParts {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: Array<Record<string, unknown>> }>;
}

/** A JSON object (a tool's arguments or result), or undefined when the text is not one. */
function objectOf(raw: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function userContent(m: Extract<ChatMessage, { role: 'user' }>): GeminiContent {
  const parts = userParts(m).map((p): GeminiPart => {
    if (p.type === 'text') return { text: p.text };
    return p.uri !== undefined
      ? { fileData: { mimeType: p.mimeType, fileUri: p.uri } }
      : { inlineData: { mimeType: p.mimeType, data: p.data } };
  });
  // Gemini refuses a turn without parts.
  return { role: 'user', parts: parts.length ? parts : [{ text: '' }] };
}

function modelContent(m: Extract<ChatMessage, { role: 'assistant' }>): GeminiContent {
  const parts: GeminiPart[] = m.content ? [{ text: m.content }] : [];
  for (const tc of m.toolCalls ?? [])
    parts.push({
      functionCall: { name: tc.name, args: objectOf(tc.arguments || '{}') ?? {} },
      ...(tc.thoughtSignature ? { thoughtSignature: tc.thoughtSignature } : {}),
    });
  return { role: 'model', parts: parts.length ? parts : [{ text: '' }] };
}

/** A tool's result as functionResponse.response, which must be an object: a JSON object as is, else `{result}`. */
const responseOf = (content: string) => objectOf(content) ?? { result: content };

/** contents, systemInstruction and tools of a generateContent request (tools omitted when there are none). */
export function toGeminiRequest(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): GeminiRequestParts {
  const system: string[] = [];
  const contents: GeminiContent[] = [];
  let lastWasTool = false;
  for (const m of messages) {
    if (m.role === 'tool') {
      const part = { functionResponse: { name: m.name, response: responseOf(m.content) } };
      if (lastWasTool) contents.at(-1)!.parts.push(part);
      else contents.push({ role: 'user', parts: [part] });
      lastWasTool = true;
      continue;
    }
    lastWasTool = false;
    if (m.role === 'system') system.push(m.content);
    else if (m.role === 'user') contents.push(userContent(m));
    else contents.push(modelContent(m));
  }
  return {
    contents,
    ...(system.length ? { systemInstruction: { parts: system.map((text) => ({ text })) } } : {}),
    ...(tools.length
      ? {
          tools: [
            {
              // parametersJsonSchema takes plain JSON Schema, so the tools' schemas go as they are.
              functionDeclarations: tools.map((t) => ({
                name: t.name,
                description: t.description,
                parametersJsonSchema: t.parameters,
              })),
            },
          ],
        }
      : {}),
  };
}

interface WirePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name?: string; args?: unknown };
}
export interface WireResponse {
  candidates?: Array<{
    index?: number;
    content?: { parts?: WirePart[] };
    finishReason?: string;
    finishMessage?: string;
  }>;
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number };
  error?: unknown;
}

/** The candidate the agent reads: the first (index 0; with candidateCount > 1 a chunk may carry others). */
export const firstCandidate = (res: WireResponse) => res.candidates?.find((c) => (c.index ?? 0) === 0);

/** Finish reasons that mean the answer was withheld or unusable (Gemini's FinishReason), not that it ended. */
const FAILED_FINISH = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'MALFORMED_FUNCTION_CALL',
  'UNEXPECTED_TOOL_CALL',
]);

/** Throws, naming Gemini's reason, when a response (or stream chunk) says the prompt or the answer was blocked. */
export function checkBlocked(res: WireResponse, kind: 'response' | 'stream'): void {
  const block = res.promptFeedback?.blockReason;
  if (block) {
    const why = res.promptFeedback?.blockReasonMessage;
    throw new ModelApiError(`Gemini blocked the prompt (blockReason ${block}${why ? `: ${why}` : ''})`, kind);
  }
  const finish = firstCandidate(res)?.finishReason;
  if (finish && FAILED_FINISH.has(finish)) {
    const why = firstCandidate(res)?.finishMessage;
    throw new ModelApiError(`Gemini stopped the answer (finishReason ${finish}${why ? `: ${why}` : ''})`, kind);
  }
}

/** The text (thoughts left out) and function calls of a response's first candidate; `index` numbers made-up ids. */
export function partsOf(res: WireResponse, firstIndex = 0): { text: string; toolCalls: ToolCall[] } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const p of firstCandidate(res)?.content?.parts ?? []) {
    if (p.thought) continue;
    if (typeof p.text === 'string') text += p.text;
    const fc = p.functionCall;
    if (fc && typeof fc.name === 'string') {
      // Gemini may omit call ids: one numbered in the answer's order stands in.
      const id = typeof fc.id === 'string' && fc.id ? fc.id : `call_${firstIndex + toolCalls.length}`;
      toolCalls.push({
        id,
        name: fc.name,
        arguments: JSON.stringify(fc.args ?? {}),
        ...(p.thoughtSignature ? { thoughtSignature: p.thoughtSignature } : {}),
      });
    }
  }
  return { text, toolCalls };
}

export const usageOf = (res: WireResponse): ChatResult['usage'] => ({
  input: res.usageMetadata?.promptTokenCount ?? 0,
  output: res.usageMetadata?.candidatesTokenCount ?? 0,
});

/** A whole generateContent answer as the runtime's result. */
export function fromGeminiResponse(res: WireResponse): ChatResult {
  if (!res || typeof res !== 'object')
    throw new ModelApiError('the response is not a generateContent response', 'response');
  checkBlocked(res, 'response');
  if (!res.candidates?.length)
    throw new ModelApiError('Gemini answered with no candidates (and no blockReason)', 'response');
  return { ...partsOf(res), usage: usageOf(res) };
}
