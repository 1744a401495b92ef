// The openai SDK's client for every provider that speaks OpenAI's wire format (openai, azure_openai through the SDK's
// AzureOpenAI, gemini's and Vertex's OpenAI-compatible endpoints, any OpenAI-compatible base_url such as Ollama's /v1),
// and for their embeddings. The SDK's
// own retries are off: the runtime has one retry layer (retry.ts) for every provider, which honours Retry-After within
// the task's deadline; the SDK's would wait at most 60 s, ignore the deadline, and multiply with ours.
//
// The fetch under the SDK is the model's (http.ts: its TLS options and connection pool), wrapped to fix two things the
// SDK cannot see: a provider error body that is not OpenAI's shape (Ollama's `{error: "..."}`, Google's array, a
// proxy's HTML page) is rewritten to `{error: {message, code}}` so the SDK's error carries the provider's own message;
// and a JSON completion answered to a streaming request (a server that ignored `stream: true`) becomes the one event
// of a stream, so it is still the answer.
import OpenAI, { APIConnectionError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import type { ModelHttp } from './http.js';
import { ModelApiError, networkError, providerMessage, redact, retryAfterMs, statusText } from './model-error.js';

export interface OpenAiClientOptions {
  apiKey: string;
  /** The API base (…/v1), or for Azure the resource base (…/openai, or one naming a deployment). */
  baseURL: string;
  /** Azure OpenAI: the api-version query and the deployment the SDK puts into the path. */
  azure?: { apiVersion: string; deployment: string };
  organization?: string;
  project?: string;
  /** The user's `headers` (ModelConfig.defaultHeaders): they win over the SDK's, except content-type. */
  headers?: Record<string, string>;
}

const LONG = 24 * 3600 * 1000;

export function openAiClient(http: ModelHttp, o: OpenAiClientOptions): OpenAI {
  const common = {
    apiKey: o.apiKey,
    maxRetries: 0,
    // Per-attempt deadlines are retry.ts's (through the signal); the SDK's own timer must never fire first.
    timeout: LONG,
    defaultHeaders: o.headers ?? {},
    fetch: providerFetch(http.fetch),
  };
  if (o.azure)
    return new AzureOpenAI({
      ...common,
      baseURL: o.baseURL,
      apiVersion: o.azure.apiVersion,
      deployment: o.azure.deployment,
    });
  return new OpenAI({
    ...common,
    baseURL: o.baseURL,
    organization: o.organization ?? null,
    project: o.project ?? null,
  });
}

/** The header a per-call key (api_key_passthrough) travels in, as the SDK sends the configured one. */
export function keyHeaders(azure: boolean, apiKey: string | undefined): Record<string, string> | undefined {
  if (!apiKey) return undefined;
  return azure ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
}

/**
 * An SDK failure as a ModelApiError (or the abort reason when aborted, as fetch rejects), any of `keys` masked.
 * `url` names the server in a network error.
 */
export function openAiFailure(
  err: unknown,
  signal: AbortSignal,
  keys: Array<string | undefined>,
  url: string,
): unknown {
  if (signal.aborted) return signal.reason ?? err;
  if (err instanceof ModelApiError || err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionError) return networkError(err, url);
  if (err instanceof APIError) {
    // A status: an HTTP answer (its body made OpenAI-shaped below). None: an error event in a stream.
    const found = providerMessage({ error: err.error });
    const message = redact(found.message ?? err.message, keys);
    // No `cause`: the SDK's own message may quote the key the provider echoed.
    return err.status
      ? new ModelApiError(message, 'http', err.status, found.code, retryAfterMs(err.headers))
      : new ModelApiError(message, 'stream', found.status, found.code);
  }
  if (err instanceof SyntaxError)
    return new ModelApiError(`invalid JSON in the response: ${err.message}`.slice(0, 500), 'response');
  return err;
}

function copyHeaders(from: Headers, contentType: string): Headers {
  const h = new Headers(from);
  // The body is re-encoded as plain text here: its length and coding are no longer the server's.
  h.delete('content-length');
  h.delete('content-encoding');
  h.set('content-type', contentType);
  return h;
}

function wantsStream(init: RequestInit | undefined): boolean {
  return typeof init?.body === 'string' && init.body.includes('"stream":true');
}

function providerFetch(inner: typeof fetch): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const res = await inner(input, init);
    const type = res.headers.get('content-type')?.toLowerCase() ?? '';
    if (res.status >= 300) {
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined; // an HTML error page from a proxy: its status says enough
      }
      const found = providerMessage(parsed);
      const location = res.headers.get('location');
      const message =
        found.message ??
        (location
          ? `${statusText(res.status).replace(/ \(.*$/, '')} (redirect to ${location} not followed)`
          : statusText(res.status));
      return new Response(JSON.stringify({ error: { message, code: found.code ?? null } }), {
        status: res.status,
        statusText: res.statusText,
        headers: copyHeaders(res.headers, 'application/json'),
      });
    }
    if (type.startsWith('application/json') && wantsStream(init)) {
      const completion = (await res.json()) as Record<string, unknown>;
      return new Response(`data: ${JSON.stringify(asChunk(completion))}\n\ndata: [DONE]\n\n`, {
        status: res.status,
        headers: copyHeaders(res.headers, 'text/event-stream'),
      });
    }
    return res;
  }) as typeof fetch;
}

interface WholeCompletion {
  error?: unknown;
  choices?: Array<{
    message?: { content?: string | null; tool_calls?: Array<{ id: string; function?: object }> | null };
    finish_reason?: string | null;
  }>;
  usage?: unknown;
}

/** A whole completion as the one chunk of a stream (an error object stays an error event). */
function asChunk(body: Record<string, unknown>): unknown {
  const c = body as WholeCompletion;
  if (c.error) return { error: c.error };
  return {
    choices: (c.choices ?? []).map((choice, i) => ({
      index: i,
      delta: {
        content: choice.message?.content ?? null,
        tool_calls: (choice.message?.tool_calls ?? []).map((tc, index) => ({
          index,
          id: tc.id,
          function: tc.function,
        })),
      },
      finish_reason: choice.finish_reason ?? 'stop',
    })),
    usage: c.usage ?? null,
  };
}
