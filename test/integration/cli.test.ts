// The metagent CLI as users run it (a real subprocess): the quickstart `metagent run` + `metagent invoke` against the
// tool server and the test cluster, `metagent get`, and bad input — exit codes and messages without stack traces.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterKubeconfig, describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubeConfig, kubectl } from '../cluster/kube.js';
import { installCrds } from '../../crds/index.js';
import { startToolServer, type ToolServer } from '../../toolserver/index.js';
import { startMockLlm, type ChatRequestBody, type MockLlm } from '../mocks/mock-llm.js';
import { createPodWithState, deletePodsNow } from '../e2e/pods.js';
import { runMetagent } from '../metagent-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/metagent.js');

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runMetagent(args, env, 60_000);

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('metagent CLI: help and bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-bad-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help works for every user command', async () => {
    for (const cmd of ['invoke', 'get', 'run', 'toolserver']) {
      const r = await cli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: metagent ${cmd}`);
    }
  });

  it.each([
    { name: 'run without -f', args: ['run'], message: 'metagent: no files given: use -f FILE' },
    {
      name: 'run with a missing file',
      args: ['run', '-f', '/nonexistent/agent.yaml'],
      message: 'metagent: /nonexistent/agent.yaml: no such file',
    },
    {
      name: 'invoke without --task',
      args: ['invoke', '--agent', 'a/b'],
      message: "required option '--task <text>' not specified",
    },
    {
      name: 'invoke with a bad agent reference',
      args: ['invoke', '--agent', 'a/b/c', '--task', 'x'],
      message: 'expected NAMESPACE/NAME',
    },
    {
      name: 'invoke with a bad URL',
      args: ['invoke', '--agent', 'a/b', '--task', 'x', '--url', 'not a url'],
      message: 'metagent: --url: not a URL: "not a url"',
    },
    {
      name: 'get of an unknown kind',
      args: ['get', 'widgets'],
      message: 'metagent: unknown kind "widgets"; use one of agents, modelconfigs, remotemcpservers',
    },
    {
      name: 'get with a missing kubeconfig',
      args: ['get', 'agents', '--kubeconfig', '/nonexistent/kubeconfig'],
      message: 'metagent: cannot load kubeconfig /nonexistent/kubeconfig',
    },
    {
      name: 'toolserver with a bad port',
      args: ['toolserver', '--port', 'http'],
      message: 'not a port number: "http"',
    },
  ])('$name exits non-zero with a message', async ({ args, message }) => {
    const r = await cli(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    noStack(r.stderr);
  });

  it('run reports bad YAML, invalid objects, BYO agents, missing keys and unknown agents clearly', async () => {
    const f = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const badYaml = await cli(['run', '-f', f('bad.yaml', 'kind: Agent\nmetadata:\n  name: [oops\n')]);
    expect(badYaml.code).toBe(1);
    expect(badYaml.stderr).toMatch(/bad\.yaml: invalid YAML at line \d/);
    noStack(badYaml.stderr);

    const invalid = await cli([
      'run',
      '-f',
      f(
        'invalid.yaml',
        'apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: a}\nspec: {type: Declarative}\n',
      ),
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('invalid.yaml: Agent a is invalid:');
    expect(invalid.stderr).toContain('spec.declarative');

    const byo = await cli(['run', '-f', join(repo, 'examples/byo-agent/agent.yaml')]);
    expect(byo.code).toBe(1);
    expect(byo.stderr).toContain('Agent my-byo-agent is BYO');

    const noKey = await cli(['run', '-f', join(repo, 'examples/k8s-ops-agent/')], { OPENAI_API_KEY: undefined });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain(
      'OPENAI_API_KEY (the cluster would read it from Secret openai-api-key, key api-key)',
    );

    const noModel = await cli(['run', '-f', join(repo, 'examples/k8s-ops-agent/agent.yaml')], { OPENAI_API_KEY: 'x' });
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toContain('Agent kagent/k8s-ops-agent is not accepted: ModelConfigNotFound');

    const several = await cli(
      ['run', '-f', join(repo, 'examples/k8s-ops-agent/'), '-f', join(repo, 'examples/agent-as-tool/agent.yaml')],
      { OPENAI_API_KEY: 'x' },
    );
    expect(several.stderr).toContain(
      'several Agents given (k8s-ops-agent, incident-triage-agent); choose one with --agent NAME',
    );
    const unknown = await cli(['run', '-f', join(repo, 'examples/k8s-ops-agent/'), '--agent', 'nope'], {
      OPENAI_API_KEY: 'x',
    });
    expect(unknown.stderr).toContain('no Agent named "nope"');
    const badOverride = await cli(
      ['run', '-f', join(repo, 'examples/k8s-ops-agent/'), '--mcp-url', 'other=http://x/mcp'],
      { OPENAI_API_KEY: 'x' },
    );
    expect(badOverride.stderr).toContain('--mcp-url: no RemoteMCPServer named "other"');
  });

  it('invoke of an agent nobody serves fails with the reason', async () => {
    const r = await cli(['invoke', '--agent', 'ns/agent', '--task', 'hi', '--url', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^metagent: cannot reach agent ns\/agent \(http:\/\/127\.0\.0\.1:9\): .*(ECONNREFUSED|fetch failed)/,
    );
    noStack(r.stderr);
  });
});

describeWithCluster('metagent CLI against the test cluster', () => {
  let ns: string;
  let tools: ToolServer;
  let llm: MockLlm;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    await installCrds(kubectl);
    ns = await createNamespace('cli');
    const kc = kubeConfig();
    await createPodWithState(kc, ns, 'redis-1', 'running');
    await createPodWithState(kc, ns, 'redis-2', 'crashloop');
    // On your own machine: the tool server reads the cluster with your kubeconfig (no agent identity outside a pod).
    tools = await startToolServer({
      port: 0,
      host: '127.0.0.1',
      kubeConfig: kc,
      actAsKubeconfigUser: true,
      logLevel: 'silent',
    });
    // Lists this namespace's pods, then answers with the pods the tool server flagged.
    llm = await startMockLlm((body: ChatRequestBody) => {
      const tool = body.messages.find((m) => m.role === 'tool');
      if (!tool) return { toolCalls: [{ name: 'list_pods', arguments: { namespace: ns } }] };
      const text = String(tool.content).replace(/\\n/g, '\n');
      const bad = [...text.matchAll(/^- (\S+): (\S+)/gm)].map((m) => `${m[1]} is ${m[2]}`);
      return { text: bad.length ? `Unhealthy: ${bad.join(', ')}.` : 'All pods are healthy.' };
    });
  });

  afterAll(async () => {
    running?.kill('SIGTERM');
    await llm?.close();
    await tools?.close();
    if (ns) {
      await deletePodsNow(kubeConfig(), ns);
      await deleteNamespace(ns);
    }
  });

  it('quickstart: `metagent run -f examples/k8s-ops-agent/` then `metagent invoke --url` answers from the tool server', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'run',
        '-f',
        join(repo, 'examples/k8s-ops-agent/'),
        '--port',
        '0',
        '--mcp-url',
        `k8s-toolserver=${tools.url}/mcp`,
      ],
      {
        cwd: repo,
        env: { ...process.env, OPENAI_API_KEY: 'sk-local', OPENAI_BASE_URL: llm.url },
      },
    );
    running = child;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`run did not start: ${out}${stderr}`)), 60_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /serving A2A at (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`run exited ${code}: ${stderr}`)));
    });
    const r = await cli(['invoke', '--agent', 'kagent/k8s-ops-agent', '--url', url, '--task', 'Is any pod unhealthy?']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`Unhealthy: ${ns}/redis-2 is CrashLoopBackOff.`);
    // The key came from the environment and reached the model as a bearer token.
    expect(llm.requests[0].headers.authorization).toBe('Bearer sk-local');
    // The example's tool server asks for the pod's ServiceAccount token; there is none here, and run says so.
    expect(stderr).toContain(
      `metagent run: k8s-ops-agent calls ${tools.url}/mcp without a ServiceAccount token (there is none outside a pod); a local tool server needs --act-as-kubeconfig-user`,
    );
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    running = undefined;
  });

  it('get lists Agents, ModelConfigs and RemoteMCPServers like kubectl', async () => {
    const kubeconfig = clusterKubeconfig()!;
    const empty = await cli(['get', 'agents', '-n', ns, '--kubeconfig', kubeconfig]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toBe(`No resources found in ${ns} namespace.\n`);
    const apply = await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: `apiVersion: kagent.dev/v1alpha2\nkind: ModelConfig\nmetadata: {name: m, namespace: ${ns}}\nspec: {provider: OpenAI, model: gpt-4o, apiKeySecret: s, apiKeySecretKey: k}\n`,
    });
    expect(apply.code, apply.stderr).toBe(0);
    const mc = await cli(['get', 'mc', '-n', ns, '--kubeconfig', kubeconfig]);
    expect(mc.code, mc.stderr).toBe(0);
    expect(mc.stdout).toMatch(/^NAME\s+PROVIDER\s+MODEL\s+ACCEPTED\s+AGE\nm\s+OpenAI\s+gpt-4o\s+Unknown\s+\d+s\n$/);
    const all = await cli(['get', 'modelconfigs', '-A', '--kubeconfig', kubeconfig]);
    expect(all.stdout).toMatch(new RegExp(`${ns}\\s+m\\s+OpenAI`));
    const one = await cli(['get', 'modelconfigs', 'nope', '-n', ns, '--kubeconfig', kubeconfig]);
    expect(one.code).toBe(1);
    expect(one.stderr).toBe('metagent: modelconfigs.kagent.dev "nope" not found\n');
    const both = await cli(['get', 'agents', '-n', ns, '-A', '--kubeconfig', kubeconfig]);
    expect(both.stderr).toContain('use either --namespace or --all-namespaces');
  });
});
