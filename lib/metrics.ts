// The Prometheus registry every server builds its metrics on: one per server instance, never prom-client's global
// default registry, so several servers in one process (the tests start many) neither collide nor share counters.
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsRegistryOptions {
  /**
   * prom-client's process metrics (CPU, RSS, heap, event-loop lag, GC), their names prefixed with this string
   * (`''` for prom-client's own names); omitted: none.
   */
  processMetricsPrefix?: string;
  /** Labels on every series of this registry (the runtime's `service`). */
  labels?: Record<string, string>;
}

export function createMetricsRegistry(opts: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (opts.labels) registry.setDefaultLabels(opts.labels);
  if (opts.processMetricsPrefix !== undefined)
    collectDefaultMetrics({ register: registry, prefix: opts.processMetricsPrefix });
  return registry;
}
