// OpenTelemetry tracing. With an OTLP endpoint in the environment the runtime gets the SDK's TracerProvider exporting over
// OTLP/HTTP (JSON) through a batch processor; without one, a no-op tracer, so instrumented code costs next to nothing.
// Nothing is registered globally (no global provider, context manager or propagator): parents are passed explicitly,
// which keeps two runtimes in one process (tests, agents-as-tools) apart.
import {
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
  type Tracer,
} from '@opentelemetry/api';

export interface TracingSetup {
  tracer: Tracer;
  /** Where spans go, for a startup log line; undefined when tracing is off. */
  endpoint: string | undefined;
  /** Configuration this tracer cannot honour, for a startup warning (e.g. OTLP/gRPC requested). */
  warnings: string[];
  /** Resolves when spans are really recorded (at once when tracing is off). */
  ready: Promise<void>;
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP traces URL the standard OTEL_* variables name, or undefined when tracing is off. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase();
  if (
    exporters !== '' &&
    !exporters
      .split(',')
      .map((s) => s.trim())
      .includes('otlp')
  )
    return undefined;
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific; // used as given, per the OTLP exporter spec
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** `k1=v1,k2=v2` (values URL-encoded), the format of OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES. */
export function parseKeyValueList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (value ?? '').split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/**
 * Synchronous so that callers need no await: the tracer is a proxy whose delegate is set once the SDK has loaded
 * (lazily, ~60 ms, only when tracing is on). Spans started before `ready` resolves are no-ops; a server that must trace
 * its very first request awaits `ready` before it listens.
 */
export function createTracing(serviceName: string, env: NodeJS.ProcessEnv): TracingSetup {
  const url = otlpTracesUrl(env);
  // A ProxyTracerProvider without a delegate hands out the API's no-op tracer, without touching the global provider.
  const proxy = new ProxyTracerProvider();
  const tracer = proxy.getTracer(serviceName);
  if (!url) return { tracer, endpoint: undefined, warnings: [], ready: Promise.resolve(), shutdown: async () => {} };
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '')
    .trim()
    .toLowerCase();
  const warnings =
    protocol === 'grpc'
      ? [
          `OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; exporting OTLP/HTTP (JSON) to ${url} — point the endpoint at the collector's HTTP port (4318)`,
        ]
      : [];

  let provider: { shutdown(): Promise<void> } | undefined;
  const ready = (async () => {
    // Loaded only when tracing is on: the SDK and exporter are most of the tracing cost at startup.
    const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
      await Promise.all([
        import('@opentelemetry/sdk-trace'),
        import('@opentelemetry/exporter-trace-otlp-http'),
        import('@opentelemetry/resources'),
      ]);
    const headers = {
      ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    };
    const resourceAttributes: Attributes = {
      ...parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES),
      'service.name': env.OTEL_SERVICE_NAME?.trim() || serviceName,
    };
    if (env.KAGENT_NAMESPACE) resourceAttributes['service.namespace'] ??= env.KAGENT_NAMESPACE;
    const sdk = new TracerProvider({
      resource: resourceFromAttributes(resourceAttributes),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url, headers }) })],
    });
    provider = sdk;
    proxy.setDelegate(sdk);
  })();
  // Tracing failing to load must not crash the runtime through an unhandled rejection; awaiting `ready` still throws.
  ready.catch(() => {});
  let done: Promise<void> | undefined;
  return {
    tracer,
    endpoint: url,
    warnings,
    ready,
    // Flushes what the batch processor still holds; an unreachable collector must not hold up a SIGTERM for long.
    shutdown: () =>
      (done ??= (async () => {
        await ready.catch(() => {});
        if (provider) await withTimeout(provider.shutdown(), 5_000);
      })()),
  };
}

async function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  if (timer) clearTimeout(timer);
}

/** The context that makes `parent` the parent of the next span started with it (no global context manager needed). */
export function contextWithSpan(parent: Span | undefined, base: Context = ROOT_CONTEXT): Context {
  return parent ? trace.setSpan(base, parent) : base;
}

/**
 * Runs `fn` inside a span: the span ends when `fn` settles, and a throw is recorded on it with status ERROR before it
 * is rethrown. `parent` is a span or a context (e.g. from {@link contextFromTraceparent}).
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  opts: { attributes?: Attributes; parent?: Span | Context; kind?: SpanKind },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const ctx = isSpan(opts.parent) ? contextWithSpan(opts.parent) : (opts.parent ?? ROOT_CONTEXT);
  const span = tracer.startSpan(name, { attributes: opts.attributes, kind: opts.kind }, ctx);
  try {
    return await fn(span);
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}

function isSpan(v: Span | Context | undefined): v is Span {
  return v !== undefined && typeof (v as Span).spanContext === 'function';
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A context whose parent is the W3C `traceparent` header of an incoming request; the root context when absent. */
export function contextFromTraceparent(header: string | string[] | undefined): Context {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (!m || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: m[1],
    spanId: m[2],
    traceFlags: Number.parseInt(m[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** The W3C `traceparent` header value that continues `span`'s trace in a call to another agent; undefined if unsampled. */
export function traceparentOf(span: Span): string | undefined {
  const sc = span.spanContext();
  if (!trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & TraceFlags.SAMPLED) === (TraceFlags.SAMPLED as number) ? '01' : '00'}`;
}
