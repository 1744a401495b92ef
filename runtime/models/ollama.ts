// Ollama through its native /api/chat and the ollama SDK, as kagent's runtime calls it: the ModelConfig's options
// (num_ctx, ...) typed and sent with every call (ollama-options.ts). kagent passes the host as OLLAMA_API_BASE, without
// /v1 (a trailing /v1 is accepted and stripped). Ollama takes no key, so a caller's key (api_key_passthrough) is not
// forwarded.
//
// The SDK's HTTP goes through the model's fetch (http.ts: TLS options, timeouts), wrapped per call to carry the call's
// abort signal (the SDK passes none for an answer that is not streamed) and to turn a non-2xx answer into a
// ModelApiError with Ollama's message and the Retry-After (the SDK's own error keeps neither the headers nor quiet:
// it prints to the console).
import { randomUUID } from 'node:crypto';
import { Ollama, type ChatResponse } from 'ollama';
import type { ModelConfig } from '../../contract/config.js';
import type { ModelHttp } from './http.js';
import { ModelApiError, networkError, providerMessage, retryAfterMs, statusText } from './model-error.js';
import { checkedBase } from './openai-compatible.js';
import { fromOllamaToolCalls, toOllamaMessages, toOllamaTools } from './ollama-messages.js';
import { ollamaOptions, thinkOf } from './ollama-options.js';
import type { ChatModel, ChatRequest, ChatResult, ProviderFactory } from './types.js';

const newId = () => `call_${randomUUID()}`;

async function httpError(res: Response): Promise<ModelApiError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await res.text());
  } catch {
    parsed = undefined; // a proxy's HTML page: the status says enough
  }
  const found = providerMessage(parsed);
  return new ModelApiError(
    found.message ?? statusText(res.status),
    'http',
    res.status,
    found.code,
    retryAfterMs(res.headers),
  );
}

/** The model's fetch for one call: the call's signal, the user's headers over the SDK's, non-2xx as ModelApiError. */
function callFetch(http: ModelHttp, signal: AbortSignal, headers: Record<string, string>): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const merged = new Headers(init?.headers);
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-type') merged.set(k, v);
    let res: Response;
    try {
      res = await http.fetch(input, {
        ...init,
        headers: merged,
        signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason ?? err;
      throw networkError(err, String(input instanceof Request ? input.url : input));
    }
    if (!res.ok) throw await httpError(res);
    return res;
  }) as typeof fetch;
}

export class OllamaModel implements ChatModel {
  readonly provider = 'ollama';
  private readonly options: Record<string, unknown>;
  private readonly think: ReturnType<typeof thinkOf>;
  private readonly headers: Record<string, string>;

  constructor(
    readonly model: string,
    private readonly host: string,
    private readonly http: ModelHttp,
    cfg: ModelConfig,
  ) {
    this.options = ollamaOptions(cfg);
    this.think = thinkOf(cfg);
    this.headers = cfg.headers ?? {};
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    const client = new Ollama({ host: this.host, fetch: callFetch(this.http, req.signal, this.headers) });
    const request = {
      model: this.model,
      messages: toOllamaMessages(req.messages),
      ...(req.tools.length ? { tools: toOllamaTools(req.tools) } : {}),
      ...(Object.keys(this.options).length ? { options: this.options } : {}),
      ...(this.think !== undefined ? { think: this.think } : {}),
    };
    try {
      if (!req.onText) return resultOf(await client.chat({ ...request, stream: false }));
      let text = '';
      const calls: unknown[] = [];
      let last: ChatResponse | undefined;
      for await (const chunk of await client.chat({ ...request, stream: true })) {
        const delta = chunk.message?.content;
        if (delta) {
          text += delta;
          req.onText(delta);
        }
        calls.push(...(chunk.message?.tool_calls ?? []));
        last = chunk;
      }
      if (!last?.done) throw new ModelApiError('the stream ended before the model finished (no done)', 'stream');
      return { text, toolCalls: fromOllamaToolCalls(calls, newId), usage: usageOf(last) };
    } catch (err) {
      throw failure(err, req.signal);
    }
  }
}

function resultOf(res: ChatResponse): ChatResult {
  if (!res || typeof res !== 'object' || !res.message)
    throw new ModelApiError('the response is not an Ollama chat response (no message)', 'response');
  return {
    text: res.message.content ?? '',
    toolCalls: fromOllamaToolCalls(res.message.tool_calls, newId),
    usage: usageOf(res),
  };
}

const usageOf = (res: ChatResponse) => ({ input: res.prompt_eval_count ?? 0, output: res.eval_count ?? 0 });

/** What the SDK threw, as the runtime's errors: an `{"error": ...}` line of a stream or a cut stream is a stream error. */
function failure(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason ?? err;
  if (err instanceof ModelApiError || !(err instanceof Error)) return err;
  if (err instanceof SyntaxError)
    return new ModelApiError(`invalid JSON in the response: ${err.message}`.slice(0, 500), 'response');
  if (err instanceof TypeError) return networkError(err, undefined);
  return new ModelApiError(err.message.slice(0, 500), 'stream');
}

export const createOllama: ProviderFactory = (cfg, env, http) => {
  let host = (cfg.base_url || env.OLLAMA_API_BASE || 'http://localhost:11434').replace(/\/+$/, '');
  if (host.endsWith('/v1')) host = host.slice(0, -3);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) host = `http://${host}`;
  return new OllamaModel(cfg.model, checkedBase(host), http, cfg);
};
