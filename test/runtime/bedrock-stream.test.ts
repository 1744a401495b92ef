// Bedrock streaming: a streaming caller (onText) gets ConverseStream, whose binary event-stream body is decoded as it
// arrives — against a real HTTP fake of Bedrock that writes frames with the test's own encoder, split across and
// packed within network writes. Also: tool input in pieces, usage, SigV4 on the stream URL, exception events as
// HTTP-like statuses for the retry policy, corrupt and truncated streams, abort, the non-stream path, and the whole
// runtime streaming a Bedrock answer over A2A message/stream.
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel } from '../../runtime/models/registry.js';
import { completeWithRetry } from '../../runtime/models/retry.js';
import { signV4 } from '../../runtime/models/sigv4.js';
import {
  decodeEventStream,
  EventStreamDecoder,
  type EventStreamMessage,
} from '../../runtime/models/aws-event-stream.js';
import type { ChatModel, ChatRequest } from '../../runtime/models/types.js';
import { startFakeHttp, type FakeHttp, type SeenRequest } from '../mocks/fake-http.js';
import { converseStreamFrames, encodeFrame, eventFrame, exceptionFrame } from '../mocks/aws-event-stream-encoder.js';
import { sseEvents, startAgent } from './helpers.js';

const MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const CREDS = { accessKeyId: 'AKIDSTREAM', secretAccessKey: 'stream/secret+key', sessionToken: 'stream-session' };
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDS.sessionToken,
};

const fakes: FakeHttp[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

type Answer = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

/** A Bedrock fake whose handler writes the response itself (as event-stream frames) or answers JSON. */
async function bedrock(answer: Answer): Promise<FakeHttp> {
  const f = await startFakeHttp((req, res) => {
    void Promise.resolve(answer(req, res)).catch((err) => res.destroy(err as Error));
    return undefined;
  });
  fakes.push(f);
  return f;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-1' });
  res.flushHeaders();
}

/** Writes `bytes` in separate network writes cut at the given offsets, pausing between them so they stay apart. */
async function writeCut(res: ServerResponse, bytes: Buffer, cuts: number[], pauseMs = 15): Promise<void> {
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    res.write(bytes.subarray(from, to));
    from = to;
    await sleep(pauseMs);
  }
}

async function model(base: string, env: NodeJS.ProcessEnv = AWS_ENV): Promise<ChatModel> {
  return createModel(
    { type: 'bedrock', model: MODEL_ID, region: 'eu-central-1', base_url: base, max_tokens: 256 },
    env,
  );
}

function request(over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'pods?' },
    ],
    tools: [
      {
        name: 'list_pods',
        description: 'List pods',
        parameters: { type: 'object', properties: { namespace: { type: 'string' } } },
      },
    ],
    signal: AbortSignal.timeout(10_000),
    ...over,
  };
}

/** The server side of SigV4: recompute the signature from what arrived. */
async function expectSigned(base: string, got: SeenRequest, region: string) {
  const d = String(got.headers['x-amz-date']);
  const now = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  const expected = await signV4({
    method: 'POST',
    url: `${base}${got.url}`,
    headers: { 'content-type': 'application/json' },
    body: got.body,
    region,
    service: 'bedrock',
    credentials: CREDS,
    now,
  });
  expect(got.headers.authorization).toBe(expected.authorization);
  expect(got.headers.authorization).toMatch(
    new RegExp(
      `^AWS4-HMAC-SHA256 Credential=AKIDSTREAM/\\d{8}/${region}/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$`,
    ),
  );
  expect(got.headers['x-amz-security-token']).toBe(CREDS.sessionToken);
}

