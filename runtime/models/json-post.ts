// One JSON POST for the provider APIs no SDK of ours covers (Vertex's predict): the model's fetch, the answer parsed,
// a non-2xx answer a ModelApiError with the status, the provider's own message (key masked) and its Retry-After.
import { ModelApiError, networkError, providerMessage, redact, retryAfterMs, statusText } from './model-error.js';

export async function postJson(
  fetchFn: typeof fetch,
  url: string,
  body: unknown,
  bearer: string,
  signal: AbortSignal,
): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (signal.aborted) throw signal.reason ?? err;
    throw networkError(err, url);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    if (res.ok)
      throw new ModelApiError(
        `invalid JSON in the response (HTTP ${res.status}, ${text.length} characters): ${(err as Error).message}`,
        'response',
      );
  }
  if (!res.ok) {
    const found = providerMessage(parsed);
    throw new ModelApiError(
      redact(found.message ?? statusText(res.status), [bearer]),
      'http',
      res.status,
      found.code,
      retryAfterMs(res.headers),
    );
  }
  return parsed;
}
