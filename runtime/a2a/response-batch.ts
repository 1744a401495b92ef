// Sends the JSON answers that complete during one turn of the event loop together, at the end of that turn, instead
// of each at once. A write to a connection whose reader is asleep wakes that reader, and the wake-up is paid by the
// writer: measured on the benchmark's loopback connections it was about a tenth of the runtime's time per
// message/send. Written back to back, only the first answer of a batch pays it (undici batches its request writes the
// same way). The wait is the rest of the current turn, not a timer: microseconds, even under load.
import type { ServerResponse } from 'node:http';

export class ResponseBatch {
  private pending: Array<{ res: ServerResponse; body: string }> = [];
  /** Streams (server-sent events) corked during this turn; uncorked, so written, at its end. */
  private held = new Set<ServerResponse>();
  private scheduled = false;

  /**
   * Sends the status line and headers as set so far, with `body`, at the end of this turn. The headers count as sent
   * from now on (`headersSent` is true), so nothing can start a second answer in the meantime.
   */
  send(res: ServerResponse, body: string): void {
    res.writeHead(res.statusCode);
    this.pending.push({ res, body });
    this.schedule();
  }

  /**
   * Holds what a streaming response writes during this turn and writes it at the turn's end: the events of one
   * stream (and of all streams) that come out in the same turn go out together. `end()` still writes at once (Node
   * uncorks fully on end), and a cork undone by end is not undone twice (uncorking an uncorked socket does nothing).
   */
  hold(res: ServerResponse): void {
    if (this.held.has(res) || res.writableEnded) return;
    res.cork();
    this.held.add(res);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const batch = this.pending;
    const held = this.held;
    this.pending = [];
    this.held = new Set();
    this.scheduled = false;
    for (const { res, body } of batch) {
      try {
        res.end(body);
      } catch {
        // The connection went away in between; the others in the batch are still answered.
      }
    }
    for (const res of held) if (!res.writableEnded) res.uncork();
  };
}
