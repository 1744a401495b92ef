// The runtime's telemetry: Prometheus metrics in a per-instance registry, OpenTelemetry traces when the OTLP endpoint
// variables are set, and gen_ai span-attribute helpers. See README.md for names and variables.
import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { createRegistry, type RuntimeMetrics } from './metrics.js';
import { createTracing } from './tracing.js';

export type { RuntimeMetrics } from './metrics.js';
export { METRIC_PREFIX, createRuntimeMetrics } from './metrics.js';
export {
  GEN_AI,
  GEN_AI_OPERATION,
  agentTaskAttributes,
  genAiSystem,
  llmRequestAttributes,
  llmUsageAttributes,
  toolCallAttributes,
} from './gen-ai.js';
export { contextFromTraceparent, contextWithSpan, otlpTracesUrl, traceparentOf, withSpan } from './tracing.js';

export interface Telemetry {
  metrics: RuntimeMetrics;
  tracer: Tracer;
  /** This instance's registry: serve `await registry.metrics()` with `registry.contentType` on GET /metrics. */
  registry: Registry;
  /** The OTLP traces URL in use, for a startup log line; undefined when tracing is off. */
  tracesEndpoint: string | undefined;
  /** Tracing configuration that cannot be honoured (e.g. OTLP/gRPC requested); log these at startup. */
  warnings: string[];
  /**
   * Resolves once the tracing SDK is loaded (immediately when tracing is off); spans started before are no-ops. Await it
   * before listening to trace the first request.
   */
  ready: Promise<void>;
  /** Flushes pending spans (bounded wait) and drops the metrics. Safe to call twice. */
  shutdown(): Promise<void>;
}

export function createTelemetry(opts: { serviceName: string; env: NodeJS.ProcessEnv }): Telemetry {
  const { registry, metrics } = createRegistry(opts.serviceName);
  const tracing = createTracing(opts.serviceName, opts.env);
  return {
    metrics,
    tracer: tracing.tracer,
    registry,
    tracesEndpoint: tracing.endpoint,
    warnings: tracing.warnings,
    ready: tracing.ready,
    shutdown: async () => {
      await tracing.shutdown();
      registry.clear();
    },
  };
}
