// Every shell command of the READMEs, run as a reader following them would (test/readme/README.md): README.md
// first, then each folder's README, each file one shell session (exports carry over; servers it starts run until the
// file ends), against a test cluster of its own (the install section runs Metacontroller, which reconciles every
// Agent of its cluster), the mock LLM and the tool server. Each command must exit 0; where the README shows output
// (console blocks), the output must have the same lines once per-run values are normalised. Commands that cannot
// run here are skipped with their reason (rules.ts); every command run and skipped is printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { freePort, repoRoot, startCluster, stateDir, type RunningCluster } from '../cluster/cluster.js';
import { ensureMetacontroller, startMetacontroller, type RunningMetacontroller } from '../cluster/metacontroller.js';
import { describeWithCluster } from '../cluster/vitest.js';
import { createPodWithState, serveServiceFromHost } from '../e2e/pods.js';
import { startMockLlm, type ChatRequestBody, type MockLlm, type MockTurn } from '../mocks/mock-llm.js';
import { helmMissing, helmPath, vendorMetacontrollerChart } from '../chart/helm.js';
import { extractCommands, extractInlineUsages, extractSynopses, type ReadmeCommand } from './extract.js';
import { ruleFor, type Rule, type SessionContext } from './rules.js';
import { normalise } from './normalise.js';
import { startSyncHookServer, type SyncHookServer } from '../../sync-hooks/server.js';
import { startWebhookServer, type WebhookServer } from '../../webhooks/server.js';
import { startToolServer, type ToolServer } from '../../toolserver/server.js';
import { mountProjectedTokens, serviceAccountKubeConfig } from '../cluster/identity.js';
import { startRuntime, type RuntimeHandle } from '../../runtime/index.js';
import { planLocalRun } from '../../cli/lib/local-run.js';

/** README.md first (its quick start and install section set up what the folder READMEs assume), then the rest. */
function readmes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      if (e.name.startsWith('.') || ['node_modules', 'dist', 'test-artifacts'].includes(e.name)) continue;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.name === 'README.md' && rel !== 'README.md') found.push(rel);
    }
  };
  walk('');
  return ['README.md', ...found.sort()];
}

/** The seed scenario's model, answering in the README transcript's words from the list_pods result. */
function readmeModel(body: ChatRequestBody): MockTurn {
  const tool = [...body.messages].reverse().find((m) => m.role === 'tool');
  if (!tool) return { toolCalls: [{ name: 'list_pods', arguments: {} }] };
  const text = String(tool.content);
  const bad = [...text.matchAll(/^- (\S+): (\S+) — (.*)$/gm)].map((m) => `- ${m[1]}：${m[2]}（${m[3]}）`);
  return { text: bad.length ? `发现 ${bad.length} 个异常 pod：\n${bad.join('\n')}` : '所有 pod 都正常。' };
}

