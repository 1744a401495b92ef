// One JSON POST for the provider APIs no SDK of ours covers (Vertex's predict and generateContent): the model's fetch,
// the user's headers, a non-2xx answer a ModelApiError with the status, the provider's own message (key masked) and
// its Retry-After.
import { ModelApiError, networkError, providerMessage, redact, retryAfterMs, statusText } from './model-error.js';

/** The request's headers: the user's (ModelConfig headers) win over ours, except content-type. */
function requestHeaders(bearer: string, accept: string, user: Record<string, string>): Headers {
  const h = new Headers({ accept, authorization: `Bearer ${bearer}` });
  for (const [k, v] of Object.entries(user)) h.set(k, v);
  h.set('content-type', 'application/json');
  return h;
}

/** The failure a non-2xx answer stands for, from its body text. */
function httpFailure(res: Response, text: string, bearer: string): ModelApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined; // a proxy's HTML page: the status says enough
  }
  const found = providerMessage(parsed);
  return new ModelApiError(
    redact(found.message ?? statusText(res.status), [bearer]),
    'http',
    res.status,
    found.code,
    retryAfterMs(res.headers),
  );
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** The media type asked for (text/event-stream for a stream). */
  accept?: string;
}

/** The POST, answered 2xx (its body unread, for a stream to read), else a ModelApiError. */
export async function postOk(
  fetchFn: typeof fetch,
  url: string,
  body: unknown,
  bearer: string,
  signal: AbortSignal,
  opts: PostOptions = {},
): Promise<Response> {
  try {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: requestHeaders(bearer, opts.accept ?? 'application/json', opts.headers ?? {}),
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) throw httpFailure(res, await res.text(), bearer);
    return res;
  } catch (err) {
    if (signal.aborted) throw signal.reason ?? err;
    if (err instanceof ModelApiError) throw err;
    throw networkError(err, url);
  }
}

/** The POST, its 2xx answer parsed as JSON. */
export async function postJson(...args: Parameters<typeof postOk>): Promise<unknown> {
  const [, url, , , signal] = args;
  const res = await postOk(...args);
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    if (signal.aborted) throw signal.reason ?? err;
    throw networkError(err, url);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ModelApiError(
      `invalid JSON in the response (HTTP ${res.status}, ${text.length} characters): ${(err as Error).message}`,
      'response',
    );
  }
}
