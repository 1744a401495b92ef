// Tasks of one A2A context run one after another: each loads the conversation, runs, and appends to it, so two
// concurrent messages in a context must not interleave (an assistant tool-call turn without its results would break
// every later turn of that conversation).

export class ContextQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier task of `contextId` has finished; an abort while waiting rejects with its reason. */
  async run<T>(contextId: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(contextId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(contextId, tail);
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        previous,
        new Promise<void>((_, reject) => {
          onAbort = () => reject(signal.reason as Error);
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      return await fn();
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      release();
      if (this.tails.get(contextId) === tail) this.tails.delete(contextId);
    }
  }
}
