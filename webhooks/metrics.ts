// Prometheus metrics of the webhook server, on a registry of its own (never the process-global default).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WebhookMetrics {
  registry: Registry;
  requests: Counter<'endpoint' | 'kind' | 'operation' | 'result'>;
  latency: Histogram<'endpoint'>;
  certReloads: Counter<'result'>;
}

export function createMetrics(): WebhookMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'metagent_webhooks_' });
  return {
    registry,
    requests: new Counter({
      name: 'metagent_webhook_requests_total',
      help: 'Admission reviews handled, by endpoint (mutate/validate), kind, operation and result (allowed, patched, denied, skipped, malformed).',
      labelNames: ['endpoint', 'kind', 'operation', 'result'],
      registers: [registry],
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
  };
}
