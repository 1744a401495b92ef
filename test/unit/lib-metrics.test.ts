// lib/metrics.ts: each server's registry is its own (no series shared through prom-client's global registry), with
// process metrics only when asked for, under the server's prefix, and the registry's labels on every series.
import { Counter, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../lib/metrics.js';

describe('createMetricsRegistry', () => {
  it('gives two servers in one process registries that share nothing, the global one untouched', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    const make = (registers: [typeof a]) => new Counter({ name: 'metagent_test_total', help: 'h', registers });
    make([a]).inc(2);
    make([b]).inc(5); // the same name again: no "already registered" error
    expect(await a.metrics()).toContain('metagent_test_total 2');
    expect(await b.metrics()).toContain('metagent_test_total 5');
    expect(await globalRegistry.metrics()).not.toContain('metagent_test_total');
  });

  it('collects process metrics only when a prefix is given, under that prefix', async () => {
    expect(await createMetricsRegistry().metrics()).not.toContain('process_cpu');
    const text = await createMetricsRegistry({ processMetricsPrefix: 'metagent_x_' }).metrics();
    expect(text).toMatch(/^metagent_x_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^metagent_x_process_resident_memory_bytes /m);
    expect(await createMetricsRegistry({ processMetricsPrefix: '' }).metrics()).toMatch(/^process_cpu_seconds_total /m);
  });

  it('puts the registry labels on every series', async () => {
    const r = createMetricsRegistry({ labels: { service: 'agent-a' } });
    new Counter({ name: 'metagent_y_total', help: 'h', registers: [r] }).inc();
    expect(await r.metrics()).toContain('metagent_y_total{service="agent-a"} 1');
  });
});
