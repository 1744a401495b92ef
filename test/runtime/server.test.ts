// The HTTP surface: bad input never crashes the process and gets the protocol's answer; health, readiness, metrics
// and the agent card for v1.0 and v0.3 clients.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { baseConfig, clientFor, rpc, startAgent } from './helpers.js';
import { userMessage } from '../../runtime/a2a/parts.js';

let llm: MockLlm;
let rt: Awaited<ReturnType<typeof startAgent>>;
beforeAll(async () => {
  llm = await startMockLlm(() => ({ text: 'ok' }));
  rt = await startAgent(baseConfig(llm.url));
});
afterAll(async () => {
  await rt?.close();
  await llm?.close();
});

describe('bad input', () => {
  it('malformed JSON gets a JSON-RPC parse error', async () => {
    const res = await rpc(rt.url, '{"jsonrpc": "2.0", "method": ');
    expect(res.json.error.code).toBe(-32700);
  });

  it.each([
    ['an array', [1, 2, 3]],
    ['a string', '"hello"'],
    ['an object without method', { jsonrpc: '2.0', id: 7 }],
    ['null', 'null'],
  ])('%s gets an invalid-request error', async (_name, body) => {
    const res = await rpc(rt.url, body);
    expect(res.json.error.code).toBe(-32600);
  });

  it('an unknown method gets method-not-found', async () => {
    const res = await rpc(rt.url, { jsonrpc: '2.0', id: 1, method: 'tasks/explode', params: {} });
    expect(res.json.error.code).toBe(-32601);
    expect(res.json.id).toBe(1);
  });

  it('a body over 1 MiB gets 413', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: 'x',
          role: 'user',
          parts: [{ kind: 'text', text: 'a'.repeat(1024 * 1024 + 10) }],
        },
      },
    });
    const res = await rpc(rt.url, big);
    expect(res.status).toBe(413);
    expect(res.json.error.message).toMatch(/exceeds 1048576 bytes/);
    expect(llm.requests).toHaveLength(0);
  });

  it('a wrong content type is refused', async () => {
    const res = await fetch(rt.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    const json = (await res.json()) as { error?: unknown };
    expect(json.error).toBeDefined();
  });

  it('an unknown task id gets the protocol error, v0.3 and v1.0', async () => {
    const legacy = await rpc(rt.url, { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { id: 'no-such-task' } });
    expect(legacy.json.error.code).toBe(-32001);
    const cancel = await rpc(rt.url, { jsonrpc: '2.0', id: 4, method: 'tasks/cancel', params: { id: 'no-such-task' } });
    expect(cancel.json.error.code).toBe(-32001);
    const client = await clientFor(rt.url);
    await expect(client.getTask({ tenant: '', id: 'no-such-task' } as never)).rejects.toThrow(/not found/i);
  });

  it.each([
    ['tasks/get', '0.3'],
    ['tasks/cancel', '0.3'],
    ['tasks/resubscribe', '0.3'],
    ['GetTask', '1.0'],
    ['SubscribeToTask', '1.0'],
  ])('%s (A2A %s) with a non-string task id gets invalid params naming it', async (method, version) => {
    const res = await rpc(
      rt.url,
      { jsonrpc: '2.0', id: 6, method, params: { id: { not: 'a string' } } },
      { 'A2A-Version': version },
    );
    // A2A 1.0 streaming methods answer an SSE stream, here of one error event (§9.4.6).
    const body = method === 'SubscribeToTask' ? JSON.parse(res.text.replace(/^data: /, '')) : res.json;
    expect(body).toMatchObject({ id: 6, error: { code: -32602 } });
    expect(body.error.message).toBe('Invalid params: params.id must be string');
  });

  it('optional fields sent as null (as some clients serialise "not set") are accepted', async () => {
    const res = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 8,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: 'nulls',
          role: 'user',
          parts: [{ kind: 'text', text: 'hi', metadata: null }],
          taskId: null,
          contextId: null,
          referenceTaskIds: null,
          extensions: null,
          metadata: null,
        },
        configuration: { acceptedOutputModes: null, historyLength: null, blocking: true, pushNotificationConfig: null },
        metadata: null,
      },
    });
    expect(res.json.result?.status?.state, JSON.stringify(res.json)).toBe('completed');
  });

  it('a message without parts or with a bad role is refused, not crashed on', async () => {
    const res = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 5,
      method: 'message/send',
      params: { message: { kind: 'message', messageId: 'm', role: 'martian', parts: 'nope' } },
    });
    expect(res.json.error).toBeDefined();
  });

  describe('request bodies', () => {
    const send = {
      jsonrpc: '2.0',
      id: 9,
      method: 'message/send',
      params: {
        message: { kind: 'message', messageId: 'body-test', role: 'user', parts: [{ kind: 'text', text: 'hi' }] },
      },
    };

    /** A raw HTTP/1.1 POST, so the test controls framing (chunked, declared length) and can stop half-way. */
    function rawPost(
      headers: Record<string, string>,
      write: (req: ClientRequest) => void,
    ): Promise<{ status: number; json: any }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(rt.url, { method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
        });
        req.on('error', reject);
        write(req);
      });
    }

    it('a charset=utf-8 body is read like a plain one', async () => {
      const res = await rpc(rt.url, send, { 'content-type': 'Application/JSON; charset="UTF-8"' });
      expect(res.json.result.status.state).toBe('completed');
    });

    it('a gzip-encoded body is inflated and answered', async () => {
      const res = await fetch(rt.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ ...send, id: 10 })),
      });
      const json = (await res.json()) as { id: number; result: { status: { state: string } } };
      expect(json.id).toBe(10);
      expect(json.result.status.state).toBe('completed');
    });

    it('a body in another charset is refused with an error, not misread', async () => {
      const res = await rpc(rt.url, send, { 'content-type': 'application/json; charset=iso-8859-1' });
      expect(res.status).toBe(415);
      expect(res.json.error.code).toBe(-32600);
    });

    it('a chunked body (no declared length) over 1 MiB gets 413 once the limit is passed', async () => {
      const before = llm.requests.length;
      const res = await rawPost({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, (req) => {
        req.write('{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"text":"');
        const piece = 'a'.repeat(64 * 1024);
        for (let i = 0; i < 17; i++) req.write(piece);
        req.end('"}}');
      });
      expect(res.status).toBe(413);
      expect(res.json.error.message).toMatch(/exceeds 1048576 bytes/);
      expect(llm.requests.length).toBe(before);
    });

    it('an empty body is an invalid request', async () => {
      const res = await rawPost({ 'content-type': 'application/json', 'content-length': '0' }, (req) => req.end());
      expect(res.json.error.code).toBe(-32600);
    });

    it('a client that goes away half-way through its body does not disturb the server', async () => {
      await new Promise<void>((resolve) => {
        const req = httpRequest(rt.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': '1000' },
        });
        req.on('error', () => resolve());
        req.write('{"jsonrpc":"2.0","id":1,');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50);
      });
      const res = await rpc(rt.url, { ...send, id: 11 });
      expect(res.json.result.status.state).toBe('completed');
    });
  });

  it('the server is still healthy and answers after all that', async () => {
    expect((await fetch(`${rt.url}/health`)).status).toBe(200);
    const client = await clientFor(rt.url);
    const result = await client.sendMessage({
      tenant: '',
      message: userMessage('still there?'),
      configuration: undefined,
      metadata: undefined,
    });
    expect('status' in result && result.status?.state).toBe(3);
  });
});

