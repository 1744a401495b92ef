// One error shape for a failed model call, whatever SDK made it: the numeric `status` and the provider's `Retry-After`
// (retry.ts decides on both), the provider's own short message with the key masked, and what kind of failure it was.
// The SDKs' errors (openai, @anthropic-ai/sdk) are translated here, so nothing above runtime/models sees an SDK class.
import { STATUS_CODES } from 'node:http';

export type ModelApiErrorKind =
  /** the server answered with a non-2xx status */
  | 'http'
  /** no answer: connection refused or reset, DNS, TLS */
  | 'network'
  /** a 2xx answer that is not a completion (malformed JSON, an error object) */
  | 'response'
  /** a streamed answer that failed: an error event, or the stream ended before the model finished */
  | 'stream';

export class ModelApiError extends Error {
  override readonly name = 'ModelApiError';
  constructor(
    message: string,
    readonly kind: ModelApiErrorKind,
    /** HTTP status (or an error event's numeric code); absent for network failures and truncated streams. */
    readonly status?: number,
    /** The provider's error type/code, or the system error code of a network failure (ECONNREFUSED). */
    readonly code?: string,
    /** How long the provider asked us to wait before the next attempt (Retry-After / retry-after-ms), in ms. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MAX_MESSAGE = 500;

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  // Duck-typed: undici's fetch (the model's, http.ts) answers with undici's own Headers class, not the global one.
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The wait a response asks for, in ms: `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Absent, unparseable or negative values give undefined; a date in the past gives 0.
 */
export function retryAfterMs(headers: HeaderSource, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const raw = header(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  // An HTTP-date names its day and month ("Thu, 03 Dec 2026 12:00:30 GMT"); Date.parse would read "-3" as a year.
  const at = /[a-z]/i.test(raw) ? Date.parse(raw) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The provider's own short message from an error body: OpenAI's `{error: {message, type, code}}`, Ollama's
 * `{error: "..."}`, a top-level `message` or FastAPI's `detail`; Google wraps the object in an array.
 */
export function providerMessage(body: unknown): { message?: string; code?: string; status?: number } {
  const top = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | undefined;
  const inner = top && typeof top === 'object' ? top.error : undefined;
  const obj = (inner && typeof inner === 'object' ? inner : top && typeof top === 'object' ? top : {}) as Record<
    string,
    unknown
  >;
  const message =
    typeof inner === 'string' && inner
      ? inner
      : typeof obj.message === 'string' && obj.message
        ? obj.message
        : typeof obj.detail === 'string' && obj.detail
          ? obj.detail
          : undefined;
  const rawCode = obj.code ?? obj.type;
  const code = rawCode === undefined || rawCode === null ? undefined : String(rawCode);
  // An error event in a stream may carry the HTTP status it stands for (vLLM, LiteLLM): retry.ts decides on it.
  const n = Number(obj.code);
  const status = Number.isInteger(n) && n >= 400 && n <= 599 ? n : undefined;
  return { message, code, status };
}

/** The key masked wherever a provider echoes it back ("Incorrect API key provided: sk-..."). */
export function redact(message: string, keys: Array<string | undefined>): string {
  let out = message;
  for (const key of keys) if (key && key.length >= 8) out = out.split(key).join('***');
  return out.slice(0, MAX_MESSAGE);
}

/** The HTTP reason phrase for a status without a message of its own. */
export function statusText(status: number): string {
  return `${STATUS_CODES[status] ?? 'HTTP error'} (no error message in the response)`;
}

/** A setting that cannot be used (an unreadable CA file): its message names the field and is passed on as is. */
export class ModelSetupError extends Error {
  override readonly name = 'ModelSetupError';
}

/**
 * A call that got no answer: the innermost system error's message and code, naming the server, never the path. The
 * SDKs wrap fetch failures ("Connection error."); a ModelSetupError anywhere in the chain is returned itself.
 */
export function networkError(err: unknown, url: string | undefined): ModelApiError | ModelSetupError {
  let inner: unknown = err;
  for (let i = 0; i < 5; i++) {
    if (inner instanceof ModelSetupError) return inner;
    const next = (inner as { cause?: unknown })?.cause;
    if (!(next instanceof Error)) break;
    inner = next;
  }
  if (inner instanceof ModelSetupError) return inner;
  const e = inner as NodeJS.ErrnoException;
  let where = 'the model server';
  try {
    if (url) where = new URL(url).origin;
  } catch {
    /* keep the generic name */
  }
  return new ModelApiError(
    `request to ${where} failed: ${e?.message || String(err)}`.slice(0, MAX_MESSAGE),
    'network',
    undefined,
    e?.code,
  );
}
