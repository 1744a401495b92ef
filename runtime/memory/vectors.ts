// Vector arithmetic of the memory store, pure: fitting a provider's vector to the stored dimension, cosine ranking,
// and the compact text form rows keep (base64 of little-endian float32: 4 KiB per 768-dim vector instead of ~15 KiB
// of JSON, and a plain text column in SQLite and PostgreSQL alike).

/** kagent stores 768-dim vectors (pgvector); every provider is asked for `dimensions: 768`. */
export const MEMORY_DIMENSIONS = 768;

/** L2-normalised copy (a zero vector stays zero). */
export function normalise(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = norm === 0 ? v[i] : v[i] / norm;
  return out;
}

/**
 * A provider's vector as stored: longer ones truncated to `dims` (Matryoshka-style models keep their meaning; kagent
 * does the same), then L2-normalised so cosine similarity is a dot product. Shorter ones cannot be padded
 * meaningfully: an error naming both sizes.
 */
export function fitVector(raw: unknown, dims = MEMORY_DIMENSIONS): Float32Array {
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new Error('the embedding response holds a vector that is not a list of numbers');
  }
  if (raw.length < dims)
    throw new Error(`the embedding model returned ${raw.length} dimensions; memory needs at least ${dims}`);
  return normalise(raw.length > dims ? raw.slice(0, dims) : raw);
}

/** Cosine similarity of two vectors of the same length (0 when either is zero). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function encodeVector(v: Float32Array): string {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i], true);
  return Buffer.from(bytes).toString('base64');
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // A search decodes every candidate: on little-endian hosts (all of Node's) one aligned copy, ~10x a DataView loop.
  if (LITTLE_ENDIAN)
    return new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength - (bytes.byteLength % 4))),
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The best `limit` candidates by cosine similarity to `query`, those under `minScore` left out; ties: newest first. */
export function rank<T extends { vector: Float32Array; createdAt: number }>(
  query: Float32Array,
  candidates: Iterable<T>,
  limit: number,
  minScore: number,
): Array<T & { score: number }> {
  const scored: Array<T & { score: number }> = [];
  for (const c of candidates) {
    const score = cosine(query, c.vector);
    if (score >= minScore) scored.push({ ...c, score });
  }
  scored.sort((x, y) => y.score - x.score || y.createdAt - x.createdAt);
  return scored.slice(0, Math.max(0, limit));
}
