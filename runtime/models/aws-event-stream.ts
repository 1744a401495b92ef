// A decoder for AWS's binary event stream (`application/vnd.amazon.eventstream`), the body of Bedrock's ConverseStream.
// Pure: bytes in, messages out, no HTTP and no Bedrock semantics (bedrock.ts reads the `:message-type` and
// `:event-type` headers). Each message is framed as
//   total length (u32 BE) · headers length (u32 BE) · prelude CRC32 · headers · payload · message CRC32
// A whole message is decoded by the AWS SDK's own codec (@smithy/core/event-streams: both CRCs, the header types).
// The framing around it is ours because the SDK's chunker allocates whatever length the first four bytes claim
// before anything is checked: here network chunks are buffered until a whole message is there, but only after its
// prelude CRC and lengths are checked, so a corrupt length is an error, not a 4 GiB allocation or a wait for bytes
// that belong to the next message. test/runtime/aws-event-stream-vectors.test.ts runs AWS's published test vectors.
import { crc32 } from 'node:zlib';
import { EventStreamCodec, type MessageHeaders } from '@smithy/core/event-streams';

/** A header's value, by wire type: booleans, integers (64-bit ones as bigint), bytes, strings, timestamps, UUIDs. */
export type HeaderValue = boolean | number | bigint | Uint8Array | string | Date;

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  payload: Uint8Array;
}

export class EventStreamError extends Error {
  constructor(message: string) {
    super(`aws event stream: ${message}`);
    this.name = 'EventStreamError';
  }
}

const PRELUDE = 8;
const PRELUDE_WITH_CRC = 12;
/** Prelude + prelude CRC + message CRC. */
const OVERHEAD = 16;
// The format's own limits (Smithy's event stream specification): larger lengths mean a corrupt or foreign stream.
const MAX_MESSAGE = 16 * 1024 * 1024;
const MAX_HEADERS = 128 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Bytes = new TextEncoder();
// decode() keeps no state (only feed() does), so one codec serves every stream.
const codec = new EventStreamCodec(
  (bytes) => (typeof bytes === 'string' ? bytes : utf8.decode(bytes)),
  (text) => utf8Bytes.encode(text),
);

/** The codec's typed headers as plain values (a long as bigint, a UUID as its canonical string). */
function plainHeaders(headers: MessageHeaders): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [name, h] of Object.entries(headers)) {
    out[name] = h.type === 'long' ? Buffer.from(h.value.bytes).readBigInt64BE(0) : h.value;
  }
  return out;
}

/**
 * Incremental decoder: `push` bytes as they arrive and get the messages they complete; `end` when the stream is over
 * (it throws when the stream stopped inside a message). Messages are numbered from 0 in error messages.
 */
export class EventStreamDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private count = 0;
  /** Bytes before the first buffered one, for error messages. */
  private offset = 0;
  /** Total length of the message being assembled, once its prelude has been checked. */
  private pendingLength: number | undefined;

  push(chunk: Uint8Array): EventStreamMessage[] {
    if (chunk.length) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const out: EventStreamMessage[] = [];
    for (;;) {
      if (this.pendingLength === undefined) {
        if (this.buffered < PRELUDE_WITH_CRC) break;
        this.pendingLength = this.checkPrelude(this.peek(PRELUDE_WITH_CRC));
      }
      if (this.buffered < this.pendingLength) break;
      out.push(this.decodeMessage(this.take(this.pendingLength)));
      this.pendingLength = undefined;
    }
    return out;
  }

  /** Throws when bytes of an unfinished message remain. */
  end(): void {
    if (this.buffered === 0) return;
    const where = `message ${this.count} (at byte ${this.offset})`;
    if (this.pendingLength === undefined) {
      throw new EventStreamError(
        `the stream ended inside the prelude of ${where}: ${this.buffered} of ${PRELUDE_WITH_CRC} bytes`,
      );
    }
    throw new EventStreamError(`the stream ended inside ${where}: ${this.buffered} of ${this.pendingLength} bytes`);
  }

  /** The first n buffered bytes as one Buffer (joins chunks only when they straddle n). */
  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) {
      const joined = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [joined];
    }
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    const head = this.peek(n);
    const first = this.chunks[0];
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    this.offset += n;
    return head;
  }

  /** Validates the prelude; returns the message's total length. */
  private checkPrelude(prelude: Buffer): number {
    const where = `message ${this.count} (at byte ${this.offset})`;
    const expected = prelude.readUInt32BE(PRELUDE);
    const actual = crc32(prelude.subarray(0, PRELUDE));
    if (expected !== actual) {
      throw new EventStreamError(
        `prelude CRC mismatch in ${where}: the frame says ${hex(expected)}, its bytes give ${hex(actual)}`,
      );
    }
    const total = prelude.readUInt32BE(0);
    const headers = prelude.readUInt32BE(4);
    if (total < OVERHEAD || total > MAX_MESSAGE)
      throw new EventStreamError(`${where} has total length ${total} (must be ${OVERHEAD}..${MAX_MESSAGE})`);
    if (headers > MAX_HEADERS || headers > total - OVERHEAD) {
      throw new EventStreamError(
        `${where} has headers length ${headers}, more than ${Math.min(MAX_HEADERS, total - OVERHEAD)} allowed by its total length ${total}`,
      );
    }
    return total;
  }

  private decodeMessage(frame: Buffer): EventStreamMessage {
    const index = this.count++;
    let decoded: ReturnType<typeof codec.decode>;
    try {
      decoded = codec.decode(frame);
    } catch (err) {
      const why = err instanceof TypeError ? 'a header is not valid UTF-8' : (err as Error).message;
      throw new EventStreamError(`message ${index} (at byte ${this.offset - frame.length}): ${why}`);
    }
    // A copy, so a message does not keep the whole network chunk it arrived in alive.
    return { headers: plainHeaders(decoded.headers), payload: new Uint8Array(decoded.body) };
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * The messages of a byte stream (a fetch body or any async iterable of chunks), in order. Throws EventStreamError on
 * a corrupt or truncated stream, and whatever the source throws (an abort). Stopping early (break, or a throw in the
 * consumer) cancels the source, which closes the connection.
 */
export async function* decodeEventStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<EventStreamMessage> {
  const decoder = new EventStreamDecoder();
  if (isReadableStream(source)) {
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          break;
        }
        yield* decoder.push(r.value);
      }
    } finally {
      // Not read to the end (consumer stopped, or the stream was corrupt): release the connection.
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } else {
    for await (const chunk of source) yield* decoder.push(chunk);
  }
  decoder.end();
}

function isReadableStream(s: unknown): s is ReadableStream<Uint8Array> {
  return typeof (s as ReadableStream).getReader === 'function';
}
