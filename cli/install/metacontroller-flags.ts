// Metacontroller's flags for a cluster with many Agents, written once: the chart's Metacontroller commandArgs
// (chart-values.ts), the README's install section (checked by test/unit/metacontroller-flags.test.ts), and the
// real-Metacontroller tests and bench:scale (test/metacontroller/flags.ts) all read these. The values are the ones
// bench:scale measured best on a 2-core machine (figures in sync-hooks/README.md).

/** A Metacontroller flag set: client-go's rate limit towards the API server and the reconcile workers. */
export interface MetacontrollerScaleFlags {
  /** --client-go-qps: sustained API requests per second (Metacontroller's default 5). */
  'client-go-qps': number;
  /** --client-go-burst: requests allowed above the QPS in a burst (default 10). */
  'client-go-burst': number;
  /** --workers: parents reconciled at once, per controller (default 5). */
  workers: number;
}

/** The recommended flags. */
export const METACONTROLLER_SCALE_FLAGS: MetacontrollerScaleFlags = {
  'client-go-qps': 100,
  'client-go-burst': 200,
  workers: 16,
};

/** Metacontroller v4.17.2's own defaults (pkg/cmd/metacontroller/main.go), what an install that sets nothing runs. */
export const METACONTROLLER_DEFAULT_FLAGS: MetacontrollerScaleFlags = {
  'client-go-qps': 5,
  'client-go-burst': 10,
  workers: 5,
};

/** `--name=value` arguments, in the interface's order. */
export function metacontrollerArgs(flags: MetacontrollerScaleFlags): string[] {
  return (['client-go-qps', 'client-go-burst', 'workers'] as const).map((k) => `--${k}=${flags[k]}`);
}
