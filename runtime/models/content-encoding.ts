// Undoing a response's content-encoding. undici's request() hands over the bytes as sent (fetch decodes them for you),
// so both the request-based fetch and the chat-completions client decode here: gzip, deflate and br, as fetch does.
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** What fetch sends as accept-encoding (brotli only over TLS); kept so servers see what they saw through fetch. */
export function acceptEncoding(https: boolean): string {
  return https ? 'br, gzip, deflate' : 'gzip, deflate';
}

/** The body with its content-encoding undone; unknown codings are passed through untouched, as fetch does. */
export function decoded(body: Readable, encoding: string | string[] | undefined): Readable {
  if (encoding === undefined) return body;
  const codings = (Array.isArray(encoding) ? encoding.join(',') : encoding)
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (!codings.length || codings.some((c) => !DECODERS[c])) return body;
  let out: Readable = body;
  for (const c of codings.reverse()) {
    const next = DECODERS[c]() as unknown as Readable;
    out.on('error', (err) => next.destroy(err));
    out.pipe(next as unknown as NodeJS.WritableStream);
    out = next;
  }
  return out;
}
