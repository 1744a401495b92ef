// The admission webhook server: fastify over HTTPS. POST /mutate and POST /validate take and return
// admission.k8s.io/v1 AdmissionReviews; GET /healthz, /readyz, /metrics. The decisions are pure functions in
// admission.ts; this file is the HTTP shell around them.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Server as HttpsServer } from 'node:https';
import { pino, type Logger } from 'pino';
import { compileValidators, KIND_NAMES, type KindName } from '../crds/index.js';
import { mutate, validateRequest, type Outcome } from './admission.js';
import { boundedClose } from '../lib/bounded-close.js';
import { readPair, startCertReloader } from './cert-reloader.js';
import { useFastJsonBodies } from './json-body.js';
import { createMetrics } from './metrics.js';
import { parseReview, review, type AdmissionRequest } from './review.js';

export interface WebhookServerOptions {
  port?: number;
  host?: string;
  tlsCertFile: string;
  tlsKeyFile: string;
  /** How often the certificate files are polled for rotation (a directory watch also triggers checks). */
  certReloadIntervalMs?: number;
  logger?: Logger;
  logLevel?: string;
  /** On close, how long in-flight reviews may take before every remaining connection is cut (default 3 s). */
  closeGraceMs?: number;
}

export interface WebhookServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Check the certificate files now (tests; the poll and the watch do it on their own). */
  reloadCertificates(): Promise<boolean>;
}

/** The API server's request bodies are far smaller; anything larger is refused with 413 before parsing. */
export const BODY_LIMIT = 1024 * 1024;

const HANDLERS: Record<'mutate' | 'validate', (req: AdmissionRequest) => Outcome> = {
  mutate,
  validate: validateRequest,
};

export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const log =
    opts.logger ?? pino({ name: 'metagent-webhooks', level: opts.logLevel ?? process.env.LOG_LEVEL ?? 'info' });
  const initial = await readPair(opts.tlsCertFile, opts.tlsKeyFile).catch((err: Error) => {
    throw new Error(
      `webhooks: cannot read TLS certificate ${opts.tlsCertFile} / key ${opts.tlsKeyFile}: ${err.message}`,
    );
  });
  compileValidators(); // before listening: the first reviews must not wait for Ajv's code generation
  const metrics = createMetrics();
  const latencyOf = {
    mutate: metrics.latency.labels({ endpoint: 'mutate' }),
    validate: metrics.latency.labels({ endpoint: 'validate' }),
  };

  const app: FastifyInstance<HttpsServer> = Fastify({
    https: { cert: initial.cert, key: initial.key, minVersion: 'TLSv1.2' },
    bodyLimit: BODY_LIMIT,
    // No fastify logger at all: the API server calls this on every write, so instead of fastify's two lines per request
    // the server writes one line per refusal (below) and one per failure (the error handler), with its own fields.
    logger: false,
    // The API server keeps connections alive across admission calls; do not cut them short.
    keepAliveTimeout: 65_000,
  }) as unknown as FastifyInstance<HttpsServer>;

  useFastJsonBodies(app);

  // Malformed JSON, wrong content types and oversized bodies end here with their 4xx; nothing else should.
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (code >= 500) log.error({ err }, 'webhook request failed');
    metrics.tally.add('unknown', '', '', 'malformed');
    void reply
      .code(code)
      .send({ message: code === 413 ? `request body larger than ${BODY_LIMIT} bytes` : err.message });
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ message: `no route ${req.method} ${req.url}` }));

  for (const endpoint of ['mutate', 'validate'] as const) {
    const handle = HANDLERS[endpoint];
    app.post(`/${endpoint}`, async (request, reply) => {
      const started = process.hrtime.bigint();
      const parsed = parseReview(request.body);
      if (!parsed.ok) {
        metrics.tally.add(endpoint, '', '', 'malformed');
        return reply.code(400).send({ message: `malformed AdmissionReview: ${parsed.message}` });
      }
      const req = parsed.request;
      const outcome = handle(req);
      // kind is one of ours or "other", operation one of four (parseReview), so the tally stays small.
      metrics.tally.add(
        endpoint,
        KIND_NAMES.includes(outcome.kind as KindName) ? outcome.kind : 'other',
        req.operation,
        outcome.decision,
      );
      latencyOf[endpoint].observe(Number(process.hrtime.bigint() - started) / 1e9);
      if (outcome.decision === 'denied' || log.isLevelEnabled('debug')) {
        log.info(
          {
            endpoint,
            uid: req.uid,
            kind: outcome.kind,
            namespace: req.namespace,
            name: req.name,
            operation: req.operation,
            decision: outcome.decision,
            message: outcome.response.status?.message,
          },
          'admission',
        );
      }
      return reply.send(review(outcome.response));
    });
  }

  let ready = false;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) =>
    ready ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }),
  );
  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  // Admission reviews take milliseconds; the API server's idle or half-open connections must not hold a shutdown.
  const closeBounded = boundedClose(app.server, opts.closeGraceMs ?? 3_000);
  await app.listen({ port: opts.port ?? 8443, host: opts.host ?? '0.0.0.0' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8443);
  const reloader = startCertReloader({
    certFile: opts.tlsCertFile,
    keyFile: opts.tlsKeyFile,
    initial,
    intervalMs: opts.certReloadIntervalMs ?? 2000,
    install: (pair) => app.server.setSecureContext({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' }),
    onReload: (result, err) => {
      metrics.certReloads.inc({ result });
      if (result === 'ok') log.info({ certFile: opts.tlsCertFile }, 'serving certificate reloaded');
      else
        log.warn(
          { certFile: opts.tlsCertFile, err: err instanceof Error ? err.message : String(err) },
          'serving certificate not reloaded; keeping the current one',
        );
    },
  });
  ready = true;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : '127.0.0.1';
  log.info({ port }, 'webhook server listening');
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    reloadCertificates: () => reloader.check(),
    async close() {
      ready = false;
      reloader.stop();
      await closeBounded(() => app.close());
    },
  };
}
