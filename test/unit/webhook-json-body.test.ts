// useFastJsonBodies parses plain bodies with JSON.parse and hands everything else to fastify's own parser. Seen from
// outside nothing may differ: the same bodies are accepted with the same values, and the same ones refused with the
// same status and message (prototype-poisoning keys, escaped or not, empty bodies, BOMs, broken JSON).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { maybePoisoned, useFastJsonBodies } from '../../webhooks/json-body.js';

function app(fast: boolean): FastifyInstance {
  const a = Fastify();
  if (fast) useFastJsonBodies(a);
  a.post('/echo', async (req) => ({
    body: req.body,
    proto: Object.getPrototypeOf(req.body ?? {}) === Object.prototype,
  }));
  return a;
}
const plain = app(false);
const fast = app(true);
afterAll(async () => {
  await plain.close();
  await fast.close();
});

const BODIES = [
  '{"apiVersion":"admission.k8s.io/v1","request":{"uid":"u","object":{"metadata":{"name":"a"}}}}',
  '{"a":[1,2,{"b":null}],"c":"text with \\"quotes\\" and \\n"}',
  '{"__proto__":{"polluted":true}}',
  '{"a":{"__proto__":{"x":1}}}',
  '{"\\u005f_proto__":{"x":1}}',
  '{"__pr\\u006fto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"a":{"constructor":{"prototype":{"x":1}}}}',
  '{"constructor":"just a string"}',
  '{"text":"mentions __proto__ and constructor in a value"}',
  '{"escaped":"\\u00e9t\\u00e9"}',
  '\uFEFF{"bom":true}',
  '',
  '   ',
  '{"broken":',
  'null',
  '42',
  '"str"',
  '[1,2,3]',
  '{"a":1}  ',
  '{"a":1} x',
];

describe('useFastJsonBodies', () => {
  it.each(BODIES.map((b) => [JSON.stringify(b), b]))(
    'answers %s exactly as fastify’s default parser',
    async (_name, body) => {
      const req = {
        method: 'POST' as const,
        url: '/echo',
        headers: { 'content-type': 'application/json' },
        payload: body,
      };
      const [a, b] = await Promise.all([plain.inject(req), fast.inject(req)]);
      expect({ status: b.statusCode, body: b.body }).toEqual({ status: a.statusCode, body: a.body });
    },
  );

  it('refuses prototype-poisoning keys with 400 (also escaped) and the values never reach a prototype', async () => {
    for (const payload of [
      '{"__proto__":{"polluted":true}}',
      '{"\\u005f_proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
    ]) {
      const res = await fast.inject({
        method: 'POST',
        url: '/echo',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBe(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('sends every text the regex scan could match to the careful parser', () => {
    for (const t of ['{"__proto__":1}', '{"\\u005f_proto__":1}', '{"constructor":1}', '{"x":"\\u0041"}'])
      expect(maybePoisoned(t)).toBe(true);
    for (const t of ['{"a":1}', '{"proto":"_constructo_r"}']) expect(maybePoisoned(t)).toBe(false);
  });
});
