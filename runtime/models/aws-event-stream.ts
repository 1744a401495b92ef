// A decoder for AWS's binary event stream (`application/vnd.amazon.eventstream`), the body of Bedrock's ConverseStream.
// Pure: bytes in, messages out, no HTTP and no Bedrock semantics (bedrock.ts reads the `:message-type` and
// `:event-type` headers). Each message is framed as
//   total length (u32 BE) · headers length (u32 BE) · prelude CRC32 · headers · payload · message CRC32
// where the prelude CRC covers the first 8 bytes and the message CRC everything before it. Network chunks do not
// follow message boundaries, so bytes are buffered until a whole message is there. Both CRCs are checked: a corrupt
// length would otherwise make the decoder wait for, or read, bytes that belong to the next message.
import { crc32 } from 'node:zlib';

/** A header's value, by wire type: booleans, integers (64-bit ones as bigint), bytes, strings, timestamps, UUIDs (hex). */
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

/** Reads the headers section; every read is bounds-checked against the section, not the whole message. */
function decodeHeaders(buf: Buffer, index: number): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > buf.length)
      throw new EventStreamError(
        `message ${index}: header ${what} runs past the end of the headers section (${buf.length} bytes)`,
      );
  };
  while (at < buf.length) {
    need(1, 'name length');
    const nameLength = buf.readUInt8(at);
    at += 1;
    if (nameLength === 0) throw new EventStreamError(`message ${index}: a header has an empty name`);
    need(nameLength, 'name');
    const name = utf8.decode(buf.subarray(at, at + nameLength));
    at += nameLength;
    need(1, `"${name}" value type`);
    const type = buf.readUInt8(at);
    at += 1;
    let value: HeaderValue;
    switch (type) {
      case 0:
      case 1:
        value = type === 0;
        break;
      case 2:
        need(1, `"${name}" value`);
        value = buf.readInt8(at);
        at += 1;
        break;
      case 3:
        need(2, `"${name}" value`);
        value = buf.readInt16BE(at);
        at += 2;
        break;
      case 4:
        need(4, `"${name}" value`);
        value = buf.readInt32BE(at);
        at += 4;
        break;
      case 5:
        need(8, `"${name}" value`);
        value = buf.readBigInt64BE(at);
        at += 8;
        break;
      case 6:
      case 7: {
        need(2, `"${name}" value length`);
        const length = buf.readUInt16BE(at);
        at += 2;
        need(length, `"${name}" value`);
        const bytes = buf.subarray(at, at + length);
        value = type === 7 ? utf8.decode(bytes) : new Uint8Array(bytes);
        at += length;
        break;
      }
      case 8:
        need(8, `"${name}" value`);
        value = new Date(Number(buf.readBigInt64BE(at)));
        at += 8;
        break;
      case 9:
        need(16, `"${name}" value`);
        value = buf.toString('hex', at, at + 16);
        at += 16;
        break;
      default:
        throw new EventStreamError(`message ${index}: header "${name}" has unknown value type ${type}`);
    }
    headers[name] = value;
  }
  return headers;
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
    const end = frame.length - 4;
    const expected = frame.readUInt32BE(end);
    const actual = crc32(frame.subarray(0, end));
    if (expected !== actual) {
      throw new EventStreamError(
        `message CRC mismatch in message ${index} (at byte ${this.offset - frame.length}): the frame says ${hex(expected)}, its bytes give ${hex(actual)}`,
      );
    }
    const headersEnd = PRELUDE_WITH_CRC + frame.readUInt32BE(4);
    let headers: Record<string, HeaderValue>;
    try {
      headers = decodeHeaders(frame.subarray(PRELUDE_WITH_CRC, headersEnd), index);
    } catch (err) {
      if (err instanceof EventStreamError) throw err;
      throw new EventStreamError(`message ${index}: a header is not valid UTF-8`);
    }
    // A copy, so a message does not keep the whole network chunk it arrived in alive.
    return { headers, payload: new Uint8Array(frame.subarray(headersEnd, end)) };
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
