// A recording HTTP endpoint for provider tests (STS, token and metadata endpoints, Bedrock, Vertex): every request is
// kept, and `answer` decides each response; or, for server-sent events, `answer` may write the response itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A canned answer: the body is sent as is when a string, else as JSON. */
export interface FakeAnswer {
  status?: number;
  type?: string;
  headers?: Record<string, string>;
  body: unknown;
}

export interface FakeHttp {
  url: string;
  /** host:port, for variables that take a host (GCE_METADATA_HOST). */
  host: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startFakeHttp(
  answer: (req: SeenRequest, res: ServerResponse) => FakeAnswer | undefined,
): Promise<FakeHttp> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(r);
      const a = answer(r, res);
      if (!a) return; // answered by `answer` itself
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/json', ...a.headers });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host, seen, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * A GCE/GKE metadata server as google-auth-library's gcp-metadata expects one (every answer says Metadata-Flavor:
 * Google; it pings /computeMetadata/v1/instance before asking for a token), handing out `token`.
 */
export function startFakeMetadata(token: string): Promise<FakeHttp> {
  return startFakeHttp((req) => {
    const headers = { 'metadata-flavor': 'Google' };
    if (req.url.startsWith('/computeMetadata/v1/instance/service-accounts/default/token'))
      return { headers, body: { access_token: token, expires_in: 3000, token_type: 'Bearer' } };
    return { headers, type: 'text/plain', body: '' };
  });
}

/** Anthropic's Messages stream for `message` (one text block, its text in the given deltas). */
export function writeAnthropicStream(
  res: ServerResponse,
  message: Record<string, unknown>,
  deltas: string[],
  usage: { input: number; output: number },
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const ev = (type: string, data: object) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  ev('message_start', { message: { ...message, content: [], usage: { input_tokens: usage.input, output_tokens: 0 } } });
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  for (const text of deltas) ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
  ev('content_block_stop', { index: 0 });
  ev('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  ev('message_stop', {});
  res.end();
}
