// Incoming A2A file and image parts reach the models that take them, through the real A2A SDK client -> the runtime ->
// each provider's real client -> a recording fake of that provider's API; the exact user content each receives is
// asserted. A file a provider cannot take fails the task naming the file and what the provider takes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskState, type Part, type Task } from '@a2a-js/sdk';
import { textOf, textPart, userMessage } from '../../runtime/a2a/parts.js';
import { startFakeHttp, startFakeMetadata, type FakeHttp } from '../mocks/fake-http.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { baseConfig, clientFor, rpc, startAgent } from './helpers.js';

const PNG = Buffer.from('\x89PNG\r\n\x1a\n-not-really-an-image');
const PDF = Buffer.from('%PDF-1.7 a tiny document');
const TXT = Buffer.from('line one\nline two');
const b64 = (b: Buffer) => b.toString('base64');

const raw = (value: Buffer, mediaType: string, filename: string): Part => ({
  content: { $case: 'raw', value },
  metadata: undefined,
  filename,
  mediaType,
});
const url = (value: string, mediaType: string, filename = ''): Part => ({
  content: { $case: 'url', value },
  metadata: undefined,
  filename,
  mediaType,
});

const BYTES = [
  textPart('what is in these?'),
  raw(PNG, 'image/png', 'pod.png'),
  raw(PDF, 'application/pdf', 'runbook.pdf'),
  raw(TXT, 'text/plain', 'notes.txt'),
];
const TEXT_FILE = { text: 'Attached file notes.txt (text/plain):\nline one\nline two' };

type Agent = Awaited<ReturnType<typeof startAgent>>;
async function send(agent: Agent, parts: Part[]): Promise<Task> {
  const client = await clientFor(agent.url);
  const message = { ...userMessage(''), parts };
  return (await client.sendMessage({ tenant: '', message, configuration: undefined, metadata: undefined })) as Task;
}
async function answered(agent: Agent, parts: Part[]): Promise<void> {
  const task = await send(agent, parts);
  expect(textOf(task.status?.message)).toBe('seen');
  expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
}
async function refused(agent: Agent, parts: Part[]): Promise<string> {
  const task = await send(agent, parts);
  expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
  return textOf(task.status?.message);
}

let llm: MockLlm;
const agents: Agent[] = [];
const fakes: FakeHttp[] = [];
const lastUser = (body: { messages?: any[]; input?: any[] }) =>
  [...(body.messages ?? body.input ?? [])].reverse().find((m) => m.role === 'user');