describe('operations', () => {
  it('health and readiness', async () => {
    expect(await (await fetch(`${rt.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${rt.url}/ready`);
    expect(ready.status).toBe(200);
  });

  it('metrics count A2A requests, tasks and tokens', async () => {
    const text = await (await fetch(`${rt.url}/metrics`)).text();
    expect(text).toMatch(
      /metagent_runtime_a2a_requests_total\{[^}]*method="SendMessage"[^}]*\} \d+|metagent_runtime_a2a_requests_total\{[^}]*method="message\/send"/,
    );
    expect(text).toContain('metagent_runtime_task_duration_seconds');
    expect(text).toMatch(/metagent_runtime_llm_tokens_total\{[^}]*\} [1-9]/);
  });

  it('serves the v1.0 card to v1.0 clients and the v0.3 card to v0.3 clients', async () => {
    const v1 = (await (
      await fetch(`${rt.url}/.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } })
    ).json()) as {
      supportedInterfaces: { protocolBinding: string; protocolVersion: string; url: string }[];
    };
    expect(v1.supportedInterfaces.map((i) => `${i.protocolBinding} ${i.protocolVersion}`)).toEqual([
      'JSONRPC 0.3',
      'JSONRPC 1.0',
      'HTTP+JSON 0.3',
      'HTTP+JSON 1.0',
    ]);
    expect(v1.supportedInterfaces[0].url).toBe(rt.url);
    const v03 = (await (await fetch(`${rt.url}/.well-known/agent-card.json`)).json()) as {
      protocolVersion: string;
      url: string;
      name: string;
      additionalInterfaces?: { transport: string }[];
    };
    expect(v03.protocolVersion).toBe('0.3.0'.slice(0, v03.protocolVersion.length));
    expect(v03.url).toBe(rt.url);
    expect(v03.additionalInterfaces?.map((i: { transport: string }) => i.transport)).toContain('HTTP+JSON');
    expect(v03.name).toBe('test_agent');
  });

  it('an unknown path is a 404', async () => {
    expect((await fetch(`${rt.url}/nope`)).status).toBe(404);
  });
});
