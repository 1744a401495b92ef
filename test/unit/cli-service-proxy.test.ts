// The service-proxy code path of `metagent invoke` without a cluster: a fake API server (HTTPS with its own CA,
// bearer-token auth, the /api/v1/namespaces/NS/services/NAME:PORT/proxy/ prefix) in front of a minimal v0.3 agent.
// Checks that the kubeconfig's CA and token are used, that the card's in-cluster URL is rebased onto the proxy URL,
// and that JSON-RPC calls go through the proxy prefix.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { generateCerts, type CertBundle } from '../../certs/generate.js';
import { kubeFetch, serviceProxyUrl, loadKubeConfig } from '../../lib/kube.js';
import { connectAgent, outcomeOf, userMessage } from '../../cli/lib/a2a.js';

const PREFIX = '/api/v1/namespaces/kagent/services/k8s-ops-agent:8080/proxy';

describe('invoke through the API server service proxy (fake API server)', () => {
  let certs: CertBundle;
  let server: Server;
  let base: string;
  const seen: { method: string; path: string; auth?: string; body?: unknown }[] = [];

  beforeAll(async () => {
    certs = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
    server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        const path = decodeURIComponent(req.url ?? '');
        seen.push({
          method: req.method ?? '',
          path,
          auth: req.headers.authorization,
          body: raw ? JSON.parse(raw) : undefined,
        });
        if (req.headers.authorization !== 'Bearer test-token') {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"kind":"Status","code":401,"message":"Unauthorized"}');
          return;
        }
        if (!path.startsWith(`${PREFIX}/`)) {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"kind":"Status","code":404,"reason":"NotFound","message":"services \\"x\\" not found"}');
          return;
        }
        const rest = path.slice(PREFIX.length);
        if (req.method === 'GET' && rest === '/.well-known/agent-card.json') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              name: 'k8s-ops-agent',
              description: 'ops',
              url: 'http://k8s-ops-agent.kagent:8080',
              version: '0.1.0',
              protocolVersion: '0.3.0',
              preferredTransport: 'JSONRPC',
              capabilities: { streaming: true },
              defaultInputModes: ['text'],
              defaultOutputModes: ['text'],
              skills: [],
            }),
          );
          return;
        }
        if (req.method === 'POST' && rest === '/') {
          const rpc = JSON.parse(raw) as {
            id: unknown;
            method: string;
            params: { message: { parts: { text?: string }[] } };
          };
          const text = rpc.params.message.parts.map((p) => p.text).join('');
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              jsonrpc: '2.0',
              id: rpc.id,
              result: {
                kind: 'message',
                messageId: 'm1',
                contextId: 'ctx-9',
                role: 'agent',
                parts: [{ kind: 'text', text: `echo: ${text}` }],
              },
            }),
          );
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const kubeconfig = (opts: { ca?: string; token: string }) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: base, ...(opts.ca ? { caData: Buffer.from(opts.ca).toString('base64') } : {}) }],
      users: [{ name: 'u', token: opts.token }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return kc;
  };

  it('builds the proxy URL', () => {
    expect(serviceProxyUrl(kubeconfig({ token: 't' }), 'kagent', 'k8s-ops-agent', 8080)).toBe(
      `${base}/api/v1/namespaces/kagent/services/k8s-ops-agent%3A8080/proxy`,
    );
  });

  it('sends a task through the proxy with the kubeconfig CA and token, on the rebased card URL', async () => {
    const kc = kubeconfig({ ca: certs.caCert, token: 'test-token' });
    const url = serviceProxyUrl(kc, 'kagent', 'k8s-ops-agent', 8080);
    const { client, card } = await connectAgent(url, kubeFetch(kc));
    expect(card.supportedInterfaces[0].url).toBe(`${url}/`);
    const out = outcomeOf(await client.sendMessage(userMessage('is any pod unhealthy?')));
    expect(out).toMatchObject({ text: 'echo: is any pod unhealthy?', contextId: 'ctx-9', failed: false });
    const post = seen.find((s) => s.method === 'POST');
    expect(post).toMatchObject({ path: `${PREFIX}/`, auth: 'Bearer test-token' });
    expect((post!.body as { method: string }).method).toBe('message/send');
  });

  it('refuses a server whose certificate the kubeconfig CA does not sign, and reports 401 and 404', async () => {
    const other = await generateCerts({ dns: ['localhost'], ip: ['127.0.0.1'] });
    const wrongCa = kubeconfig({ ca: other.caCert, token: 'test-token' });
    await expect(kubeFetch(wrongCa)(`${base}/version`)).rejects.toThrow();
    const badToken = kubeconfig({ ca: certs.caCert, token: 'nope' });
    await expect(
      connectAgent(serviceProxyUrl(badToken, 'kagent', 'k8s-ops-agent', 8080), kubeFetch(badToken)),
    ).rejects.toThrow(/: 401$/);
    const good = kubeconfig({ ca: certs.caCert, token: 'test-token' });
    await expect(connectAgent(serviceProxyUrl(good, 'kagent', 'missing', 8080), kubeFetch(good))).rejects.toThrow(
      /: 404$/,
    );
  });

  it('loadKubeConfig names what is wrong', () => {
    expect(() => loadKubeConfig({ kubeconfig: '/nonexistent', fallback: 'default' })).toThrow(
      'cannot load kubeconfig /nonexistent',
    );
  });
});