beforeAll(async () => {
  llm = await startMockLlm(() => ({ text: 'seen' }));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await Promise.all(fakes.map((f) => f.close()));
  await llm?.close();
});
async function agent(model: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<Agent> {
  const a = await startAgent(baseConfig(llm.url, { model: { model: 'm', ...model } }), env);
  agents.push(a);
  return a;
}

describe('OpenAI Chat Completions (openai, azure_openai)', () => {
  let a: Agent;
  beforeAll(async () => {
    a = await agent({ type: 'openai', base_url: llm.url });
  });

  it('bytes: image_url with a data URL, file with file_data, a text file as text', async () => {
    await answered(a, BYTES);
    expect(lastUser(llm.requests.at(-1)!.body).content).toEqual([
      { type: 'text', text: 'what is in these?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(PNG)}` } },
      { type: 'file', file: { filename: 'runbook.pdf', file_data: `data:application/pdf;base64,${b64(PDF)}` } },
      { type: 'text', ...TEXT_FILE },
    ]);
  });

  it('an image URL is passed as the URL; a PDF URL is refused (file parts take no URL)', async () => {
    await answered(a, [textPart('look'), url('https://example.com/pod.png', 'image/png')]);
    expect(lastUser(llm.requests.at(-1)!.body).content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url: 'https://example.com/pod.png' } },
    ]);
    const before = llm.requests.length;
    expect(await refused(a, [textPart('read'), url('https://example.com/r.pdf', 'application/pdf', 'r.pdf')])).toBe(
      'Task failed: file 1 "r.pdf" (application/pdf, URL) cannot be passed to the openai model: it takes images (PNG, JPEG, GIF, WebP) as bytes or URL, PDF as bytes, text files (text/*, JSON, YAML, XML) as bytes',
    );
    expect(llm.requests.length).toBe(before);
  });

  it('an unsupported type fails the task before the model is called', async () => {
    const before = llm.requests.length;
    expect(await refused(a, [textPart('unpack'), raw(Buffer.from('PK'), 'application/zip', 'logs.zip')])).toMatch(
      /^Task failed: file 1 "logs\.zip" \(application\/zip, bytes\) cannot be passed to the openai model: it takes /,
    );
    expect(llm.requests.length).toBe(before);
  });

  it('a message without files still sends its text as a plain string', async () => {
    await answered(a, [textPart('just text')]);
    expect(lastUser(llm.requests.at(-1)!.body).content).toBe('just text');
  });

  it('kagent v0.3 file parts (FileWithBytes, FileWithUri) over JSON-RPC arrive the same way', async () => {
    const res = await rpc(a.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          messageId: 'm-v03',
          role: 'user',
          parts: [
            { kind: 'text', text: 'v0.3' },
            { kind: 'file', file: { bytes: b64(PNG), mimeType: 'image/png', name: 'pod.png' } },
            { kind: 'file', file: { uri: 'https://example.com/node.jpg', mimeType: 'image/jpeg' } },
          ],
        },
      },
    });
    expect(res.json.result.status.state).toBe('completed');
    expect(lastUser(llm.requests.at(-1)!.body).content).toEqual([
      { type: 'text', text: 'v0.3' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(PNG)}` } },
      { type: 'image_url', image_url: { url: 'https://example.com/node.jpg' } },
    ]);
  });
});

describe('OpenAI Responses API (api_format: responses)', () => {
  it('input_image and input_file, as bytes and as URLs', async () => {
    const a = await agent({ type: 'openai', base_url: llm.url, api_format: 'responses' });
    await answered(a, [...BYTES, url('https://example.com/r.pdf', 'application/pdf')]);
    const req = llm.requests.at(-1)!;
    expect(req.path).toMatch(/\/responses$/);
    expect(lastUser(req.body).content).toEqual([
      { type: 'input_text', text: 'what is in these?' },
      { type: 'input_image', detail: 'auto', image_url: `data:image/png;base64,${b64(PNG)}` },
      { type: 'input_file', filename: 'runbook.pdf', file_data: `data:application/pdf;base64,${b64(PDF)}` },
      { type: 'input_text', ...TEXT_FILE },
      { type: 'input_file', file_url: 'https://example.com/r.pdf' },
    ]);
  });
});

describe('Gemini (Google’s OpenAI-compatible endpoint)', () => {
  it('images as data URLs (inline data); a PDF is refused naming what it takes', async () => {
    const a = await agent({ type: 'gemini', base_url: llm.url }, { GOOGLE_API_KEY: 'g' });
    await answered(a, [textPart('look'), raw(PNG, 'image/png', 'pod.png')]);
    expect(lastUser(llm.requests.at(-1)!.body).content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(PNG)}` } },
    ]);
    expect(await refused(a, BYTES)).toBe(
      'Task failed: file 2 "runbook.pdf" (application/pdf, bytes) cannot be passed to the gemini model: it takes images (PNG, JPEG, GIF, WebP) as bytes, text files (text/*, JSON, YAML, XML) as bytes',
    );
  });
});

