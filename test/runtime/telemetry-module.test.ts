// (The runtime-level telemetry test — a whole task traced end to end — is test/runtime/telemetry.test.ts.)
// Telemetry against real receivers: an OTLP/HTTP endpoint served by the test receives the spans; the Prometheus text
// carries the series the runtime reports.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GEN_AI,
  contextFromTraceparent,
  createTelemetry,
  llmRequestAttributes,
  llmUsageAttributes,
  otlpTracesUrl,
  toolCallAttributes,
  traceparentOf,
  withSpan,
  type Telemetry,
} from '../../runtime/telemetry/index.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

async function startOtlpReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Flattens OTLP/JSON export requests into spans with their attributes as a plain object. */
function spansOf(received: Received[]) {
  return received.flatMap((r) =>
    (r.body.resourceSpans ?? []).flatMap((rs: any) =>
      (rs.scopeSpans ?? []).flatMap((ss: any) =>
        (ss.spans ?? []).map((s: any) => ({
          name: s.name as string,
          traceId: s.traceId as string,
          spanId: s.spanId as string,
          parentSpanId: (s.parentSpanId ?? '') as string,
          status: s.status,
          resource: Object.fromEntries(
            (rs.resource?.attributes ?? []).map((a: any) => [a.key, Object.values(a.value)[0]]),
          ),
          attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value)[0]])),
        })),
      ),
    ),
  );
}

