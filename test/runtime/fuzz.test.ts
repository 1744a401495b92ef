// Sends 1,500 random and mutated JSON-RPC requests (v0.3 and v1.0 methods, real task ids, odd headers and bodies) at
// one runtime over HTTP: never a 5xx, every JSON answer a well-formed JSON-RPC response, every stream well-formed
// server-sent events, nothing left hanging, no internal error counted — and the agent still answers afterwards.
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { fuzzer, prng, type Json, type Vocabulary } from '../fuzz/random-json.js';
import { baseConfig, rpc, startAgent } from './helpers.js';

const TOTAL = 1500;
const CONCURRENCY = 8;

const METHODS = [
  'message/send',
  'message/stream',
  'tasks/get',
  'tasks/cancel',
  'tasks/resubscribe',
  'tasks/pushNotificationConfig/set',
  'tasks/pushNotificationConfig/get',
  'agent/getAuthenticatedExtendedCard',
  'SendMessage',
  'SendStreamingMessage',
  'GetTask',
  'CancelTask',
  'ListTasks',
  'SubscribeToTask',
  'GetExtendedAgentCard',
  'nope',
] as const;

const VOCABULARY: Vocabulary = {
  strings: [
    'user',
    'agent',
    'ROLE_USER',
    'text',
    'data',
    'file',
    'message',
    'task',
    'approve',
    'reject',
    'input-required',
    '__proto__',
    'constructor',
    '\u0000',
    '💥',
    'http://x',
  ],
  keys: [
    'message',
    'parts',
    'kind',
    'text',
    'data',
    'role',
    'messageId',
    'taskId',
    'contextId',
    'id',
    'metadata',
    'configuration',
    'historyLength',
    'decision_type',
    '__proto__',
  ],
  addKeys: [
    'taskId',
    'contextId',
    'configuration',
    'metadata',
    'referenceTaskIds',
    'extensions',
    'historyLength',
    'blocking',
  ],
};

let llm: MockLlm;
let rt: Awaited<ReturnType<typeof startAgent>>;
let dispatcher: Agent;

beforeAll(async () => {
  // The A2A SDK reports refused requests on console.error/warn (the metagent runtime command turns that into JSON
  // logs); here it would be thousands of lines of noise.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  llm = await startMockLlm(() => ({ text: 'ok' }), { record: false });
  rt = await startAgent(baseConfig(llm.url));
  dispatcher = new Agent({ connections: CONCURRENCY, headersTimeout: 15_000, bodyTimeout: 15_000 });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await dispatcher?.close();
  await rt?.close();
  await llm?.close();
});

const send = (text: string, extra: Record<string, Json> = {}): Json => ({
  kind: 'message',
  messageId: `m-${text}`,
  role: 'user',
  parts: [{ kind: 'text', text }],
  ...extra,
});

