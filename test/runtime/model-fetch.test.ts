// The fetch the Anthropic SDK and Bedrock call (runtime/models/request-fetch.ts): undici's request() under fetch's contract —
// real Responses, error statuses as responses, streamed SSE, decoded gzip/br, fetch's errors for network failures and
// aborts, and the real fetch for what it leaves alone (redirects, stream/form bodies).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { requestFetch } from '../../runtime/models/request-fetch.js';
import { modelFetch } from '../../runtime/models/http.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let base = '';
const seen: Seen[] = [];
let releaseSecondEvent: () => void = () => undefined;
let server: ReturnType<typeof createServer>;

const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/json': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'set-cookie': ['a=1', 'b=2'],
      'x-request-id': 'req-1',
    });
    res.end(JSON.stringify({ ok: true }));
  },
  '/error': (_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { message: 'slow down' } }));
  },
  '/sse': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    // The second event waits for the client to have read the first: a fetch that buffered the body would hang here.
    void new Promise<void>((r) => (releaseSecondEvent = r)).then(() => res.end('data: two\n\n'));
  },
  '/sse-hang': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
  },
  '/sse-cut': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.destroy(), 30); // the connection drops mid-body
  },
  '/sse-burst': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < 50; i++) res.write(`data: ${i}\n\n`);
    setTimeout(() => res.end('data: end\n\n'), 50);
  },
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify({ zipped: 'gzip' })));
  },
  '/br-text': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
    res.end(brotliCompressSync('brotli text'));
  },
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/redirect': (_req, res) => {
    res.writeHead(307, { location: '/echo' });
    res.end();
  },
  '/echo': (req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, body }));
  },
  '/slow': () => undefined, // never answers
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      (routes[req.url!] ?? routes['/json'])(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const shim = () => {
  const fallback = vi.fn(fetch);
  return {
    fallback,
    fetch: requestFetch({
      connect: async () => ({ undici: await import('undici'), dispatcher: new (await import('undici')).Agent() }),
      fallback: fallback as typeof fetch,
    }),
  };
};

describe('request-based fetch', () => {
  it('returns a real Response with status, headers, url and the JSON body; sends method, body and headers', async () => {
    const { fetch: f, fallback } = shim();
    const headers = new Headers({ 'content-type': 'application/json', 'x-custom': 'one' });
    const res = await f(`${base}/json`, { method: 'post', headers, body: JSON.stringify({ q: 1 }) });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.statusText).toBe('OK');
    expect(res.url).toBe(`${base}/json`);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ ok: true });
    const got = seen.at(-1)!;
    expect(got).toMatchObject({ method: 'POST', url: '/json', body: '{"q":1}' });
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom': 'one',
      accept: '*/*',
      'accept-encoding': 'gzip, deflate',
    });
    expect(fallback).not.toHaveBeenCalled();
  });

  it('joins same-name headers of a plain object as Headers would, and keeps a caller accept header', async () => {
    const { fetch: f } = shim();
    await (
      await f(`${base}/json`, {
        method: 'POST',
        headers: { 'X-Dup': 'a', 'x-dup': 'b', Accept: 'application/json' },
        body: new TextEncoder().encode('bytes'),
      })
    ).text();
    const got = seen.at(-1)!;
    expect(got.headers['x-dup']).toBe('a, b');
    expect(got.headers.accept).toBe('application/json');
    expect(got.body).toBe('bytes');
  });

  it('an error status is a response, not a rejection', async () => {
    const { fetch: f } = shim();
    const res = await f(`${base}/error`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(res.ok).toBe(false);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: { message: 'slow down' } });
  });

  it('streams an event-stream body as it arrives', async () => {
    const { fetch: f } = shim();
    const res = await f(`${base}/sse`, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    releaseSecondEvent();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: two\n\n');
  });

  it('a streamed body cancelled before it is read ends quietly: nothing is thrown later, from data already on its way', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const { fetch: f } = shim();
      for (let i = 0; i < 5; i++) {
        const res = await f(`${base}/sse-burst`, { method: 'POST', body: '{}' });
        await res.body!.cancel();
      }
      // A cancel after one read, as a decoder that stops early does.
      const res = await f(`${base}/sse-burst`, { method: 'POST', body: '{}' });
      const reader = res.body!.getReader();
      await reader.read();
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 150)); // past the server's last write
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('a connection that drops mid-body fails the read instead of ending the body as if complete', async () => {
    const { fetch: f } = shim();
    const res = await f(`${base}/sse-cut`, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    await expect(reader.read()).rejects.toThrow();
  });

  it('decodes gzip and brotli bodies', async () => {
    const { fetch: f } = shim();
    expect(await (await f(`${base}/gzip`)).json()).toEqual({ zipped: 'gzip' });
    expect(await (await f(`${base}/br-text`)).text()).toBe('brotli text');
  });

  it('a 204 has a null body', async () => {
    const { fetch: f } = shim();
    const res = await f(`${base}/empty`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('a network failure rejects like fetch: TypeError "fetch failed" with the cause', async () => {
    const { fetch: f } = shim();
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const err = (await f(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    )) as TypeError & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('fetch failed');
    expect(err.cause?.code).toBe('ECONNREFUSED');
  });

  it('an abort rejects with the signal reason, before the answer and while a streamed body is read', async () => {
    const { fetch: f } = shim();
    const c1 = new AbortController();
    const pending = f(`${base}/slow`, { method: 'POST', body: '{}', signal: c1.signal });
    setTimeout(() => c1.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const c2 = new AbortController();
    const res = await f(`${base}/sse-hang`, { method: 'POST', body: '{}', signal: c2.signal });
    const reader = res.body!.getReader();
    await reader.read();
    c2.abort(new Error('task cancelled'));
    await expect(reader.read()).rejects.toThrow('task cancelled');

    const c3 = new AbortController();
    c3.abort();
    await expect(f(`${base}/json`, { signal: c3.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('leaves redirects, Request objects and stream bodies to the real fetch', async () => {
    const { fetch: f, fallback } = shim();
    const res = await f(`${base}/redirect`, { method: 'POST', body: 'keep me' });
    expect(await res.json()).toEqual({ method: 'POST', body: 'keep me' });
    expect(fallback).toHaveBeenCalledTimes(1);
    await (await f(new Request(`${base}/json`))).text();
    await (await f(`${base}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1' }) })).text();
    expect(fallback).toHaveBeenCalledTimes(3);
    expect(seen.at(-1)!.body).toBe('a=1');
  });

  it('carries the openai SDK end to end, plain and streamed (modelFetch)', async () => {
    const llm = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (JSON.parse(body).stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for (const part of ['Hel', 'lo'])
            res.write(
              `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: part } }] })}\n\n`,
            );
          res.end('data: [DONE]\n\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'c',
            object: 'chat.completion',
            created: 0,
            model: 'm',
            choices: [{ index: 0, message: { role: 'assistant', content: 'plain' }, finish_reason: 'stop' }],
          }),
        );
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    try {
      const client = new OpenAI({
        apiKey: 'k',
        baseURL: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`,
        maxRetries: 0,
        fetch: modelFetch({ type: 'openai', model: 'm' } as never) as never,
      });
      const plain = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      expect(plain.choices[0].message.content).toBe('plain');
      let text = '';
      for await (const chunk of await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }))
        text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('Hello');
    } finally {
      llm.closeAllConnections();
      await new Promise((r) => llm.close(r));
    }
  });
});
