// Prometheus metrics of the webhook server, on a registry of its own (lib/metrics.ts).
import { Counter, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../lib/metrics.js';

export interface WebhookMetrics {
  registry: Registry;
  requests: Counter<'endpoint' | 'kind' | 'operation' | 'result'>;
  latency: Histogram<'endpoint'>;
  certReloads: Counter<'result'>;
}

/**
 * Request counts kept in a plain Map on every review and read by the registry only when /metrics is scraped:
 * prom-client's per-call label handling (validate, hash, look up) cost the server several microseconds per review
 * under load, though a fraction of that in a tight loop (the hook server measured the same, sync-hooks/README.md).
 */
export class RequestTally {
  private readonly counts = new Map<
    string,
    { labels: Record<'endpoint' | 'kind' | 'operation' | 'result', string>; n: number }
  >();

  add(endpoint: string, kind: string, operation: string, result: string): void {
    const key = `${endpoint}\u0000${kind}\u0000${operation}\u0000${result}`;
    const entry = this.counts.get(key);
    if (entry) entry.n++;
    else this.counts.set(key, { labels: { endpoint, kind, operation, result }, n: 1 }); // bounded: see the callers
  }

  entries(): Iterable<{ labels: Record<'endpoint' | 'kind' | 'operation' | 'result', string>; n: number }> {
    return this.counts.values();
  }
}

export function createMetrics(tally = new RequestTally()): WebhookMetrics & { tally: RequestTally } {
  const registry = createMetricsRegistry({ processMetricsPrefix: 'metagent_webhooks_' });
  return {
    registry,
    requests: new Counter({
      name: 'metagent_webhook_requests_total',
      help: 'Admission reviews handled, by endpoint (mutate/validate), kind, operation and result (allowed, patched, denied, skipped, malformed).',
      labelNames: ['endpoint', 'kind', 'operation', 'result'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { labels, n } of tally.entries()) this.inc(labels, n);
      },
    }),
    latency: new Histogram({
      name: 'metagent_webhook_request_duration_seconds',
      help: 'Time to decide an admission review, by endpoint.',
      labelNames: ['endpoint'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
      registers: [registry],
    }),
    certReloads: new Counter({
      name: 'metagent_webhook_certificate_reloads_total',
      help: 'Serving certificate reloads after the files changed, by result (ok, error).',
      labelNames: ['result'],
      registers: [registry],
    }),
    tally,
  };
}
