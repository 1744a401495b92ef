// One credential that expires (AWS temporary keys, Google access tokens): fetched when first needed, reused until
// five minutes before it expires, and fetched once for all callers waiting at the same time.
const REFRESH_BEFORE_MS = 5 * 60_000;
/** How long one fetch may take; it is shared by every caller waiting, so no single caller's signal governs it. */
const FETCH_TIMEOUT_MS = 30_000;

export interface Expiring<T> {
  value: T;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export function expiringCache<T>(
  fetchOnce: (signal: AbortSignal) => Promise<Expiring<T>>,
  now: () => number,
): () => Promise<T> {
  let current: Expiring<T> | undefined;
  let inFlight: Promise<T> | undefined;
  return () => {
    if (current && current.expiresAt - REFRESH_BEFORE_MS > now()) return Promise.resolve(current.value);
    inFlight ??= fetchOnce(AbortSignal.timeout(FETCH_TIMEOUT_MS))
      .then((got) => {
        current = got;
        return got.value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
