// The runtime as its image ships it: dist/ compiled by tsconfig.build.json, started through bin/metagent.js with a
// node_modules that holds the production dependencies only (what the image's `npm ci --omit=dev` installs). A module
// that imports a devDependency, or a source file left out of the build, fails here rather than in a cluster.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../cluster/cluster.js';
import { startMockLlm, type MockLlm } from '../mocks/mock-llm.js';
import { agentCard, baseConfig, rpc, sseEvents } from './helpers.js';
import { buildWeb } from '../dashboard/build-web.js';
import { WEB_DIST } from '../../dashboard/server/web-root.js';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The top-level node_modules entries of the production dependency tree (`npm ls --omit=dev`). */
async function productionPackages(): Promise<string[]> {
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: repoRoot,
    maxBuffer: 16 << 20,
  });
  return stdout
    .split('\n')
    .map((p) => relative(join(repoRoot, 'node_modules'), p))
    .filter((p) => p && !p.startsWith('..') && /^(@[^/]+\/)?[^/]+$/.test(p));
}

/** The image's /app: dist/, bin/metagent.js, package.json and only the production packages. */
async function buildApp(): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), 'metagent-app-'));
  await run(
    join(repoRoot, 'node_modules/.bin/tsc'),
    ['-p', join(repoRoot, 'tsconfig.build.json'), '--outDir', join(app, 'dist')],
    { cwd: repoRoot },
  );
  await mkdir(join(app, 'bin'));
  await copyFile(join(repoRoot, 'bin/metagent.js'), join(app, 'bin/metagent.js'));
  await copyFile(join(repoRoot, 'package.json'), join(app, 'package.json'));
  const packages = await productionPackages();
  if (packages.length < 20) throw new Error(`npm ls --omit=dev listed only ${packages.length} packages`);
  for (const pkg of packages) {
    await mkdir(join(app, 'node_modules', pkg, '..'), { recursive: true });
    await symlink(join(repoRoot, 'node_modules', pkg), join(app, 'node_modules', pkg));
  }
  return app;
}

/** Every bare module specifier the compiled files import (static, dynamic or side-effect imports). */
async function bareImports(dir: string): Promise<Array<{ file: string; spec: string }>> {
  const found: Array<{ file: string; spec: string }> = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(
      /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]((?:node:)?@?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)['"]/g,
    ))
      found.push({ file, spec: m[1] });
  }
  return found;
}

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

async function dockerfileNodeMajor(dockerfile: string): Promise<number> {
  const m = /^ARG NODE_IMAGE=(?:\S*\/)?node:(\d+)[-\w.]*$/m.exec(await readFile(dockerfile, 'utf8'));
  if (!m) throw new Error(`${dockerfile}: no "ARG NODE_IMAGE=node:<major>-slim" line`);
  return Number(m[1]);
}

describe('the compiled runtime with production dependencies only', () => {
  let app: string;
  let llm: MockLlm;
  let child: ChildProcess;
  let url: string;
  let stderr = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    [app, llm] = await Promise.all([buildApp(), startMockLlm(() => ({ text: 'No pod is unhealthy.' }))]);
    const configDir = await mkdtemp(join(tmpdir(), 'metagent-dist-config-'));
    await writeFile(join(configDir, 'config.json'), JSON.stringify(baseConfig(llm.url, { stream: true })));
    await writeFile(join(configDir, 'agent-card.json'), JSON.stringify(agentCard()));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      [join(app, 'bin/metagent.js'), 'runtime', '--filepath', configDir, '--host', '127.0.0.1', '--port', String(port)],
      {
        cwd: app,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          OPENAI_API_KEY: 'sk-dist-test',
          METAGENT_PUBLIC_URL: 'listen',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    exited = new Promise((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`runtime exited ${child.exitCode}: ${stderr}`);
      if (
        await fetch(`${url}/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`runtime not ready within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 180_000);
  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await llm?.close();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('runs on the Node.js major of the Dockerfile, the one the tests run on', async () => {
    const major = await dockerfileNodeMajor(join(repoRoot, 'Dockerfile'));
    expect(Number(process.versions.node.split('.')[0])).toBe(major);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`nodejs_version_info\\{[^}]*major="${major}"`));
  });

  it('imports nothing but Node built-ins and production dependencies', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imports = await bareImports(join(app, 'dist'));
    expect(imports.length).toBeGreaterThan(20);
    const outside = imports.filter(({ spec }) => !isBuiltin(spec) && !(packageOf(spec) in pkg.dependencies));
    expect(outside.map(({ file, spec }) => `${file.slice(app.length + 1)}: ${spec}`)).toEqual([]);
  });

  it('answers v0.3 message/send and message/stream from dist/', async () => {
    const message = (id: string) => ({
      kind: 'message',
      messageId: id,
      role: 'user',
      parts: [{ kind: 'text', text: 'Is any pod unhealthy?' }],
    });
    const sent = await rpc(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: { message: message('dist-1') },
    });
    expect(sent.json.result.status.state, sent.text).toBe('completed');
    expect(JSON.stringify(sent.json.result.status.message ?? sent.json.result.artifacts)).toContain(
      'No pod is unhealthy.',
    );
    const events = await sseEvents(url, {
      jsonrpc: '2.0',
      id: 2,
      method: 'message/stream',
      params: { message: message('dist-2') },
    });
    expect(events.at(-1).result).toMatchObject({ kind: 'status-update', final: true, status: { state: 'completed' } });
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
  });
});

describe('the compiled dashboard serving the built web app, as the control-plane image holds them', () => {
  it("npm run build's two parts laid out as the Dockerfile does: /healthz, index.html and its assets", async () => {
    // The control-plane stage puts the web app where defaultWebRoot() looks from dist/dashboard/server/.
    const dockerfile = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');
    const stage = dockerfile.slice(dockerfile.indexOf('AS control-plane'));
    expect(stage).toContain(`COPY --from=build /src/dashboard-web ./${WEB_DIST}`);
    const app = await buildApp();
    let child: ChildProcess | undefined;
    try {
      await buildWeb(join(app, WEB_DIST));
      // No API call is made for these pages: any kubeconfig will do.
      const kubeconfig = join(app, 'kubeconfig');
      await writeFile(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
          users: [{ name: 'u', user: { token: 'unused' } }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'c',
        }),
      );
      const port = await freePort();
      let stderr = '';
      child = spawn(
        process.execPath,
        [join(app, 'bin/metagent.js'), 'dashboard', '--port', String(port), '--kubeconfig', kubeconfig],
        { cwd: app, env: { PATH: process.env.PATH, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      while (
        !(await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (child.exitCode !== null) throw new Error(`dashboard exited ${child.exitCode}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`dashboard not serving within 30 s: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const index = await fetch(`${base}/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      const script = /<script type="module"[^>]*src="\.?\/?([^"]+)"/.exec(html);
      expect(script, html).not.toBeNull();
      const asset = await fetch(`${base}/${script![1]}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
      expect((await asset.text()).length).toBeGreaterThan(10_000);
    } finally {
      if (child?.exitCode === null) child.kill('SIGKILL');
      await rm(app, { recursive: true, force: true });
    }
  }, 300_000);
});
