// Reads a JSON-RPC request body for the A2A endpoint. The common request — `application/json`, UTF-8 (or no charset),
// no content encoding — is read and parsed here directly: express.json() (content-type parsing, type matching,
// raw-body, iconv decoding) cost about a tenth of the runtime's CPU per message/send. Anything else (gzip bodies,
// other charsets) goes to express.json(), and a wrong media type is left for the SDK's own content-type check.
import express, { type RequestHandler } from 'express';

/** Thrown (through `next`) like body-parser's errors, so one error handler answers both parsers. */
export class BodyError extends Error {
  constructor(
    readonly type: 'entity.too.large' | 'entity.parse.failed' | 'request.aborted',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const UTF8_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-?8"?\s*)?$/i;

function plainUtf8Json(headers: import('node:http').IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  const encoding = headers['content-encoding'];
  return (
    type !== undefined && UTF8_JSON.test(type) && (encoding === undefined || encoding.toLowerCase() === 'identity')
  );
}

export function jsonBody(maxBytes: number): RequestHandler {
  // The REST binding's bodies may be application/a2a+json (A2A 1.0 §11).
  const fallback = express.json({ limit: maxBytes, strict: false, type: ['application/json', 'application/a2a+json'] });
  return (req, res, next) => {
    if (!plainUtf8Json(req.headers)) return fallback(req, res, next);
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && declared > maxBytes) {
      req.resume(); // discard, so the connection can carry the answer
      return next(new BodyError('entity.too.large', 413, 'request entity too large'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      next(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.resume();
        finish(new BodyError('entity.too.large', 413, 'request entity too large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      try {
        req.body = text === '' ? {} : JSON.parse(text);
      } catch {
        finish(new BodyError('entity.parse.failed', 400, 'invalid JSON'));
        return;
      }
      finish();
    };
    const onError = (err: Error) => finish(new BodyError('request.aborted', 400, err.message));
    const onAborted = () => finish(new BodyError('request.aborted', 400, 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  };
}
