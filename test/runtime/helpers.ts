// Shared setup for runtime tests: write a kagent config directory, start the runtime in-process on a free port with
// the card advertising its real address, and talk to it with the @a2a-js/sdk client.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import type { Task } from '@a2a-js/sdk';
import { startRuntime, type RuntimeHandle } from '../../runtime/index.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';

export const CONFORMANCE = new URL('../../../shared/conformance/kagent-v0.10/', import.meta.url);

export function agentCard(name = 'test_agent'): Record<string, unknown> {
  return {
    name,
    description: 'a test agent',
    version: '',
    capabilities: { streaming: true },
    defaultInputModes: ['text'],
    defaultOutputModes: ['text'],
    skills: null,
    supportedInterfaces: [
      { protocolBinding: 'JSONRPC', protocolVersion: '0.3', url: 'http://test-agent.test:8080' },
      { protocolBinding: 'JSONRPC', protocolVersion: '1.0', url: 'http://test-agent.test:8080' },
    ],
  };
}

export function baseConfig(llmUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: '',
    instruction: 'You are a helpful Kubernetes assistant.',
    model: { type: 'openai', model: 'gpt-4o', base_url: llmUrl, headers: { 'User-Agent': 'kagent/1.0' } },
    stream: false,
    ...extra,
  };
}

export async function writeConfigDir(config: unknown, card: unknown = agentCard()): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'metagent-rt-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'agent-card.json'), JSON.stringify(card));
  return dir;
}

/** Fast timings so retry and reconnect tests finish quickly; LOG_LEVEL keeps test output readable. */
export const TEST_ENV: NodeJS.ProcessEnv = {
  OPENAI_API_KEY: 'sk-test-secret-key',
  METAGENT_LLM_RETRY_BASE_MS: '10',
  METAGENT_MCP_RECONNECT_BASE_MS: '100',
  METAGENT_MCP_RECONNECT_MAX_MS: '300',
  METAGENT_SHUTDOWN_GRACE_SECONDS: '2',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
};

export async function startAgent(
  config: unknown,
  env: NodeJS.ProcessEnv = {},
  card?: unknown,
): Promise<RuntimeHandle & { dir: string }> {
  const dir = await writeConfigDir(config, card);
  const rt = await startRuntime({
    filepath: dir,
    host: '127.0.0.1',
    port: 0,
    env: { ...TEST_ENV, ...env },
    publicUrl: 'listen',
  });
  return { ...rt, dir };
}

export function clientFor(url: string): Promise<Client> {
  return new ClientFactory().createFromUrl(url);
}

/**
 * One text message over the SDK client into `contextId` (a new context when absent), with extra HTTP headers (e.g.
 * kagent's x-user-id); resolves the task it answers with and that task's final status text.
 */
export async function sendText(
  url: string,
  text: string,
  opts: { contextId?: string; headers?: Record<string, string> } = {},
): Promise<{ task: Task; answer: string }> {
  const client = await clientFor(url);
  const task = (await client.sendMessage(
    {
      tenant: '',
      message: userMessage(text, { contextId: opts.contextId }),
      configuration: undefined,
      metadata: undefined,
    },
    { serviceParameters: opts.headers ?? {} },
  )) as Task;
  return { task, answer: textOf(task.status?.message) };
}

/** A raw JSON-RPC call, for the v0.3 wire format kagent's clients send and for malformed input. */
export async function rpc(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Reads an SSE response into its JSON events. */
export async function sseEvents(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => JSON.parse(l.slice(5).trim()));
}

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * `metagent runtime` as a child process on a free port (for its exit codes and log lines); `url` resolves once it logs
 * that it listens, and rejects if it exits first (a test expecting a failed start awaits `exited` instead).
 */
export function spawnRuntimeCli(dir: string, env: NodeJS.ProcessEnv = {}, port = 0) {
  const child = spawn(
    process.execPath,
    ['bin/metagent.js', 'runtime', '--filepath', dir, '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd: repoRoot,
      env: { ...process.env, ...TEST_ENV, LOG_LEVEL: 'info', ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const url = new Promise<string>((res, rej) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /"url":"(http:\/\/[^"]+)".*agent runtime listening/.exec(stdout);
      if (m) res(m[1]);
    });
    void exited.then((code) => rej(new Error(`exited ${code}: ${stderr}`)));
  });
  url.catch(() => undefined);
  return {
    child,
    url,
    exited,
    output: () => ({ stdout, stderr }),
    /** The JSON log lines written so far. */
    lines: () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    /** SIGTERM; resolves to the exit code. */
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