describe('event-stream decoder', () => {
  const all = Buffer.concat(
    converseStreamFrames({
      text: ['Hé', 'llo 🌍'],
      tools: [{ id: 't1', name: 'x', input: ['{"a"', ':1}'] }],
      usage: { inputTokens: 3, outputTokens: 4 },
    }),
  );
  const summary = (ms: EventStreamMessage[]) =>
    ms.map((m) => `${String(m.headers[':event-type'])}:${new TextDecoder().decode(m.payload)}`);

  it('gives the same messages wherever the bytes are cut, and for every byte on its own', () => {
    const whole = new EventStreamDecoder().push(all);
    expect(whole.map((m) => m.headers[':event-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(JSON.parse(new TextDecoder().decode(whole[2].payload))).toMatchObject({ delta: { text: 'llo 🌍' } });
    for (let a = 1; a < all.length; a += 7) {
      for (const b of [a + 1, a + 13, a + 97]) {
        if (b >= all.length) continue;
        const d = new EventStreamDecoder();
        const got = [...d.push(all.subarray(0, a)), ...d.push(all.subarray(a, b)), ...d.push(all.subarray(b))];
        d.end();
        expect(summary(got)).toEqual(summary(whole));
      }
    }
    const d = new EventStreamDecoder();
    const bytewise = [...all].flatMap((byte) => d.push(Uint8Array.of(byte)));
    d.end();
    expect(summary(bytewise)).toEqual(summary(whole));
  });

  it('reads every header value type', () => {
    const uuid = '0123456789abcdef0123456789abcdef';
    const frame = encodeFrame(
      {
        t: { type: 'bool', value: true },
        f: { type: 'bool', value: false },
        b: { type: 'byte', value: -5 },
        s: { type: 'short', value: -300 },
        i: { type: 'int', value: 70000 },
        l: { type: 'long', value: -(2n ** 40n) },
        bin: { type: 'bytes', value: Uint8Array.of(1, 2, 255) },
        str: 'ünïcode',
        ts: { type: 'timestamp', value: new Date('2025-01-02T03:04:05.678Z') },
        id: { type: 'uuid', value: uuid },
      },
      Buffer.from('raw'),
    );
    const [m] = new EventStreamDecoder().push(frame);
    expect(m.headers).toEqual({
      t: true,
      f: false,
      b: -5,
      s: -300,
      i: 70000,
      l: -(2n ** 40n),
      bin: Uint8Array.of(1, 2, 255),
      str: 'ünïcode',
      ts: new Date('2025-01-02T03:04:05.678Z'),
      id: '01234567-89ab-cdef-0123-456789abcdef',
    });
    expect(Buffer.from(m.payload).toString()).toBe('raw');
  });

  it('names a bad prelude CRC, a bad message CRC, an unknown header type and a truncated stream', () => {
    const frame = eventFrame('messageStop', { stopReason: 'end_turn' });
    const badPrelude = Buffer.from(frame);
    badPrelude[9] ^= 0xff;
    expect(() => new EventStreamDecoder().push(badPrelude)).toThrow(/prelude CRC mismatch in message 0 \(at byte 0\)/);
    const badMessage = Buffer.concat([frame, frame]);
    badMessage[frame.length + frame.length - 6] ^= 0x01; // a payload byte of the second message
    expect(() => new EventStreamDecoder().push(badMessage)).toThrow(
      new RegExp(`message 1 \\(at byte ${frame.length}\\): The message checksum \\(\\d+\\) did not match`),
    );
    // A header of type 42, re-checksummed so only the type is wrong.
    const odd = encodeFrame({ x: 'y' }, {});
    odd[12 + 1 + 1] = 42; // prelude 12, name length 1, name 'x' 1: the type byte
    const fixed = fixCrc(odd);
    expect(() => new EventStreamDecoder().push(fixed)).toThrow(/message 0 \(at byte 0\): Unrecognized header type tag/);
    const d = new EventStreamDecoder();
    expect(d.push(frame.subarray(0, 5))).toEqual([]);
    expect(() => d.end()).toThrow(/ended inside the prelude of message 0 \(at byte 0\): 5 of 12 bytes/);
    const d2 = new EventStreamDecoder();
    expect(d2.push(Buffer.concat([frame, frame.subarray(0, 20)]))).toHaveLength(1);
    expect(() => d2.end()).toThrow(
      new RegExp(`ended inside message 1 \\(at byte ${frame.length}\\): 20 of ${frame.length} bytes`),
    );
  });

  it('rejects impossible lengths even with a valid prelude CRC', () => {
    const tooShort = fixPrelude(Buffer.from([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(() => new EventStreamDecoder().push(tooShort)).toThrow(/total length 8 \(must be 16\.\.16777216\)/);
    const headersTooLong = fixPrelude(Buffer.from([0, 0, 0, 20, 0, 0, 0, 9, 0, 0, 0, 0]));
    expect(() => new EventStreamDecoder().push(headersTooLong)).toThrow(/headers length 9, more than 4 allowed/);
  });

  it('cancels the source when the consumer stops early', async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(all);
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const m of decodeEventStream(source)) {
      expect(m.headers[':event-type']).toBe('messageStart');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

/** Rewrites both CRCs of a hand-edited frame. */
function fixCrc(frame: Buffer): Buffer {
  const out = fixPrelude(Buffer.from(frame));
  out.writeUInt32BE(crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

function fixPrelude(frame: Buffer): Buffer {
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  return frame;
}

describe('bedrock ConverseStream', () => {
  it('streams text deltas as they arrive: frames split across writes and packed into one, SigV4-signed', async () => {
    let firstDelta!: () => void;
    const gotFirst = new Promise<void>((r) => (firstDelta = r));
    const frames = converseStreamFrames({
      text: ['The pod ', 'worker-1 is ', 'in CrashLoop', 'BackOff.'],
      usage: { inputTokens: 42, outputTokens: 9 },
    });
    const br = await bedrock(async (_req, res) => {
      startStream(res);
      // messageStart + the first delta, then the first 3 bytes of the next frame's prelude.
      const head = Buffer.concat(frames.slice(0, 2));
      await writeCut(res, Buffer.concat([head, frames[2].subarray(0, 3)]), [head.length]);
      // The rest only after the client has seen the first delta: proves text reaches onText before the answer ends.
      await gotFirst;
      const rest = Buffer.concat([frames[2].subarray(3), ...frames.slice(3)]);
      // Cut inside a prelude (4), inside headers (30), then everything else packed into one write.
      await writeCut(res, rest, [4, 30]);
      res.end();
    });
    const deltas: string[] = [];
    const result = await (
      await model(br.url)
    ).complete(
      request({
        onText: (d) => {
          deltas.push(d);
          firstDelta();
        },
      }),
    );
    expect(deltas).toEqual(['The pod ', 'worker-1 is ', 'in CrashLoop', 'BackOff.']);
    expect(result).toEqual({
      text: 'The pod worker-1 is in CrashLoopBackOff.',
      toolCalls: [],
      usage: { input: 42, output: 9 },
    });
    const got = br.seen[0];
    expect(br.seen).toHaveLength(1);
    expect(got.url).toBe('/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream');
    expect(JSON.parse(got.body)).toMatchObject({
      system: [{ text: 'be brief' }],
      messages: [{ role: 'user', content: [{ text: 'pods?' }] }],
      inferenceConfig: { maxTokens: 256 },
      toolConfig: { tools: [{ toolSpec: { name: 'list_pods', inputSchema: { json: { type: 'object' } } } }] },
    });
    await expectSigned(br.url, got, 'eu-central-1');
  });

  it('assembles tool input that arrives in pieces; a tool without input gets {}; usage from metadata', async () => {
    const frames = converseStreamFrames({
      text: ['Let me check.'],
      tools: [
        { id: 'tooluse_A1', name: 'list_pods', input: ['{"names', 'pace": "kube-', 'system"', '}'] },
        { id: 'tooluse_B2', name: 'get_events', input: [] },
      ],
      usage: { inputTokens: 120, outputTokens: 33 },
    });
    const br = await bedrock(async (_req, res) => {
      startStream(res);
      const bytes = Buffer.concat(frames);
      // Many small writes at odd offsets.
      const cuts: number[] = [];
      for (let at = 11; at < bytes.length; at += 37) cuts.push(at);
      await writeCut(res, bytes, cuts, 1);
      res.end();
    });
    const deltas: string[] = [];
    const result = await (await model(br.url)).complete(request({ onText: (d) => deltas.push(d) }));
    expect(deltas).toEqual(['Let me check.']);
    expect(result).toEqual({
      text: 'Let me check.',
      toolCalls: [
        { id: 'tooluse_A1', name: 'list_pods', arguments: '{"namespace": "kube-system"}' },
        { id: 'tooluse_B2', name: 'get_events', arguments: '{}' },
      ],
      usage: { input: 120, output: 33 },
    });
    expect(JSON.parse(result.toolCalls[0].arguments)).toEqual({ namespace: 'kube-system' });
  });

  it('signs with a Bedrock API key as a bearer token on the stream path too', async () => {
    const br = await bedrock((_req, res) => {
      startStream(res);
      res.end(Buffer.concat(converseStreamFrames({ text: ['ok'] })));
    });
    const result = await (
      await model(br.url, { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-1' })
    ).complete(request({ onText: () => undefined }));
    expect(result.text).toBe('ok');
    expect(br.seen[0].headers.authorization).toBe('Bearer bedrock-api-key-1');
    expect(br.seen[0].url).toMatch(/\/converse-stream$/);
  });

  it('a throttlingException event is a 429 error that the retry policy retries', async () => {
    let calls = 0;
    const br = await bedrock((_req, res) => {
      calls++;
      startStream(res);
      if (calls === 1)
        res.end(
          Buffer.concat([
            eventFrame('messageStart', { role: 'assistant' }),
            exceptionFrame('throttlingException', 'Too many requests, please wait before trying again.'),
          ]),
        );
      else res.end(Buffer.concat(converseStreamFrames({ text: ['after ', 'retry'] })));
    });
    const m = await model(br.url);
    const err = await m.complete(request({ onText: () => undefined })).catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 429,
      message: 'bedrock: ConverseStream throttlingException: Too many requests, please wait before trying again.',
    });

    calls = 0;
    const deltas: string[] = [];
    const retried: unknown[] = [];
    const result = await completeWithRetry(
      m,
      request({ onText: (d) => deltas.push(d) }),
      { maxRetries: 2, baseDelayMs: 1, timeoutMs: 5_000 },
      (_n, e) => retried.push(e),
    );
    expect(result.text).toBe('after retry');
    expect(deltas).toEqual(['after ', 'retry']);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatchObject({ status: 429 });
  });

  it('maps the other exception events to statuses: validation 400 (not retried), service unavailable 503, model stream error retryable', async () => {
    const script = [
      exceptionFrame('validationException', 'messages: bad'),
      exceptionFrame('serviceUnavailableException', 'busy'),
      exceptionFrame('modelStreamErrorException', 'model stream broke'),
      exceptionFrame('internalServerException', 'oops'),
      encodeFrame(
        { ':message-type': 'error', ':error-code': 'SomethingNew', ':error-message': 'unmodelled' },
        Buffer.alloc(0),
      ),
    ];
    let i = 0;
    const br = await bedrock((_req, res) => {
      startStream(res);
      res.end(script[i++]);
    });
    const m = await model(br.url);
    const errs: Array<{ status?: number; message: string }> = [];
    for (let n = 0; n < script.length; n++)
      errs.push(
        (await m
          .complete(request({ onText: () => undefined }))
          .catch((e: { status?: number; message: string }) => e)) as never,
      );
    expect(errs.map((e) => e.status)).toEqual([400, 503, 502, 500, undefined]);
    expect(errs[0].message).toBe('bedrock: ConverseStream validationException: messages: bad');
    expect(errs[4].message).toBe('bedrock: ConverseStream SomethingNew: unmodelled');
    // Through the retry policy: the 400 fails at once.
    i = 0;
    const before = br.seen.length;
    await expect(
      completeWithRetry(m, request({ onText: () => undefined }), { maxRetries: 3, baseDelayMs: 1, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ status: 400, attempts: 1 });
    expect(br.seen.length - before).toBe(1);
  });

  it('an exception after text was streamed fails the call without a retry (the text cannot be taken back)', async () => {
    const br = await bedrock((_req, res) => {
      startStream(res);
      res.end(
        Buffer.concat([
          ...converseStreamFrames({ text: ['partial'] }).slice(0, 2),
          exceptionFrame('throttlingException', 'slow down'),
        ]),
      );
    });
    const deltas: string[] = [];
    const err = await completeWithRetry(await model(br.url), request({ onText: (d) => deltas.push(d) }), {
      maxRetries: 3,
      baseDelayMs: 1,
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(deltas).toEqual(['partial']);
    expect(err).toMatchObject({ status: 429, attempts: 1 });
    expect((err as Error).message).toMatch(/failed mid-stream.*throttlingException: slow down/);
    expect(br.seen).toHaveLength(1);
  });

  it('a corrupted CRC and a truncated stream are errors saying so', async () => {
    const frames = converseStreamFrames({ text: ['one', 'two'] });
    const corrupt = Buffer.concat(frames);
    const at = frames[0].length + frames[1].length - 8; // inside the second message's payload
    corrupt[at] ^= 0x20;
    let mode: 'corrupt' | 'truncated' | 'no-stop' = 'corrupt';
    const br = await bedrock((_req, res) => {
      startStream(res);
      if (mode === 'corrupt') res.end(corrupt);
      else if (mode === 'truncated') res.end(Buffer.concat(frames).subarray(0, frames[0].length + 20));
      else res.end(Buffer.concat(frames.slice(0, 3)));
    });
    const m = await model(br.url);
    await expect(m.complete(request({ onText: () => undefined }))).rejects.toThrow(
      new RegExp(`aws event stream: message 1 \\(at byte ${frames[0].length}\\): The message checksum`),
    );
    mode = 'truncated';
    await expect(m.complete(request({ onText: () => undefined }))).rejects.toThrow(
      new RegExp(
        `aws event stream: the stream ended inside message 1 \\(at byte ${frames[0].length}\\): 20 of ${frames[1].length} bytes`,
      ),
    );
    mode = 'no-stop';
    await expect(m.complete(request({ onText: () => undefined }))).rejects.toThrow(
      'bedrock: ConverseStream ended before its messageStop event',
    );
  });

  it('an HTTP error before the stream keeps its status; a 200 that is not an event stream is refused', async () => {
    let mode = 'denied';
    const br = await bedrock((_req, res) => {
      if (mode === 'denied') {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
        res.end(JSON.stringify({ message: 'not allowed to invoke this model' }));
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy login</html>');
      }
    });
    const m = await model(br.url);
    await expect(m.complete(request({ onText: () => undefined }))).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('not allowed to invoke this model'),
    });
    mode = 'html';
    await expect(m.complete(request({ onText: () => undefined }))).rejects.toThrow(
      'bedrock: ConverseStream answered content-type "text/html", not application/vnd.amazon.eventstream: <html>proxy login</html>',
    );
  });

  it('an abort mid-stream stops the call and closes the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => (closed = r));
    const br = await bedrock((_req, res) => {
      startStream(res);
      res.on('close', () => closed());
      res.write(Buffer.concat(converseStreamFrames({ text: ['first'] }).slice(0, 2)));
      // ...and never another byte.
    });
    const controller = new AbortController();
    const deltas: string[] = [];
    const started = Date.now();
    const call = (await model(br.url)).complete(
      request({
        // The timeout only ends a broken run sooner (the fake never finishes this answer).
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(5_000)]),
        onText: (d) => {
          deltas.push(d);
          setTimeout(() => controller.abort(new Error('task cancelled')), 20);
        },
      }),
    );
    await expect(call).rejects.toThrow('task cancelled');
    expect(deltas).toEqual(['first']);
    await connectionClosed;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('without onText the Converse (non-stream) API is used', async () => {
    const br = await bedrock((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text: 'whole answer' }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 5, outputTokens: 2 },
        }),
      );
    });
    const result = await (await model(br.url)).complete(request());
    expect(result).toEqual({ text: 'whole answer', toolCalls: [], usage: { input: 5, output: 2 } });
    expect(br.seen[0].url).toBe('/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse');
    await expectSigned(br.url, br.seen[0], 'eu-central-1');
  });
});

describe('the runtime with a streaming Bedrock model', () => {
  it('delivers Bedrock text deltas through A2A message/stream as they arrive', async () => {
    const pieces = ['Checking the cluster: ', 'no pod ', 'is unhealthy.'];
    const br = await bedrock(async (_req, res) => {
      startStream(res);
      const frames = converseStreamFrames({ text: pieces, usage: { inputTokens: 17, outputTokens: 6 } });
      // messageStart, then each text delta with a pause longer than the runtime's 40 ms delta coalescing.
      res.write(frames[0]);
      for (const f of frames.slice(1, 1 + pieces.length)) {
        res.write(f);
        await sleep(150);
      }
      res.end(Buffer.concat(frames.slice(1 + pieces.length)));
    });
    const rt = await startAgent(
      {
        description: '',
        instruction: 'You are a helpful Kubernetes assistant.',
        model: { type: 'bedrock', model: MODEL_ID, region: 'eu-central-1', base_url: br.url },
        stream: true,
      },
      AWS_ENV,
    );
    try {
      const events = await sseEvents(rt.url, {
        jsonrpc: '2.0',
        id: 'b-1',
        method: 'message/stream',
        params: {
          message: {
            kind: 'message',
            messageId: 'bm-1',
            role: 'user',
            parts: [{ kind: 'text', text: 'Any unhealthy pod?' }],
          },
        },
      });
      const results = events.map((e) => e.result);
      const textUpdates = results
        .filter((r) => r.kind === 'status-update' && r.status.state === 'working')
        .map((r) =>
          (r.status.message?.parts ?? [])
            .filter((p: { kind: string }) => p.kind === 'text')
            .map((p: { text: string }) => p.text)
            .join(''),
        )
        .filter(Boolean);
      // The deltas were 150 ms apart, so they arrive as several working updates (normally one each; a starved timer
      // on a loaded machine may merge two), together the whole text in order.
      expect(textUpdates.length).toBeGreaterThanOrEqual(2);
      expect(textUpdates.join('')).toBe(pieces.join(''));
      const last = results[results.length - 1];
      expect(last).toMatchObject({ kind: 'status-update', final: true, status: { state: 'completed' } });
      expect(JSON.stringify(results)).toContain('Checking the cluster: no pod is unhealthy.');
      expect(br.seen).toHaveLength(1);
      expect(br.seen[0].url).toMatch(/\/converse-stream$/);
      await expectSigned(br.url, br.seen[0], 'eu-central-1');
    } finally {
      await rt.close();
    }
  });
});