describe('runtime fuzz', () => {
  it(`answers ${TOTAL} random and mutated JSON-RPC requests without a 5xx, a malformed answer or a hang`, async () => {
    // Real ids first, so that requests about existing tasks and contexts reach deeper than "not found".
    const known: { taskId: string; contextId: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await rpc(rt.url, {
        jsonrpc: '2.0',
        id: i,
        method: 'message/send',
        params: { message: send(`seed ${i}`) },
      });
      known.push({ taskId: r.json.result.id, contextId: r.json.result.contextId });
    }

    const seed = Number(process.env.FUZZ_SEED ?? 20261127);
    const rand = prng(seed);
    const { pick, randomValue, mutateOnce } = fuzzer(rand, VOCABULARY);
    const seeds: Array<{ method: string; params: Json }> = [
      { method: 'message/send', params: { message: send('hello') } },
      { method: 'message/stream', params: { message: send('stream me') } },
      { method: 'message/send', params: { message: send('follow-up', { contextId: known[0].contextId }) } },
      { method: 'message/send', params: { message: send('to a finished task', { taskId: known[1].taskId }) } },
      {
        method: 'message/send',
        params: {
          message: {
            kind: 'message',
            messageId: 'd',
            role: 'user',
            parts: [{ kind: 'data', data: { decision_type: 'approve' } }],
            taskId: known[2].taskId,
          },
        },
      },
      { method: 'tasks/get', params: { id: known[0].taskId, historyLength: 1 } },
      { method: 'tasks/cancel', params: { id: known[3].taskId } },
      { method: 'tasks/resubscribe', params: { id: known[0].taskId } },
      {
        method: 'SendMessage',
        params: { message: { messageId: 'v1', role: 'ROLE_USER', parts: [{ text: 'v1 hello' }] } },
      },
      { method: 'GetTask', params: { id: known[0].taskId } },
      { method: 'ListTasks', params: { pageSize: 5 } },
    ];

    type Case = { body: string | Buffer; headers: Record<string, string> };
    const makeCase = (i: number): Case => {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      };
      if (rand() < 0.3) headers['a2a-version'] = pick(['1.0', '0.3', '9.9', '']);
      const r = rand();
      if (r < 0.04)
        headers['content-type'] = pick([
          'text/plain',
          'application/json; charset=iso-8859-1',
          'application/x-www-form-urlencoded',
          'application/JSON',
        ]);
      if (r < 0.08)
        return {
          headers,
          body: pick([
            '',
            '{',
            'null',
            '[]',
            '"x"',
            '{"jsonrpc":',
            '\u0000\u0001',
            '{}'.repeat(50),
            '{"jsonrpc":"2.0","method":"message/send"}',
          ]),
        };
      if (r < 0.1)
        return {
          headers: { ...headers, 'content-encoding': 'gzip' },
          body:
            rand() < 0.5
              ? 'not gzip at all'
              : gzipSync('{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"id":"x"}}'),
        };
      if (r < 0.2) return { headers, body: JSON.stringify(randomValue(4)) };
      const s = pick(seeds);
      let params: Json = s.params;
      for (let n = Math.floor(rand() * 4); n > 0; n--) params = mutateOnce(params);
      let envelope: Json = {
        jsonrpc: '2.0',
        id: rand() < 0.9 ? i : pick<Json>([null, 'str', 1.5, {}, []]),
        method: rand() < 0.85 ? s.method : pick(METHODS),
        params,
      };
      if (rand() < 0.08) envelope = mutateOnce(envelope);
      return { headers, body: JSON.stringify(envelope) };
    };
    // Built up front so that a seed replays the same requests whatever the interleaving of the workers.
    const cases = Array.from({ length: TOTAL }, (_, i) => makeCase(i));

    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const { body, headers } = cases[i];
        const fail = (why: string) => failures.push(`#${i} ${why}: ${String(body).slice(0, 200)}`);
        let res;
        try {
          res = await request(rt.url, { method: 'POST', dispatcher, headers, body });
        } catch (err) {
          fail(`no answer (${(err as Error).message})`);
          continue;
        }
        let text: string;
        try {
          text = await res.body.text();
        } catch (err) {
          fail(`answer cut short (${(err as Error).message})`);
          continue;
        }
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 500) fail(`HTTP ${res.statusCode} ${text.slice(0, 200)}`);
        const type = String(res.headers['content-type'] ?? '');
        if (type.startsWith('text/event-stream')) {
          for (const line of text.split('\n').filter((l) => l.startsWith('data:'))) {
            try {
              const ev = JSON.parse(line.slice(5));
              if (ev.jsonrpc !== '2.0' || !('result' in ev || 'error' in ev))
                fail(`SSE event not a JSON-RPC response: ${line.slice(0, 200)}`);
              if (ev.error?.code === -32603) fail(`internal error for client input: ${line.slice(0, 200)}`);
            } catch {
              fail(`SSE data not JSON: ${line.slice(0, 200)}`);
            }
          }
        } else if (type.startsWith('application/json')) {
          let json: { jsonrpc?: string; result?: unknown; error?: { code?: unknown } };
          try {
            json = JSON.parse(text);
          } catch {
            fail(`JSON answer does not parse: ${text.slice(0, 200)}`);
            continue;
          }
          if (res.statusCode === 200 && (json.jsonrpc !== '2.0' || 'result' in json === 'error' in json))
            fail(`not a JSON-RPC response: ${text.slice(0, 200)}`);
          if (json.error && typeof json.error.code !== 'number')
            fail(`error without a numeric code: ${text.slice(0, 200)}`);
          if (json.error?.code === -32603) fail(`internal error for client input: ${text.slice(0, 200)}`);
        } else {
          fail(`unexpected content type "${type}" (HTTP ${res.statusCode})`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(failures.slice(0, 20), `seed ${seed}; statuses ${JSON.stringify(statuses)}`).toEqual([]);
    // Mostly protocol answers, and both good and bad paths taken.
    expect(statuses[200]).toBeGreaterThan(TOTAL * 0.8);
    expect(Object.keys(statuses).length).toBeGreaterThan(1);

    const metrics = await (await fetch(`${rt.url}/metrics`)).text();
    expect(metrics).not.toMatch(/metagent_runtime_errors_total\{kind="internal"\} [1-9]/);
    expect((await fetch(`${rt.url}/health`)).status).toBe(200);
    const after = await rpc(rt.url, {
      jsonrpc: '2.0',
      id: 'after',
      method: 'message/send',
      params: { message: send('still there?') },
    });
    expect(after.json.result.status.state).toBe('completed');
  }, 120_000);
});
