// A server-sent-events parser (the WHATWG event-stream format) over text that arrives in arbitrary pieces: a line, or
// a CR LF pair, may be split across reads. Text in, events out; decoding bytes (and UTF-8 sequences split across reads)
// is the caller's TextDecoder's job.

export interface SseEvent {
  /** The `event:` field, when the server named the event. */
  event?: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event: string | undefined;

  /** Feeds the next piece of text; complete events are appended to `out`. */
  push(text: string, out: SseEvent[]): void {
    const buf = this.buffer + text;
    let start = 0;
    for (;;) {
      const lf = buf.indexOf('\n', start);
      const cr = buf.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR at the very end may be the first half of CR LF: wait for the next piece.
        if (cr === buf.length - 1) break;
        end = cr;
        next = buf[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(buf.slice(start, end), out);
      start = next;
    }
    this.buffer = start === 0 ? buf : buf.slice(start);
  }

  /** The stream ended: a last event without its blank line still counts (some servers end on `data: [DONE]\n`). */
  end(out: SseEvent[]): void {
    if (this.buffer) this.line(this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer, out);
    this.buffer = '';
    this.line('', out);
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length)
        out.push(
          this.event === undefined ? { data: this.data.join('\n') } : { event: this.event, data: this.data.join('\n') },
        );
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
