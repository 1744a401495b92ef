// The application/json body parser: plain JSON.parse for the bodies the API server sends, fastify's own parser
// (secure-json-parse, "__proto__"/"constructor" keys refused with 400) for everything else.
//
// fastify's parser scans every body with two regular expressions for "__proto__" and "constructor" keys, written
// plainly or with \u escapes. A body that contains neither word and no "\u" at all cannot match them, and for such a
// body secure-json-parse returns exactly JSON.parse's result; that check is a few substring searches instead of the
// two regex scans. Any other body — suspicious, empty, with a BOM, or not JSON at all — goes to fastify's parser,
// so the responses (400 messages included) are the same as before.
import type { FastifyInstance, FastifyRequest } from 'fastify';

type Done = (err: Error | null, body?: unknown) => void;

/** Whether secure-json-parse's poisoning scan could find anything in `text` (false: JSON.parse's result is final). */
export function maybePoisoned(text: string): boolean {
  return text.includes('\\u') || text.includes('__proto__') || text.includes('constructor');
}

export function useFastJsonBodies(app: FastifyInstance): void {
  const fallback = app.getDefaultJsonParser('error', 'error') as (
    req: FastifyRequest,
    body: string,
    done: Done,
  ) => void;
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done: Done) => {
    const text = body as string;
    if (text.length === 0 || maybePoisoned(text)) return fallback(req, text, done);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fallback(req, text, done); // the same 400 as before
    }
    done(null, parsed);
  });
}
