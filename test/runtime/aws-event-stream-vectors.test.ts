// AWS's published event-stream test vectors (aws-event-stream-vectors.json says where they come from) through the
// decoder Bedrock's ConverseStream uses: every positive vector decodes to its published headers and payload, whole and
// fed one byte at a time; every negative one is an EventStreamError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EventStreamDecoder,
  EventStreamError,
  type EventStreamMessage,
  type HeaderValue,
} from '../../runtime/models/aws-event-stream.js';

interface PublishedHeader {
  type: string;
  value?: unknown;
  base64?: string;
  epochMillis?: number;
}
interface Vector {
  name: string;
  expect: 'success' | 'failure';
  encoded: string;
  headers?: Record<string, PublishedHeader>;
  payload?: string;
}

const { vectors } = JSON.parse(readFileSync(new URL('./aws-event-stream-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};

/** A decoded header value in the vectors' JSON form. */
function published(value: HeaderValue, type: string): PublishedHeader {
  if (value instanceof Uint8Array) return { type, base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { type, epochMillis: value.getTime() };
  if (typeof value === 'bigint') return { type, value: value.toString() };
  return { type, value };
}

function asPublished(m: EventStreamMessage, types: Record<string, PublishedHeader>) {
  return {
    headers: Object.fromEntries(
      Object.entries(m.headers).map(([k, v]) => [k, published(v, types[k]?.type ?? '(unexpected)')]),
    ),
    payload: Buffer.from(m.payload).toString('base64'),
  };
}

function decodeAll(bytes: Buffer, bytewise: boolean): EventStreamMessage[] {
  const d = new EventStreamDecoder();
  const out = bytewise ? [...bytes].flatMap((b) => d.push(Uint8Array.of(b))) : d.push(bytes);
  d.end();
  return out;
}

describe("AWS's event-stream test vectors", () => {
  it('holds every vector of the published set', () => {
    expect(vectors.map((v) => v.name)).toEqual([
      'all_headers',
      'empty_message',
      'int32_header',
      'payload_no_headers',
      'payload_one_str_header',
      'corrupted_headers',
      'corrupted_header_len',
      'corrupted_length',
      'corrupted_payload',
    ]);
  });

  it.each(vectors.filter((v) => v.expect === 'success'))('$name decodes to its published headers and payload', (v) => {
    const bytes = Buffer.from(v.encoded, 'hex');
    for (const bytewise of [false, true]) {
      const messages = decodeAll(bytes, bytewise);
      expect(messages).toHaveLength(1);
      expect(asPublished(messages[0], v.headers!)).toEqual({ headers: v.headers, payload: v.payload });
    }
  });

  it.each(vectors.filter((v) => v.expect === 'failure'))('$name is refused', (v) => {
    const bytes = Buffer.from(v.encoded, 'hex');
    for (const bytewise of [false, true]) expect(() => decodeAll(bytes, bytewise)).toThrow(EventStreamError);
  });
});
