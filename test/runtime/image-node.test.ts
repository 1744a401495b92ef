// The runtime as its image runs it: the compiled dist/ with production entry point bin/metagent.js, on the Node.js
// major of the Dockerfile rather than the Node that runs the tests. Node's HTTP internals differ between majors
// (a stream cut short on 22 and 24 but not on 20 once slipped through), so the seed scenario runs here again:
// MCP over streamable HTTP, v1.0 and v0.3 streams and sends, the SQLite store across a SIGTERM restart.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TaskState, type Task } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../cluster/cluster.js';
import { startMcpServer, type McpTestServer } from '../mocks/mcp-server.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { podScript } from '../mocks/pod-script.js';
import { textOf, userMessage } from '../../runtime/a2a/parts.js';
import { agentCard, baseConfig, clientFor, rpc, sseEvents } from './helpers.js';
import { dockerfileNodeMajor, ensureNode } from './image-node.js';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The image's /app: dist/ compiled from these sources, bin/metagent.js, package.json, the dependencies. */
async function buildApp(): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), 'metagent-app-'));
  await run(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', join(repoRoot, 'tsconfig.json'), '--outDir', join(app, 'dist')], { cwd: repoRoot });
  await mkdir(join(app, 'bin'));
  await copyFile(join(repoRoot, 'bin/metagent.js'), join(app, 'bin/metagent.js'));
  await copyFile(join(repoRoot, 'package.json'), join(app, 'package.json'));
  await symlink(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
  return app;
}

interface Runtime {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM; resolves to the exit code. */
  stop(): Promise<number | null>;
}

async function startRuntime(node: string, app: string, configDir: string, env: NodeJS.ProcessEnv): Promise<Runtime> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(node, [join(app, 'bin/metagent.js'), 'runtime', '--filepath', configDir, '--host', '127.0.0.1', '--port', String(port)], {
    cwd: app,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`runtime exited ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${url}/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`runtime not ready within 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    stderr: () => stderr,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Every bare module specifier the compiled files import (static, dynamic or side-effect imports), by file. */
async function bareImports(dir: string): Promise<Array<{ file: string; spec: string }>> {
  const found: Array<{ file: string; spec: string }> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/(?:(?<!['"])\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"./][^'"]*)['"]/g)) found.push({ file, spec: m[1] });
  }
  return found;
}

const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

const major = await dockerfileNodeMajor(join(repoRoot, 'Dockerfile'));

describe(`the runtime as the image runs it: dist/ on Node.js ${major}`, () => {
  let node: string | undefined;
  let skipReason: string | undefined;
  let app: string;
  let llm: MockLlm;
  let mcp: McpTestServer;
  let configDir: string;
  let storeFile: string;
  let rt: Runtime | undefined;
  // METAGENT_PUBLIC_URL=listen: the card advertises the address the runtime listens on, which the SDK client uses.
  const env = () => ({ OPENAI_API_KEY: 'sk-image-test', METAGENT_STORE: `sqlite:${storeFile}`, METAGENT_PUBLIC_URL: 'listen' });

  beforeAll(async () => {
    try {
      node = await ensureNode(major);
    } catch (err) {
      // CI installs nothing for this (npm fetches it), so there a failure to fetch is a failure, not a skip.
      if (process.env.CI) throw err;
      skipReason = (err as Error).message;
      return;
    }
    [app, llm, mcp] = await Promise.all([buildApp(), startMockLlm(podScript), startMcpServer()]);
    configDir = await mkdtemp(join(tmpdir(), 'metagent-image-config-'));
    const config = baseConfig(llm.url, { stream: true, http_tools: [{ params: { url: mcp.url }, tools: ['list_pods'] }] });
    await writeFile(join(configDir, 'config.json'), JSON.stringify(config));
    await writeFile(join(configDir, 'agent-card.json'), JSON.stringify(agentCard()));
    storeFile = join(configDir, 'store.sqlite');
    rt = await startRuntime(node, app, configDir, env());
  }, 180_000);
  afterAll(async () => {
    await rt?.stop();
    await llm?.close();
    await mcp?.close();
  });

  let streamedTaskId = '';

  it('imports nothing but Node built-ins and production dependencies (the image installs only those)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imports = await bareImports(join(app, 'dist'));
    expect(imports.length).toBeGreaterThan(20);
    const outside = imports.filter(({ spec }) => !isBuiltin(spec) && !(packageOf(spec) in pkg.dependencies));
    expect(outside.map(({ file, spec }) => `${file.slice(app.length + 1)}: ${spec}`)).toEqual([]);
  });

  it('runs on the Dockerfile’s Node.js major (its own metrics say so)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const metrics = await (await fetch(`${rt!.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`nodejs_version_info\\{[^}]*major="${major}"`));
  });

  it('v1.0 message/stream: tool call and result, text deltas, completed', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const client = await clientFor(rt!.url);
    const events = [];
    const send = { tenant: '', message: userMessage('Is any pod unhealthy?'), configuration: undefined, metadata: undefined };
    for await (const ev of client.sendMessageStream(send)) events.push(ev);
    const updates = events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? [e.payload.value] : []));
    expect(updates.at(-1)?.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const data = updates.flatMap((u) => u.status?.message?.parts ?? []).filter((p) => p.content?.$case === 'data');
    expect(data).toHaveLength(2); // the call and its result
    const deltas = updates.filter((u) => u.status?.state === TaskState.TASK_STATE_WORKING).map((u) => textOf(u.status?.message));
    expect(deltas.join('')).toContain('CrashLoopBackOff');
    streamedTaskId = updates.at(-1)!.taskId;
  });

  it('v0.3 message/stream ends with a final completed status-update', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const events = await sseEvents(rt!.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/stream',
      params: { message: { kind: 'message', messageId: 'img-1', role: 'user', parts: [{ kind: 'text', text: 'Any unhealthy pod?' }] } },
    });
    const last = events.at(-1).result;
    expect(last).toMatchObject({ kind: 'status-update', final: true, status: { state: 'completed' } });
    expect(events.map((e) => e.result.kind)).toContain('task');
  });

  it('v1.0 message/send answers with the completed task', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const client = await clientFor(rt!.url);
    const task = (await client.sendMessage({ tenant: '', message: userMessage('Which pod is unhealthy?'), configuration: undefined, metadata: undefined })) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.status?.message)).toContain('worker-5f6d7c8b9-xyz12');
  });

  it('exits 0 on SIGTERM and, restarted on the same SQLite file, still has the streamed task', async (t) => {
    if (skipReason) return t.skip(skipReason);
    expect(streamedTaskId).not.toBe('');
    const code = await rt!.stop();
    expect(code, rt!.stderr()).toBe(0);
    rt = await startRuntime(node!, app, configDir, env());
    const got = await rpc(rt.url, { jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { id: streamedTaskId } });
    expect(got.json.result).toMatchObject({ id: streamedTaskId, status: { state: 'completed' } });
  });
});
