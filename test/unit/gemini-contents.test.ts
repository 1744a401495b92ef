// The pure mapping between the runtime's conversation and Gemini's generateContent shape (Vertex AI's native API):
// roles, parts, tool calls with their thoughtSignature, tool results grouped into one turn, attachments, and the
// answers back, blocked ones failing with Gemini's reason.
import { describe, expect, it } from 'vitest';
import { fromGeminiResponse, toGeminiRequest, type WireResponse } from '../../runtime/models/gemini-contents.js';
import { generationConfig } from '../../runtime/models/gemini_vertex_ai.js';
import type { ChatMessage } from '../../runtime/models/types.js';

describe('toGeminiRequest', () => {
  it('system → systemInstruction, assistant → model with functionCall parts, consecutive tool results → one user turn', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'pods?' },
      {
        role: 'assistant',
        content: 'looking',
        toolCalls: [
          { id: 'call_0', name: 'list_pods', arguments: '{"ns":"default"}', thoughtSignature: 'sig-a' },
          { id: 'call_1', name: 'list_nodes', arguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'call_0', name: 'list_pods', content: '{"pods":["a"]}' },
      { role: 'tool', toolCallId: 'call_1', name: 'list_nodes', content: 'node-1' },
      { role: 'user', content: 'thanks' },
    ];
    const tools = [{ name: 'list_pods', description: 'List pods', parameters: { type: 'object', properties: {} } }];
    expect(toGeminiRequest(messages, tools)).toEqual({
      systemInstruction: { parts: [{ text: 'be brief' }] },
      contents: [
        { role: 'user', parts: [{ text: 'pods?' }] },
        {
          role: 'model',
          parts: [
            { text: 'looking' },
            { functionCall: { name: 'list_pods', args: { ns: 'default' } }, thoughtSignature: 'sig-a' },
            { functionCall: { name: 'list_nodes', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'list_pods', response: { pods: ['a'] } } },
            // Not a JSON object: wrapped, as functionResponse.response must be one.
            { functionResponse: { name: 'list_nodes', response: { result: 'node-1' } } },
          ],
        },
        { role: 'user', parts: [{ text: 'thanks' }] },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'list_pods', description: 'List pods', parametersJsonSchema: { type: 'object', properties: {} } },
          ],
        },
      ],
    });
  });

  it('no tools and no system message: neither key is sent; an empty assistant turn keeps one empty text part', () => {
    const out = toGeminiRequest(
      [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '' },
      ],
      [],
    );
    expect(out).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        { role: 'model', parts: [{ text: '' }] },
      ],
    });
  });

  it('attachments: bytes as inlineData, URIs as fileData, text files as text', () => {
    const out = toGeminiRequest(
      [
        {
          role: 'user',
          content: 'look',
          attachments: [
            { mimeType: 'image/png', data: 'iVBOR' },
            { mimeType: 'application/pdf', uri: 'gs://bucket/r.pdf', name: 'r.pdf' },
            { mimeType: 'text/plain', data: Buffer.from('hello').toString('base64'), name: 'n.txt' },
          ],
        },
      ],
      [],
    );
    expect(out.contents[0].parts).toEqual([
      { text: 'look' },
      { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/r.pdf' } },
      { text: 'Attached file n.txt (text/plain):\nhello' },
    ]);
  });
});

describe('fromGeminiResponse', () => {
  it('text (thoughts left out), function calls with made-up ids and their thoughtSignature, usage', () => {
    const res: WireResponse = {
      candidates: [
        {
          content: {
            parts: [
              { text: 'thinking...', thought: true },
              { text: 'calling ' },
              { text: 'tools' },
              { functionCall: { name: 'a', args: { x: 1 } }, thoughtSignature: 'sig-1' },
              { functionCall: { id: 'given', name: 'b' } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 7 },
    };
    expect(fromGeminiResponse(res)).toEqual({
      text: 'calling tools',
      toolCalls: [
        { id: 'call_0', name: 'a', arguments: '{"x":1}', thoughtSignature: 'sig-1' },
        { id: 'given', name: 'b', arguments: '{}' },
      ],
      usage: { input: 12, output: 7 },
    });
  });

  it('with several candidates, the one of index 0 is read', () => {
    const res: WireResponse = {
      candidates: [
        { index: 1, content: { parts: [{ text: 'second' }] }, finishReason: 'SAFETY' },
        { index: 0, content: { parts: [{ text: 'first' }] }, finishReason: 'STOP' },
      ],
    };
    expect(fromGeminiResponse(res)).toEqual({ text: 'first', toolCalls: [], usage: { input: 0, output: 0 } });
  });

  it.each([
    [{ promptFeedback: { blockReason: 'SAFETY' } }, 'Gemini blocked the prompt (blockReason SAFETY)'],
    [
      { promptFeedback: { blockReason: 'OTHER', blockReasonMessage: 'no' } },
      'Gemini blocked the prompt (blockReason OTHER: no)',
    ],
    [{ candidates: [{ finishReason: 'SAFETY' }] }, 'Gemini stopped the answer (finishReason SAFETY)'],
    [
      { candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'bad call' }] },
      'Gemini stopped the answer (finishReason MALFORMED_FUNCTION_CALL: bad call)',
    ],
    [{ candidates: [] }, 'Gemini answered with no candidates (and no blockReason)'],
  ])('%j fails: %s', (res, message) => {
    expect(() => fromGeminiResponse(res as WireResponse)).toThrow(message);
  });
});

describe('generationConfig', () => {
  it('every generation key of config.json under its Gemini name; only the keys set', () => {
    expect(
      generationConfig({
        type: 'gemini_vertex_ai',
        model: 'm',
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        max_output_tokens: 256,
        stop_sequences: ['END'],
        candidate_count: 2,
        response_mime_type: 'application/json',
      }),
    ).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['END'],
      candidateCount: 2,
      responseMimeType: 'application/json',
    });
    expect(generationConfig({ type: 'gemini_vertex_ai', model: 'm', stop_sequences: [] })).toEqual({});
    // A hand-written max_tokens is the limit when max_output_tokens is not set.
    expect(generationConfig({ type: 'gemini_vertex_ai', model: 'm', max_tokens: 9 })).toEqual({ maxOutputTokens: 9 });
  });
});
