// A real HTTP server playing a model provider's models endpoint (OpenAI/Anthropic /v1/models, Gemini's
// /v1beta/models, Ollama's /api/tags, Azure's /openai/v1/models): tests set what it answers and read what it was asked.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProviderAnswer {
  status?: number;
  /** JSON-serialised unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (a hung provider). */
  hang?: boolean;
}

export interface MockProvider {
  url: string;
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** What GET on any path answers; change it between requests. */
  answer: ProviderAnswer;
  close(): Promise<void>;
}

export async function startMockProvider(answer: ProviderAnswer = { body: { data: [] } }): Promise<MockProvider> {
  const mock: MockProvider = { url: '', requests: [], answer, close: async () => undefined };
  const server = createServer((req, res) => {
    mock.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const a = mock.answer;
    if (a.hang) return;
    const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mock.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return mock;
}

/** The provider's answer listing `ids`, in each provider type's own shape. */
export const MODELS_BODY: Record<string, (ids: string[]) => unknown> = {
  data: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) }),
  gemini: (ids) => ({ models: ids.map((id) => ({ name: `models/${id}`, displayName: id })) }),
  ollama: (ids) => ({ models: ids.map((name) => ({ name, model: name, size: 1 })) }),
};
