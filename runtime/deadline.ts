// A signal that aborts when the parent does or when `ms` pass, and a dispose() that releases both links at once.
// Used instead of AbortSignal.any + AbortSignal.timeout, whose timers and listeners outlive a fast call by the whole
// timeout and pile up under load.
export interface Deadline {
  signal: AbortSignal;
  /** True when the deadline (not the parent) fired. */
  readonly expired: boolean;
  dispose(): void;
}

export function deadline(parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  timer.unref?.();
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
