// Deep copies for the in-memory stores. Node 20's structuredClone costs ~10 us even for a small task (it serialises
// and deserialises through V8's ValueSerializer); the stores copy on every load and save, and a message/send does
// eight of them, so they were a tenth of the runtime's CPU per request. Stored values are plain JSON-like data, which
// a recursive copy handles in a fraction of that; anything else goes to structuredClone, so the result is the same.
const MAX_DEPTH = 200;

class TooDeep extends Error {}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    // structuredClone throws DataCloneError on these; so does this copy.
    return typeof value === 'function' || typeof value === 'symbol' ? structuredClone(value) : value;
  }
  if (depth > MAX_DEPTH) throw new TooDeep(); // a cycle, or data too deep to be worth it: structuredClone decides
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  // Dates, typed arrays, Maps, class instances, ...: structuredClone's own rules.
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

/**
 * A deep copy equal to `structuredClone(value)` for the data the stores hold; cyclic or very deep values are
 * handed to structuredClone whole (which keeps cycles and shared references).
 */
export function deepCopy<T>(value: T): T {
  try {
    return copy(value, 0) as T;
  } catch (err) {
    if (err instanceof TooDeep) return structuredClone(value);
    throw err;
  }
}
