// Prometheus metrics of the hook server, on a registry of its own (lib/metrics.ts).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../lib/metrics.js';

export interface HookMetrics {
  registry: Registry;
  /** Requests per hook and HTTP status code. */
  requests: Counter<'hook' | 'code'>;
  /** Handling time per hook (seconds), from body parsed to response serialized. */
  duration: Histogram<'hook'>;
  /** Failed requests per hook and kind of failure (bad_request, internal, overloaded). */
  errors: Counter<'hook' | 'kind'>;
  /** Requests being handled right now per pool (the overload guard's counters). */
  inFlight: Gauge<'pool'>;
  /** RemoteMCPServer probes by result: cached (no connection), ok, error. */
  mcpProbes: Counter<'result'>;
  /** Time spent connecting to MCP servers and listing their tools (seconds). */
  mcpProbeDuration: Histogram;
  /** ModelProviderConfig model listings by result: cached (no request), ok, error. */
  modelDiscoveries: Counter<'result'>;
  /** Time spent asking model providers for their models (seconds). */
  modelDiscoveryDuration: Histogram;
}

/**
 * Counts the server keeps in plain variables on every request and the registry reads only when scraped: prom-client's
 * per-call label handling (validate, hash, look up) on every request measurably cost the hook server CPU under load
 * (bench:hooks, sync-hooks/README.md).
 */
export interface HookTallies {
  /** Requests being handled now, per pool. */
  inFlight(): Record<string, number>;
  /** Requests answered since start: hook -> HTTP status code -> count. */
  requests(): ReadonlyMap<string, ReadonlyMap<number, number>>;
}

export function createHookMetrics(opts: { defaultMetrics?: boolean; tallies?: HookTallies } = {}): HookMetrics {
  const registry = createMetricsRegistry(opts.defaultMetrics ? { processMetricsPrefix: 'metagent_sync_hooks_' } : {});
  const tallies = opts.tallies;
  return {
    registry,
    requests: new Counter({
      name: 'metagent_sync_hook_requests_total',
      help: 'Hook requests by hook and HTTP status code',
      labelNames: ['hook', 'code'] as const,
      registers: [registry],
      collect() {
        if (!tallies) return;
        this.reset();
        for (const [hook, byCode] of tallies.requests())
          for (const [code, n] of byCode) this.inc({ hook, code: String(code) }, n);
      },
    }),
    duration: new Histogram({
      name: 'metagent_sync_hook_duration_seconds',
      help: 'Hook handling time by hook',
      labelNames: ['hook'] as const,
      // Pure hooks take well under a millisecond; the RemoteMCPServer probe may take up to its 5 s timeout.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'metagent_sync_hook_errors_total',
      help: 'Failed hook requests by hook and kind (bad_request, internal, overloaded)',
      labelNames: ['hook', 'kind'] as const,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'metagent_sync_hook_in_flight',
      help: 'Hook requests being handled, by pool (hooks; probes: RemoteMCPServer syncs)',
      labelNames: ['pool'] as const,
      registers: [registry],
      collect() {
        if (!tallies) return;
        for (const [pool, n] of Object.entries(tallies.inFlight())) this.set({ pool }, n);
      },
    }),
    mcpProbes: new Counter({
      name: 'metagent_sync_hook_mcp_probes_total',
      help: 'RemoteMCPServer tool discovery by result (cached: answered without connecting)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    mcpProbeDuration: new Histogram({
      name: 'metagent_sync_hook_mcp_probe_duration_seconds',
      help: 'Time to connect to an MCP server and list its tools',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    modelDiscoveries: new Counter({
      name: 'metagent_sync_hook_model_discoveries_total',
      help: 'ModelProviderConfig model discovery by result (cached: answered without asking the provider)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    modelDiscoveryDuration: new Histogram({
      name: 'metagent_sync_hook_model_discovery_duration_seconds',
      help: "Time to list a model provider's models",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