interface Outcome {
  cmd: ReadmeCommand;
  ran?: string;
  skipped?: string;
  notes: string[];
  problem?: string;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

const noHelm = helmMissing() !== null;

describeWithCluster('the READMEs, command by command', () => {
  const work = join(stateDir() + '-readme-work');
  const outcomes: Outcome[] = [];
  let cluster: RunningCluster;
  let kc: KubeConfig;
  let llm: MockLlm;
  let hooks: SyncHookServer;
  let webhooks: WebhookServer | undefined;
  let metacontroller: RunningMetacontroller | undefined;
  let podTools: ToolServer | undefined;
  let podRuntime: RuntimeHandle | undefined;
  let baseEnv: NodeJS.ProcessEnv;
  const ctx: SessionContext = { vars: {}, hooks: {} };
  /** The README's fixed values and what stands in for them in this run (outputs are mapped back). */
  const standIns: Array<{ readme: string; actual: string }> = [];
  /** Commands (as run) that already worked in an earlier README: a reader has done them, they are not repeated. */
  const done = new Map<string, string>();

  const k8s = () => ({ core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) });
  const until = async (what: string, check: () => Promise<boolean>, ms = 90_000) => {
    const end = Date.now() + ms;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    for (const d of ['bin', 'home/.kube', 'tmp']) mkdirSync(join(work, d), { recursive: true });
    cluster = await startCluster(() => {}, `${stateDir()}-readme`);
    copyFileSync(cluster.kubeconfig, join(work, 'home/.kube/config'));
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    // The cluster the transcript talks about: a namespace shop with one healthy and one crash-looping pod.
    await k8s().core.createNamespace({ body: { metadata: { name: 'shop' } } });
    await createPodWithState(kc, 'shop', 'redis-1', 'running');
    await createPodWithState(kc, 'shop', 'redis-2', 'crashloop');
    llm = await startMockLlm(readmeModel);
    hooks = await startSyncHookServer({ port: 0, host: '127.0.0.1', logLevel: false });
    // The README's fixed ports: the tool server, the agent, a local OpenAI-compatible server (the mock LLM).
    for (const fixed of ['8084', '8080', '11434']) {
      const port = fixed === '11434' ? new URL(llm.url).port : String(await freePort());
      ctx.vars[fixed] = port;
      standIns.push({ readme: fixed, actual: port });
    }
    standIns.push({ readme: '/tmp/', actual: `${work}/tmp/` });
    ctx.vars.webhookPort = String(await freePort());
    ctx.vars.hooksUrl = hooks.url;
    // The commands a reader has on PATH: metagent (the package's bin), the cluster's kubectl, helm.
    const shim = (name: string, target: string) =>
      writeFileSync(join(work, 'bin', name), `#!/bin/sh\nexec ${target} "$@"\n`, { mode: 0o755 });
    shim('metagent', `${process.execPath} ${join(repoRoot, 'bin', 'metagent.js')}`);
    shim('kubectl', join(cluster.binDir, 'kubectl'));
    if (!noHelm) shim('helm', helmPath()!);
    baseEnv = {
      PATH: `${join(work, 'bin')}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: join(work, 'home'),
      TMPDIR: join(work, 'tmp'),
      LANG: 'C.UTF-8',
      HELM_CACHE_HOME: join(repoRoot, 'node_modules', '.cache', 'helm'),
      // The kube, etcd and Metacontroller builds are the machine's (test/cluster/README.md), whatever HOME is.
      METAGENT_CACHE: process.env.METAGENT_CACHE ?? join(homedir(), '.cache', 'metagent'),
      npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '/root', '.npm'),
      ...(process.env.CI ? { CI: process.env.CI } : {}),
    };

    ctx.hooks.vendorChart = async () => vendorMetacontrollerChart();
    ctx.hooks.controlPlane = async () => {
      const secret = await k8s().core.readNamespacedSecret({
        namespace: 'metagent-system',
        name: 'metagent-webhooks-tls',
      });
      const dec = (key: string) => Buffer.from(secret.data![key]!, 'base64');
      writeFileSync(join(work, 'tls.crt'), dec('tls.crt'));
      writeFileSync(join(work, 'tls.key'), dec('tls.key'), { mode: 0o600 });
      webhooks = await startWebhookServer({
        port: Number(ctx.vars.webhookPort),
        host: '127.0.0.1',
        tlsCertFile: join(work, 'tls.crt'),
        tlsKeyFile: join(work, 'tls.key'),
        logger: pino({ level: 'silent' }),
      });
      const sts = await k8s().apps.readNamespacedStatefulSet({
        namespace: 'metagent-system',
        name: 'metagent-metacontroller',
      });
      const flags = (sts.spec!.template.spec!.containers[0]!.args ?? []).filter(
        (a) => !a.startsWith('--health-probe-bind-address') && !a.startsWith('--metrics-address'),
      );
      metacontroller = await startMetacontroller(await ensureMetacontroller(), {
        kubeconfig: cluster.kubeconfig,
        flags,
        logFile: join(work, 'metacontroller.log'),
      });
    };
    ctx.hooks.agentPod = async () => {
      const { core, apps } = k8s();
      const ns = 'kagent';
      await until("the Agent's Deployment and config Secret (Metacontroller through the hooks)", async () => {
        await apps.readNamespacedDeployment({ namespace: ns, name: 'k8s-ops-agent' });
        await core.readNamespacedSecret({ namespace: ns, name: 'k8s-ops-agent' });
        return true;
      });
      const secret = await core.readNamespacedSecret({ namespace: ns, name: 'k8s-ops-agent' });
      const deploy = await apps.readNamespacedDeployment({ namespace: ns, name: 'k8s-ops-agent' });
      const key = await core.readNamespacedSecret({ namespace: ns, name: 'openai-api-key' });
      const dir = join(work, 'agent-pod');
      mkdirSync(dir, { recursive: true });
      for (const [name, b64] of Object.entries(secret.data ?? {}))
        writeFileSync(join(dir, name), Buffer.from(b64, 'base64'));
      // The pod's network: the model's endpoint is the mock LLM, the tool server's Service is a tool server here,
      // running as the chart's tool server ServiceAccount (token reviews and impersonation only).
      podTools = await startToolServer({
        port: 0,
        host: '127.0.0.1',
        kubeConfig: await serviceAccountKubeConfig('metagent-system', 'metagent-toolserver', kc),
        logLevel: 'silent',
      });
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
        model: Record<string, unknown>;
        http_tools?: Array<{ params: { url: string } }>;
      };
      config.model.base_url = llm.url;
      for (const t of config.http_tools ?? []) t.params.url = `${podTools.url}/mcp`;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      // kubelet's projected ServiceAccount token, which the agent presents to the tool server.
      await mountProjectedTokens(deploy, dir, join(work, 'agent-pod-tokens'), kc);
      const plan = planLocalRun(
        [deploy as never, { apiVersion: 'v1', kind: 'Secret', metadata: {}, data: secret.data } as never],
        [{ ...key, apiVersion: 'v1', kind: 'Secret', metadata: { name: 'openai-api-key', namespace: ns } } as never],
        { namespace: ns, name: 'k8s-ops-agent' },
        {},
      );
      podRuntime = await startRuntime({
        filepath: dir,
        host: '0.0.0.0',
        port: 0,
        env: { ...process.env, LOG_LEVEL: 'warn', ...plan.env },
        publicUrl: 'listen',
      });
      await serveServiceFromHost(kc, ns, 'k8s-ops-agent', 8080, podRuntime.port);
    };
  }, 300_000);

  afterAll(async () => {
    const line = (o: Outcome) => `  ${o.cmd.file}:${o.cmd.line}  ${o.cmd.command}`;
    const ran = outcomes.filter((o) => o.ran);
    const skipped = outcomes.filter((o) => o.skipped);
    const report = [
      `README commands: ${ran.length} ran, ${skipped.length} skipped`,
      'ran:',
      ...ran.flatMap((o) => [`${line(o)}  → ${o.problem ? 'FAILED' : o.ran}`, ...o.notes.map((n) => `      (${n})`)]),
      'skipped:',
      ...skipped.map((o) => `${line(o)}\n      (${o.skipped})`),
    ];
    console.log(report.join('\n'));
    await podRuntime?.close();
    await podTools?.close();
    await metacontroller?.stop();
    await webhooks?.close();
    await hooks?.close();
    await llm?.close();
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Runs one README's commands in one shell session; returns the failures. */
  async function session(file: string): Promise<string[]> {
    const cmds = extractCommands(readFileSync(join(repoRoot, file), 'utf8'), file);
    const failures: string[] = [];
    let env: NodeJS.ProcessEnv = { ...baseEnv };
    const servers: Array<{ command: string; child: ChildProcess; output: () => string }> = [];
    const stand = (s: string) =>
      standIns.reduce(
        (acc, { readme, actual }) =>
          /^\d+$/.test(readme)
            ? acc.replace(new RegExp(`(?<![\\w.])${readme}(?!\\w)`, 'g'), actual)
            : acc.split(readme).join(actual),
        s,
      );
    const unstand = (s: string) => standIns.reduce((acc, { readme, actual }) => acc.split(actual).join(readme), s);
    const envFile = join(work, 'env');
    const before = new Set(readdirSync(repoRoot));
    try {
      for (const cmd of cmds) {
        const o: Outcome = { cmd, notes: [] };
        outcomes.push(o);
        const rule: Rule | undefined = ruleFor(cmd);
        if (rule?.skip) {
          o.skipped = rule.skip;
          continue;
        }
        const fail = (why: string) => {
          o.problem = why;
          failures.push(`${file}:${cmd.line} \`${cmd.command}\`: ${why}`);
        };
        try {
          const earlier = done.get(stand(cmd.command));
          if (earlier && !(rule?.serves || cmd.command.endsWith('&'))) {
            o.ran = `done at ${earlier} already, not repeated`;
            continue;
          }
          if (rule?.instead) {
            o.notes.push(`instead: ${rule.instead.why}`);
            await ctx.hooks[rule.instead.hook]!();
            o.ran = 'done by the test';
            done.set(stand(cmd.command), `${file}:${cmd.line}`);
            continue;
          }
          let text = cmd.command.replace(/\s*&$/, '');
          const background = text !== cmd.command;
          if (rule?.append) {
            text += ' ' + rule.append.args(ctx);
            o.notes.push(`with ${rule.append.args(ctx)}: ${rule.append.why}`);
          }
          text = stand(text);
          const running = servers.find((s) => s.command === text);
          let output: string;
          if (running) {
            output = running.output();
            o.ran = 'already serving (the same command above)';
          } else if (rule?.serves || background) {
            const child = spawn('bash', ['-c', text], { cwd: repoRoot, env, detached: true });
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            child.stderr.on('data', (d) => (out += d));
            let exited: number | null = null;
            child.on('exit', (c) => (exited = c ?? 1));
            servers.push({ command: text, child, output: () => out });
            const port = /--port (\d+)/.exec(text)?.[1];
            await until(
              `\`${cmd.command}\` to serve`,
              async () => {
                if (exited !== null) throw new Error(`exited ${exited}: ${out.slice(-2000)}`);
                return rule?.serves ? rule.serves.test(out) : port ? portOpen(Number(port)) : true;
              },
              90_000,
            ).catch((e: Error) => {
              throw new Error(`${e.message}\n${out.slice(-2000)}`);
            });
            output = out;
            o.ran = 'serving';
          } else {
            const r = await new Promise<{ code: number; out: string }>((resolve) => {
              const child = spawn('bash', ['-c', `${text}\n__rc=$?; env -0 > '${envFile}'; exit $__rc`], {
                cwd: repoRoot,
                env,
              });
              let out = '';
              child.stdout.on('data', (d) => (out += d));
              child.stderr.on('data', (d) => (out += d));
              const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
              child.on('exit', (c) => {
                clearTimeout(timer);
                resolve({ code: c ?? 1, out });
              });
            });
            output = r.out;
            if (r.code !== 0) {
              fail(`exit code ${r.code}\n${output.slice(-3000)}`);
              o.ran = `exit ${r.code}`;
              continue;
            }
            o.ran = 'exit 0';
            done.set(stand(cmd.command), `${file}:${cmd.line}`);
            if (existsSync(envFile)) {
              env = Object.fromEntries(
                readFileSync(envFile, 'utf8')
                  .split('\0')
                  .filter(Boolean)
                  .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
              );
              rmSync(envFile);
            }
          }
          if (cmd.output) {
            const want = normalise(cmd.output.join('\n'));
            const got = normalise(unstand(output));
            if (got !== want) fail(`output differs from the README's\n--- README\n${want}\n--- got\n${got}`);
            else o.notes.push(`output matches the README's ${cmd.output.length} lines`);
          }
          if (rule?.after) {
            o.notes.push(`then: ${rule.after.why}`);
            await ctx.hooks[rule.after.hook]!();
          }
        } catch (err) {
          fail((err as Error).message);
          o.ran ??= 'failed';
        }
      }
    } finally {
      // What the commands wrote into the repository (webhooks/README.md's `--out ./tls`) goes with the session; only
      // what a command names, so nothing another test file writes meanwhile.
      for (const name of readdirSync(repoRoot))
        if (!before.has(name) && cmds.some((c) => c.command.includes(`./${name}`)))
          rmSync(join(repoRoot, name), { recursive: true, force: true });
      for (const s of servers) {
        try {
          process.kill(-s.child.pid!, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              if (s.child.exitCode !== null || s.child.signalCode !== null) return r();
              s.child.once('exit', () => r());
              setTimeout(() => {
                try {
                  process.kill(-s.child.pid!, 'SIGKILL');
                } catch {
                  /* gone */
                }
                r();
              }, 5000);
            }),
        ),
      );
    }
    return failures;
  }

  for (const file of readmes()) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    if (!extractCommands(text, file).length) continue;
    it.skipIf(noHelm && file === 'README.md')(
      `${file}: every command works as shown`,
      async () => {
        const failures = await session(file);
        expect(failures, failures.join('\n\n')).toEqual([]);
      },
      600_000,
    );
  }

  it("the READMEs' synopsis lines and inline usages name only flags the command has", async () => {
    const problems: string[] = [];
    const helps = new Map<string, Promise<string>>();
    for (const file of readmes()) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const s of [...extractSynopses(text, file), ...extractInlineUsages(text, file)]) {
        if (!helps.has(s.command))
          helps.set(
            s.command,
            new Promise<string>((resolve) => {
              const child = spawn(process.execPath, [join(repoRoot, 'bin', 'metagent.js'), s.command, '--help'], {
                cwd: repoRoot,
              });
              let out = '';
              child.stdout.on('data', (d) => (out += d));
              child.on('exit', () => resolve(out));
            }),
          );
        const help = await helps.get(s.command)!;
        const missing = s.flags.filter((f) => !new RegExp(`${f}\\b`).test(help));
        if (missing.length)
          problems.push(`${file}:${s.line} metagent ${s.command}: ${missing.join(', ')} not in --help`);
        outcomes.push({
          cmd: { file, line: s.line, command: `metagent ${s.command} --help` },
          ran: missing.length ? 'FAILED' : `flags ${s.flags.join(' ')} all in --help`,
          notes: [],
        });
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);
});
