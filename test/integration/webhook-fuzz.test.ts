// Sends 6,000 random and mutated AdmissionReviews straight at the webhook server over HTTPS: no 5xx, no crash, and
// every 200 answer is a well-formed AdmissionReview for the request it answers.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateCerts, writeCerts } from '../../certs/generate.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';
import { fuzzer, prng, type Json, type Vocabulary } from '../fuzz/random-json.js';

const inputsDir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));
const TOTAL = 6000;
const CONCURRENCY = 16;

const VOCABULARY: Vocabulary = {
  strings: [
    'Declarative',
    'BYO',
    'McpServer',
    'Agent',
    'OpenAI',
    'SSE',
    'http://x',
    'https://y',
    '30s',
    '__proto__',
    'constructor',
    '\u0000',
    '💥',
  ],
  keys: [
    'spec',
    'type',
    'declarative',
    'tools',
    'mcpServer',
    'name',
    'toolNames',
    'requireApproval',
    '__proto__',
    'a.b',
    'x/y',
    '~0',
  ],
  addKeys: ['type', 'tools', 'extra', 'tls', 'byo', 'declarative', 'url'],
};

let dir: string;
let server: WebhookServer;
let agent: Agent;
const seeds: { kind: string; obj: Json }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metagent-fuzz-'));
  const bundle = await generateCerts({ ip: ['127.0.0.1'], dns: ['localhost'] });
  const files = await writeCerts(dir, bundle);
  server = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    tlsCertFile: files.cert,
    tlsKeyFile: files.key,
    logger: pino({ level: 'silent' }),
  });
  agent = new Agent({ connect: { ca: bundle.caCert }, connections: CONCURRENCY });
  for (const f of (await readdir(inputsDir)).filter((n) => n.endsWith('.yaml'))) {
    const doc = parse(await readFile(join(inputsDir, f), 'utf8')) as { objects: { kind: string }[] };
    for (const o of doc.objects)
      if (['Agent', 'ModelConfig', 'RemoteMCPServer'].includes(o.kind))
        seeds.push({ kind: o.kind, obj: o as unknown as Json });
  }
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('webhook fuzz', () => {
  it(`answers ${TOTAL} random and mutated AdmissionReviews without a 5xx`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20260517);
    const rand = prng(seed);
    const { pick, randomValue, mutateOnce } = fuzzer(rand, VOCABULARY);
    expect(seeds.length).toBeGreaterThan(40);

    const makeBody = (i: number): { body: string; uid?: string } => {
      const r = rand();
      if (r < 0.05)
        return { body: pick(['', '{', 'null', '[]', '"x"', '{"apiVersion":', '\u0000\u0001', '{}'.repeat(50)]) };
      if (r < 0.15) return { body: JSON.stringify(randomValue(4)) };
      const s = pick(seeds);
      let obj: Json = s.obj;
      for (let n = Math.floor(rand() * 4); n > 0; n--) obj = mutateOnce(obj);
      const uid = `fuzz-${i}`;
      const requestObj: Record<string, Json> = {
        uid,
        kind: {
          group: rand() < 0.9 ? 'kagent.dev' : 'apps',
          version: 'v1alpha2',
          kind: rand() < 0.85 ? s.kind : pick(['Agent', 'ModelConfig', 'RemoteMCPServer', 'Pod', '']),
        },
        operation: rand() < 0.9 ? pick(['CREATE', 'UPDATE']) : pick(['DELETE', 'CONNECT']),
        name: 'fuzz',
        namespace: 'fuzz',
        object: obj,
      };
      if (rand() < 0.1) requestObj.subResource = 'status';
      if (rand() < 0.1) requestObj.oldObject = s.obj;
      let review: Json = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: requestObj };
      if (rand() < 0.1) review = mutateOnce(review); // break the envelope itself sometimes
      return { body: JSON.stringify(review), uid };
    };

    const failures: string[] = [];
    const counts: Record<number, number> = {};
    // Built up front so that a seed replays the same requests whatever the interleaving of the workers.
    const cases = Array.from({ length: TOTAL }, (_, i) => ({
      ...makeBody(i),
      path: rand() < 0.5 ? '/mutate' : '/validate',
    }));
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const { body, uid, path } = cases[i];
        const res = await request(`${server.url}${path}`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await res.body.text();
        counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
        const fail = (why: string) => failures.push(`#${i} ${path} ${res.statusCode} ${why}: ${body.slice(0, 200)}`);
        if (res.statusCode >= 500) fail('5xx');
        let parsed: any;
        try {
          parsed = JSON.parse(text);
        } catch {
          fail('non-JSON answer');
          continue;
        }
        if (res.statusCode === 200) {
          const r = parsed?.response;
          if (parsed.apiVersion !== 'admission.k8s.io/v1' || parsed.kind !== 'AdmissionReview')
            fail('not an AdmissionReview');
          else if (typeof r?.allowed !== 'boolean') fail('no allowed');
          else if (uid && JSON.parse(body)?.request?.uid === uid && r.uid !== uid) fail('uid not echoed');
          else if (
            r.patch !== undefined &&
            (r.patchType !== 'JSONPatch' || !Array.isArray(JSON.parse(Buffer.from(r.patch, 'base64').toString())))
          )
            fail('bad patch');
          else if (!r.allowed && (typeof r.status?.message !== 'string' || r.status.code !== 422))
            fail('refusal without status');
        } else if (typeof parsed?.message !== 'string') fail('error without message');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures.slice(0, 10), `seed ${seed}`).toEqual([]);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect(counts[200]).toBeGreaterThan(TOTAL / 2); // most requests get past the envelope checks
    expect(counts[400]).toBeGreaterThan(0);
    expect(counts[413] ?? 0).toBe(0);
    const health = await request(`${server.url}/healthz`, { dispatcher: agent });
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  }, 120_000);
});