/** Prometheus text → value by `name{label="v",...}` with the labels sorted, so label order does not matter. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = (m[2] ?? '').match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? [];
    out.set(`${m[1]}{${labels.sort().join(',')}}`, Number(m[3]));
  }
  return out;
}

/** The key `samples` uses for a series. */
function series(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;
}

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('tracing', () => {
  it('exports spans with gen_ai attributes and parent links to an OTLP/HTTP receiver when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const receiver = await startOtlpReceiver();
    try {
      telemetry = createTelemetry({
        serviceName: 'metagent-runtime',
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
          OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=team%20a',
          KAGENT_NAMESPACE: 'kagent',
        },
      });
      expect(telemetry.tracesEndpoint).toBe(`${receiver.url}/v1/traces`);
      await telemetry.ready;
      const { tracer } = telemetry;
      await withSpan(tracer, 'invoke_agent k8s-agent', {}, async (task) => {
        await withSpan(
          tracer,
          'chat gpt-4o',
          { parent: task, attributes: llmRequestAttributes({ provider: 'OpenAI', model: 'gpt-4o' }) },
          async (llm) => {
            llm.setAttributes(llmUsageAttributes({ inputTokens: 12, outputTokens: 34 }));
          },
        );
        await expect(
          withSpan(
            tracer,
            'execute_tool list_pods',
            { parent: task, attributes: toolCallAttributes({ tool: 'list_pods', callId: 'call_1' }) },
            async () => {
              throw new Error('tool server down');
            },
          ),
        ).rejects.toThrow('tool server down');
      });
      await telemetry.shutdown(); // flushes the batch processor

      expect(receiver.received.length).toBeGreaterThan(0);
      expect(receiver.received[0].path).toBe('/v1/traces');
      expect(receiver.received[0].headers['x-tenant']).toBe('team a');
      const spans = spansOf(receiver.received);
      const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
      expect(Object.keys(byName).sort()).toEqual(['chat gpt-4o', 'execute_tool list_pods', 'invoke_agent k8s-agent']);
      const root = byName['invoke_agent k8s-agent'];
      const llm = byName['chat gpt-4o'];
      const tool = byName['execute_tool list_pods'];
      expect(root.resource['service.name']).toBe('metagent-runtime');
      expect(root.resource['service.namespace']).toBe('kagent');
      expect(llm.traceId).toBe(root.traceId);
      expect(llm.parentSpanId).toBe(root.spanId);
      expect(tool.parentSpanId).toBe(root.spanId);
      expect(llm.attributes[GEN_AI.system]).toBe('openai');
      expect(llm.attributes[GEN_AI.requestModel]).toBe('gpt-4o');
      expect(llm.attributes[GEN_AI.operationName]).toBe('chat');
      expect(Number(llm.attributes[GEN_AI.usageInputTokens])).toBe(12);
      expect(Number(llm.attributes[GEN_AI.usageOutputTokens])).toBe(34);
      expect(tool.attributes[GEN_AI.toolName]).toBe('list_pods');
      expect(tool.attributes[GEN_AI.operationName]).toBe('execute_tool');
      expect(tool.status.code).toBe(2); // ERROR
      expect(tool.status.message).toBe('tool server down');
    } finally {
      await receiver.close();
    }
  });

  it('is a no-op tracer without an endpoint, and honours OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none', async () => {
    telemetry = createTelemetry({ serviceName: 'x', env: {} });
    expect(telemetry.tracesEndpoint).toBeUndefined();
    const span = telemetry.tracer.startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(
      otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeUndefined();
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(
      'http://c:4318/v1/traces',
    );
    // OTLP/gRPC cannot be served by this exporter: said once, at startup.
    const grpc = createTelemetry({
      serviceName: 'x',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    });
    expect(grpc.warnings).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported')]);
    await grpc.shutdown();
    expect(telemetry.warnings).toEqual([]);
    // The signal-specific endpoint is used exactly as given.
    expect(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/x',
      }),
    ).toBe('http://t:1/x');
  });

  it('continues an incoming W3C traceparent and produces one for outgoing calls; ignores malformed ones', async () => {
    const receiver = await startOtlpReceiver();
    try {
      telemetry = createTelemetry({ serviceName: 's', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
      await telemetry.ready;
      const parent = contextFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      let header: string | undefined;
      await withSpan(telemetry.tracer, 'child', { parent }, async (span) => {
        header = traceparentOf(span);
      });
      expect(header).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
      await telemetry.shutdown();
      const [child] = spansOf(receiver.received);
      expect(child.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(child.parentSpanId).toBe('b7ad6b7169203331');
      for (const bad of [
        undefined,
        '',
        'garbage',
        '00-00000000000000000000000000000000-b7ad6b7169203331-01',
        '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
      ]) {
        const ctx = contextFromTraceparent(bad);
        expect(telemetry.tracer.startSpan('x', {}, ctx).spanContext().traceId).not.toBe(
          '0af7651916cd43dd8448eb211c80319c',
        );
      }
    } finally {
      await receiver.close();
    }
  });

  it('an unreachable collector does not make shutdown hang or throw', async () => {
    telemetry = createTelemetry({ serviceName: 's', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' } });
    await telemetry.ready;
    telemetry.tracer.startSpan('lost').end();
    const t0 = Date.now();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe('metrics', () => {
  it('reports every runtime series with Prometheus names, plus default process metrics, in a per-instance registry', async () => {
    telemetry = createTelemetry({ serviceName: 'metagent-runtime', env: {} });
    const m = telemetry.metrics;
    m.a2aRequest('message/send', 'ok');
    m.a2aRequest('message/send', 'ok');
    m.a2aRequest('tasks/get', 'error');
    m.taskDuration(1.5, 'completed');
    m.llmTokens('gpt-4o', 100, 20);
    m.llmTokens('gpt-4o', 5, 1);
    m.toolCall('list_pods', 'ok', 0.02);
    m.toolCall('list_pods', 'error', 0.5);
    m.error('llm');
    const text = await telemetry.registry.metrics();
    const s = samples(text);
    expect(
      s.get(
        series('metagent_runtime_a2a_requests_total', {
          method: 'message/send',
          outcome: 'ok',
          service: 'metagent-runtime',
        }),
      ),
    ).toBe(2);
    expect(
      s.get(
        series('metagent_runtime_a2a_requests_total', {
          method: 'tasks/get',
          outcome: 'error',
          service: 'metagent-runtime',
        }),
      ),
    ).toBe(1);
    expect(
      s.get(
        series('metagent_runtime_task_duration_seconds_count', { state: 'completed', service: 'metagent-runtime' }),
      ),
    ).toBe(1);
    expect(
      s.get(
        series('metagent_runtime_task_duration_seconds_bucket', {
          le: '2.5',
          state: 'completed',
          service: 'metagent-runtime',
        }),
      ),
    ).toBe(1);
    expect(
      s.get(
        series('metagent_runtime_llm_tokens_total', { model: 'gpt-4o', type: 'input', service: 'metagent-runtime' }),
      ),
    ).toBe(105);
    expect(
      s.get(
        series('metagent_runtime_llm_tokens_total', { model: 'gpt-4o', type: 'output', service: 'metagent-runtime' }),
      ),
    ).toBe(21);
    expect(
      s.get(
        series('metagent_runtime_tool_calls_total', {
          tool: 'list_pods',
          outcome: 'error',
          service: 'metagent-runtime',
        }),
      ),
    ).toBe(1);
    expect(
      s.get(
        series('metagent_runtime_tool_call_duration_seconds_count', { tool: 'list_pods', service: 'metagent-runtime' }),
      ),
    ).toBe(2);
    expect(s.get(series('metagent_runtime_errors_total', { kind: 'llm', service: 'metagent-runtime' }))).toBe(1);
    expect(text).toMatch(/^process_resident_memory_bytes\{service="metagent-runtime"\} \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds/m);

    // A second instance in the same process has its own, empty counters (no global registry, no double registration).
    const other = createTelemetry({ serviceName: 'other', env: {} });
    try {
      const otherText = await other.registry.metrics();
      expect(otherText).not.toContain('message/send');
      expect(otherText).toContain('# TYPE metagent_runtime_a2a_requests_total counter');
    } finally {
      await other.shutdown();
    }
  });

  it('ignores negative, NaN and infinite values instead of corrupting counters', async () => {
    telemetry = createTelemetry({ serviceName: 's', env: {} });
    expect(() => telemetry!.metrics.llmTokens('m', -5, Number.NaN)).not.toThrow();
    expect(() => telemetry!.metrics.toolCall('t', 'ok', Number.POSITIVE_INFINITY)).not.toThrow();
    expect(() => telemetry!.metrics.taskDuration(-1, 'failed')).not.toThrow();
    const text = await telemetry.registry.metrics();
    const s = samples(text);
    expect(s.get(series('metagent_runtime_llm_tokens_total', { model: 'm', type: 'input', service: 's' }))).toBe(0);
    expect(s.get(series('metagent_runtime_task_duration_seconds_sum', { state: 'failed', service: 's' }))).toBe(0);
  });
});
