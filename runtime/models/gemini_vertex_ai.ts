// Gemini on Vertex AI (kagent's `gemini_vertex_ai`, from a GeminiVertexAI ModelConfig) through Vertex's native
// generateContent / streamGenerateContent REST API, so that every generation field of the ModelConfig (topK too, which
// the OpenAI-compatible endpoint lacks) reaches the model in generationConfig. A Google access token
// (google-credentials.ts) is the bearer of each call; a caller's own token (api_key_passthrough) wins. Project and
// location come from GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION, which the sync hook sets (vertex.ts).
import type { ModelConfig } from '../../contract/config.js';
import type { ModelHttp } from './http.js';
import {
  checkBlocked,
  firstCandidate,
  fromGeminiResponse,
  partsOf,
  toGeminiRequest,
  usageOf,
  type WireResponse,
} from './gemini-contents.js';
import { googleTokenSource, type TokenSource } from './google-credentials.js';
import { postJson, postOk } from './json-post.js';
import { ModelApiError, networkError, providerMessage } from './model-error.js';
import { checkedBase } from './openai-compatible.js';
import type { ChatModel, ChatRequest, ChatResult, ProviderFactory, ToolCall } from './types.js';
import { vertexBase } from './vertex.js';

/** config.json's generation keys and their generationConfig names; only the keys set are sent. */
const GENERATION: ReadonlyArray<[keyof ModelConfig, string]> = [
  ['temperature', 'temperature'],
  ['top_p', 'topP'],
  ['top_k', 'topK'],
  ['candidate_count', 'candidateCount'],
  ['response_mime_type', 'responseMimeType'],
  ['seed', 'seed'],
  ['presence_penalty', 'presencePenalty'],
  ['frequency_penalty', 'frequencyPenalty'],
];

/** The request's generationConfig: kagent's max_output_tokens (else a hand-written max_tokens) is maxOutputTokens. */
export function generationConfig(cfg: ModelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of GENERATION) if (cfg[key] !== undefined && cfg[key] !== '') out[name] = cfg[key];
  const limit = cfg.max_output_tokens ?? cfg.max_tokens;
  if (limit !== undefined) out.maxOutputTokens = limit;
  if (cfg.stop_sequences?.length) out.stopSequences = [...cfg.stop_sequences];
  return out;
}

/** Gemini models are published by Google; the OpenAI-compatible endpoint's "google/<model>" name is accepted too. */
const modelId = (model: string) => model.replace(/^google\//, '');

class VertexGeminiModel implements ChatModel {
  readonly provider = 'gemini_vertex_ai';
  private readonly generation: Record<string, unknown>;

  constructor(
    readonly model: string,
    private readonly modelUrl: string,
    private readonly http: ModelHttp,
    private readonly tokens: TokenSource,
    private readonly cfg: ModelConfig,
  ) {
    this.generation = generationConfig(cfg);
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    const bearer = req.apiKey || (await this.tokens.get());
    const body = {
      ...toGeminiRequest(req.messages, req.tools),
      ...(Object.keys(this.generation).length ? { generationConfig: this.generation } : {}),
    };
    const headers = this.cfg.headers ?? {};
    if (!req.onText) {
      const url = `${this.modelUrl}:generateContent`;
      return fromGeminiResponse(
        (await postJson(this.http.fetch, url, body, bearer, req.signal, { headers })) as WireResponse,
      );
    }
    const url = `${this.modelUrl}:streamGenerateContent?alt=sse`;
    const res = await postOk(this.http.fetch, url, body, bearer, req.signal, { headers, accept: 'text/event-stream' });
    try {
      return await readStream(res, req.onText);
    } catch (err) {
      if (req.signal.aborted) throw req.signal.reason ?? err;
      if (err instanceof ModelApiError) throw err;
      throw networkError(err, url);
    }
  }
}

/** Each SSE event's data: one GenerateContentResponse. */
async function* sseData(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (data.length) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
  }
  if (buffer.startsWith('data:')) data.push(buffer.slice(5).replace(/^ /, ''));
  if (data.length) yield data.join('\n');
}

/** A streamed answer: text deltas to onText as they come; function calls arrive whole, in chunks of their own. */
async function readStream(res: Response, onText: (delta: string) => void): Promise<ChatResult> {
  let text = '';
  const toolCalls: ToolCall[] = [];
  let usage = { input: 0, output: 0 };
  let finished = false;
  for await (const data of sseData(res)) {
    let chunk: WireResponse;
    try {
      chunk = JSON.parse(data) as WireResponse;
    } catch (err) {
      throw new ModelApiError(`invalid JSON in the stream: ${(err as Error).message}`.slice(0, 500), 'stream');
    }
    if (chunk.error) {
      const found = providerMessage(chunk);
      throw new ModelApiError(found.message ?? 'error without a message', 'stream', found.status, found.code);
    }
    checkBlocked(chunk, 'stream');
    const parts = partsOf(chunk, toolCalls.length);
    if (parts.text) {
      text += parts.text;
      onText(parts.text);
    }
    toolCalls.push(...parts.toolCalls);
    if (chunk.usageMetadata) usage = usageOf(chunk);
    if (firstCandidate(chunk)?.finishReason) finished = true;
  }
  if (!finished) throw new ModelApiError('the stream ended before the model finished (no finishReason)', 'stream');
  return { text, toolCalls, usage };
}

export const createGeminiVertexAi: ProviderFactory = (cfg, env, http) => {
  // A base_url written for the OpenAI-compatible endpoint (…/endpoints/openapi) names the same project and location.
  const base = checkedBase(vertexBase(cfg, env, 'gemini_vertex_ai').replace(/\/endpoints\/openapi$/, ''));
  const model = modelId(cfg.model);
  const modelUrl = `${base}/publishers/google/models/${encodeURIComponent(model)}`;
  return new VertexGeminiModel(model, modelUrl, http, googleTokenSource(env, http.fetch), cfg);
};
