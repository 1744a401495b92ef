import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { generateCerts, writeCerts, type CertFiles } from '../../certs/generate.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';

let dir: string;
let files: CertFiles;
let caCert: string;
let server: WebhookServer;
let agent: Agent;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metagent-webhook-'));
  const bundle = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
  caCert = bundle.caCert;
  files = await writeCerts(dir, bundle);
  server = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    tlsCertFile: files.cert,
    tlsKeyFile: files.key,
    certReloadIntervalMs: 60_000, // the test triggers checks itself
    logger: pino({ level: 'silent' }),
  });
  agent = new Agent({ connect: { ca: caCert } });
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(path: string, body: string | object, contentType = 'application/json') {
  const res = await request(`${server.url}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: await res.body.text() };
}

const reviewOf = (kind: string, object: unknown, operation = 'CREATE') => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'u-42',
    kind: { group: 'kagent.dev', version: 'v1alpha2', kind },
    operation,
    name: 'x',
    namespace: 'n',
    object,
  },
});

describe('webhook server', () => {
  it('serves health, readiness and metrics', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await request(`${server.url}${path}`, { dispatcher: agent });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
    await post('/mutate', reviewOf('ModelConfig', { spec: { model: 'm' } }));
    const res = await request(`${server.url}/metrics`, { dispatcher: agent });
    const text = await res.body.text();
    expect(text).toContain(
      'metagent_webhook_requests_total{endpoint="mutate",kind="ModelConfig",operation="CREATE",result="patched"} 1',
    );
    expect(text).toContain('metagent_webhook_request_duration_seconds_bucket');
  });

  it('answers AdmissionReviews with the request uid', async () => {
    const res = await post('/validate', reviewOf('RemoteMCPServer', { spec: { url: '' } }));
    expect(res.status).toBe(200);
    const review = JSON.parse(res.body);
    expect(review).toMatchObject({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u-42',
        allowed: false,
        status: { code: 422, message: 'RemoteMCPServer "x" is invalid: spec.url: must not be empty' },
      },
    });
    const mut = JSON.parse(
      (await post('/mutate', reviewOf('Agent', { spec: { declarative: { runtime: 'go', stream: false } } }))).body,
    );
    expect(JSON.parse(Buffer.from(mut.response.patch, 'base64').toString())).toEqual([
      { op: 'add', path: '/spec/type', value: 'Declarative' },
    ]);
  });

  it('refuses malformed requests with 4xx and a message', async () => {
    const cases: [string | object, number, RegExp][] = [
      ['{not json', 400, /JSON/i],
      [{ apiVersion: 'v1', kind: 'Pod' }, 400, /^malformed AdmissionReview: apiVersion must be admission.k8s.io\/v1/],
      [[1, 2], 400, /^malformed AdmissionReview: body must be/],
      ['null', 400, /./],
    ];
    for (const [body, status, message] of cases) {
      const res = await post('/validate', body);
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body).message).toMatch(message);
    }
    const big = JSON.stringify({ ...reviewOf('Agent', { spec: { description: 'x'.repeat(1024 * 1024) } }) });
    const res = await post('/validate', big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).message).toBe('request body larger than 1048576 bytes');
    expect((await post('/validate', 'a=b', 'text/plain')).status).toBe(400);
    expect((await post('/validate', '<a/>', 'application/xml')).status).toBe(415);
    expect((await post('/nope', {})).status).toBe(404);
  });

  it('fails to start with a clear message when the certificate is missing', async () => {
    await expect(
      startWebhookServer({
        port: 0,
        host: '127.0.0.1',
        tlsCertFile: join(dir, 'missing.crt'),
        tlsKeyFile: files.key,
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toThrow(/cannot read TLS certificate .*missing\.crt/);
  });

  it('reloads the serving certificate when the files change, and keeps it when they are broken', async () => {
    const servedSerial = () =>
      new Promise<string>((resolve, reject) => {
        const s = connect(
          { host: '127.0.0.1', port: server.port, rejectUnauthorized: false, servername: 'localhost' },
          () => {
            const pem = s.getPeerX509Certificate();
            s.end();
            resolve(pem ? pem.serialNumber : '');
          },
        );
        s.on('error', reject);
      });
    const before = await servedSerial();
    expect(before).toBe(
      new X509Certificate(await import('node:fs').then((f) => f.readFileSync(files.cert))).serialNumber,
    );

    await writeFile(files.cert, 'not a certificate');
    expect(await server.reloadCertificates()).toBe(false);
    expect(await servedSerial()).toBe(before);

    const next = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
    await writeCerts(dir, next);
    // The directory watch may have installed it already; either way, after a check the new pair is served.
    await server.reloadCertificates();
    const after = await servedSerial();
    expect(after).toBe(new X509Certificate(next.cert).serialNumber);
    expect(after).not.toBe(before);
    // A client that trusts only the new CA now gets through.
    const fresh = new Agent({ connect: { ca: next.caCert } });
    const res = await request(`${server.url}/healthz`, { dispatcher: fresh });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await fresh.close();
    const again = new Agent({ connect: { ca: next.caCert } });
    const metrics = await (await request(`${server.url}/metrics`, { dispatcher: again })).body.text();
    await again.close();
    expect(metrics).toMatch(/metagent_webhook_certificate_reloads_total\{result="ok"\} 1\n/);
    expect(metrics).toMatch(/metagent_webhook_certificate_reloads_total\{result="error"\} [1-9]/);
  });

  it('picks up a rotation on its own (watch + poll), as with a cert-manager Secret volume', async () => {
    const own = await mkdtemp(join(tmpdir(), 'metagent-webhook-rotate-'));
    try {
      const first = await generateCerts({ ip: ['127.0.0.1'] });
      const f = await writeCerts(own, first);
      const s = await startWebhookServer({
        port: 0,
        host: '127.0.0.1',
        tlsCertFile: f.cert,
        tlsKeyFile: f.key,
        certReloadIntervalMs: 200,
        logger: pino({ level: 'silent' }),
      });
      const serial = () =>
        new Promise<string>((resolve, reject) => {
          const c = connect({ host: '127.0.0.1', port: s.port, rejectUnauthorized: false }, () => {
            const cert = c.getPeerX509Certificate();
            c.end();
            resolve(cert ? cert.serialNumber : '');
          });
          c.on('error', reject);
        });
      expect(await serial()).toBe(new X509Certificate(first.cert).serialNumber);
      const second = await generateCerts({ ip: ['127.0.0.1'] });
      await writeCerts(own, second);
      const want = new X509Certificate(second.cert).serialNumber;
      const deadline = Date.now() + 5000;
      let got = '';
      while (Date.now() < deadline && (got = await serial()) !== want) await new Promise((r) => setTimeout(r, 100));
      expect(got).toBe(want);
      await s.close();
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});
