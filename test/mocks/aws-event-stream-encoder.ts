// An encoder of AWS event-stream frames (application/vnd.amazon.eventstream) for fakes of Bedrock's ConverseStream.
// Written from the format's description, apart from the runtime's decoder, so a shared misreading of the format cannot
// make both sides agree: a frame is [total len u32][headers len u32][CRC32 of those 8 bytes][headers][payload]
// [CRC32 of all the preceding bytes], integers big-endian; a header is [name len u8][name][type u8][value].
import { crc32 } from 'node:zlib';

/** A header value with its wire type spelled out (strings may be given bare). */
export type EncodedHeader =
  | string
  | { type: 'bool'; value: boolean }
  | { type: 'byte' | 'short' | 'int'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'timestamp'; value: Date }
  | { type: 'uuid'; value: string };

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function headerBytes(name: string, h: EncodedHeader): number[] {
  const out: number[] = [];
  const nameBytes = [...Buffer.from(name, 'utf8')];
  out.push(nameBytes.length, ...nameBytes);
  const v = typeof h === 'string' ? ({ type: 'string', value: h } as const) : h;
  const fixed = (type: number, width: number, write: (b: Buffer) => void) => {
    const b = Buffer.alloc(width);
    write(b);
    out.push(type, ...b);
  };
  switch (v.type) {
    case 'bool':
      out.push(v.value ? 0 : 1);
      break;
    case 'byte':
      fixed(2, 1, (b) => b.writeInt8(v.value));
      break;
    case 'short':
      fixed(3, 2, (b) => b.writeInt16BE(v.value));
      break;
    case 'int':
      fixed(4, 4, (b) => b.writeInt32BE(v.value));
      break;
    case 'long':
      fixed(5, 8, (b) => b.writeBigInt64BE(v.value));
      break;
    case 'bytes':
      out.push(6, ...u16(v.value.length), ...v.value);
      break;
    case 'string': {
      const s = [...Buffer.from(v.value, 'utf8')];
      out.push(7, ...u16(s.length), ...s);
      break;
    }
    case 'timestamp':
      fixed(8, 8, (b) => b.writeBigInt64BE(BigInt(v.value.getTime())));
      break;
    case 'uuid':
      out.push(9, ...Buffer.from(v.value.replace(/-/g, ''), 'hex'));
      break;
  }
  return out;
}

/** One frame; the payload is sent as JSON unless it is already bytes. */
export function encodeFrame(headers: Record<string, EncodedHeader>, payload: unknown): Buffer {
  const head: number[] = [];
  for (const [name, h] of Object.entries(headers)) head.push(...headerBytes(name, h));
  const body = payload instanceof Uint8Array ? payload : Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + head.length + body.length + 4;
  const prelude = Buffer.from([...u32(total), ...u32(head.length)]);
  const withPreludeCrc = Buffer.concat([prelude, Buffer.from(u32(crc32(prelude)))]);
  const beforeCrc = Buffer.concat([withPreludeCrc, Buffer.from(head), body]);
  return Buffer.concat([beforeCrc, Buffer.from(u32(crc32(beforeCrc)))]);
}

/** A ConverseStream event (`:message-type: event`). */
export function eventFrame(eventType: string, payload: unknown): Buffer {
  return encodeFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    payload,
  );
}

/** A modelled exception (`:message-type: exception`), e.g. throttlingException. */
export function exceptionFrame(exceptionType: string, message: string): Buffer {
  return encodeFrame(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    { message },
  );
}

/** The events of one ConverseStream answer: optional text, optional tool calls (input JSON in the given pieces), usage. */
export function converseStreamFrames(opts: {
  text?: string[];
  tools?: Array<{ id: string; name: string; input: string[] }>;
  usage?: { inputTokens: number; outputTokens: number };
  stopReason?: string;
}): Buffer[] {
  const frames: Buffer[] = [eventFrame('messageStart', { role: 'assistant', p: 'abcd' })];
  let index = 0;
  if (opts.text?.length) {
    for (const t of opts.text)
      frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { text: t }, p: 'ab' }));
    frames.push(eventFrame('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  for (const tool of opts.tools ?? []) {
    frames.push(
      eventFrame('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: tool.id, name: tool.name } },
      }),
    );
    for (const piece of tool.input)
      frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: piece } } }));
    frames.push(eventFrame('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  frames.push(
    eventFrame('messageStop', { stopReason: opts.stopReason ?? (opts.tools?.length ? 'tool_use' : 'end_turn') }),
  );
  frames.push(
    eventFrame('metadata', {
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, ...opts.usage },
      metrics: { latencyMs: 12 },
    }),
  );
  return frames;
}