describe("Vertex AI's native generateContent (gemini_vertex_ai)", () => {
  it('bytes as inlineData, URIs as fileData, for images and PDFs; a text file as text', async () => {
    const metadata = await startFakeMetadata('wi-token');
    fakes.push(metadata);
    vi.stubEnv('GCE_METADATA_HOST', metadata.host);
    try {
      const a = await agent({ type: 'gemini_vertex_ai', base_url: llm.url });
      const parts = (body: Record<string, unknown>) =>
        (body.contents as Array<{ role: string; parts: unknown[] }>).filter((c) => c.role === 'user').at(-1)!.parts;
      await answered(a, BYTES);
      expect(parts(llm.requests.at(-1)!.body)).toEqual([
        { text: 'what is in these?' },
        { inlineData: { mimeType: 'image/png', data: b64(PNG) } },
        { inlineData: { mimeType: 'application/pdf', data: b64(PDF) } },
        TEXT_FILE,
      ]);
      await answered(a, [
        textPart('and these?'),
        url('gs://bucket/pod.png', 'image/png'),
        url('https://example.com/r.pdf', 'application/pdf'),
      ]);
      expect(parts(llm.requests.at(-1)!.body)).toEqual([
        { text: 'and these?' },
        { fileData: { mimeType: 'image/png', fileUri: 'gs://bucket/pod.png' } },
        { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/r.pdf' } },
      ]);
      expect(llm.requests.at(-1)!.headers.authorization).toBe('Bearer wi-token');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("Ollama's /api/chat", () => {
  it('images base64 in the message, a text file in its content; a PDF and an image URL are refused', async () => {
    const a = await agent({ type: 'ollama', base_url: llm.url });
    await answered(a, [textPart('look'), raw(PNG, 'image/png', 'pod.png'), raw(TXT, 'text/plain', 'notes.txt')]);
    expect(llm.requests.at(-1)!.path).toBe('/api/chat');
    expect(lastUser(llm.requests.at(-1)!.body)).toEqual({
      role: 'user',
      content: `look\n\n${TEXT_FILE.text}`,
      images: [b64(PNG)],
    });
    expect(await refused(a, BYTES)).toBe(
      'Task failed: file 2 "runbook.pdf" (application/pdf, bytes) cannot be passed to the ollama model: it takes images (PNG, JPEG, GIF, WebP) as bytes, text files (text/*, JSON, YAML, XML) as bytes',
    );
    expect(await refused(a, [url('https://example.com/pod.png', 'image/png')])).toMatch(
      /file 1 \(image\/png, URL\) cannot be passed to the ollama model/,
    );
  });
});

describe('Anthropic Messages API', () => {
  it('image and document blocks, base64 and URL', async () => {
    const fake = await startFakeHttp(() => ({
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [{ type: 'text', text: 'seen' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    }));
    fakes.push(fake);
    const a = await agent({ type: 'anthropic', base_url: fake.url }, { ANTHROPIC_API_KEY: 'ak' });
    await answered(a, [...BYTES, url('https://example.com/pod.webp', 'image/webp')]);
    const body = JSON.parse(fake.seen.at(-1)!.body) as { messages: any[] };
    expect(fake.seen.at(-1)!.url).toBe('/v1/messages');
    expect(lastUser(body).content).toEqual([
      { type: 'text', text: 'what is in these?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64(PNG) } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64(PDF) } },
      { type: 'text', ...TEXT_FILE },
      { type: 'image', source: { type: 'url', url: 'https://example.com/pod.webp' } },
    ]);
  });
});

describe('Bedrock Converse', () => {
  it('image and document blocks as bytes; a URL is refused (Converse takes bytes or S3 only)', async () => {
    const fake = await startFakeHttp(() => ({
      body: {
        output: { message: { role: 'assistant', content: [{ text: 'seen' }] } },
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    }));
    fakes.push(fake);
    const a = await agent(
      { type: 'bedrock', region: 'us-east-1', base_url: fake.url },
      { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' },
    );
    await answered(a, [...BYTES.slice(0, 2), raw(PDF, 'application/pdf', 'run book (v2).final.pdf'), BYTES[3]]);
    const body = JSON.parse(fake.seen.at(-1)!.body) as { messages: any[] };
    expect(lastUser(body).content).toEqual([
      { text: 'what is in these?' },
      { image: { format: 'png', source: { bytes: b64(PNG) } } },
      { document: { format: 'pdf', name: 'run book (v2)-final', source: { bytes: b64(PDF) } } },
      TEXT_FILE,
    ]);
    const seen = fake.seen.length;
    expect(await refused(a, [textPart('x'), url('https://example.com/pod.png', 'image/png', 'pod.png')])).toBe(
      'Task failed: file 1 "pod.png" (image/png, URL) cannot be passed to the bedrock model: it takes images (PNG, JPEG, GIF, WebP) as bytes, PDF as bytes, text files (text/*, JSON, YAML, XML) as bytes',
    );
    expect(fake.seen.length).toBe(seen);
  });
});
