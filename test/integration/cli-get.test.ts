// `metagent get -o json|yaml|name` and `get --watch` as users run them (a subprocess) against the test cluster's
// real API server: the printed objects parse back to what the API server stores, and a watch prints a row per
// change until SIGINT, which exits 0.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clusterKubeconfig, describeWithCluster } from '../cluster/vitest.js';
import { createNamespace, deleteNamespace, kubectl, kubectlOk, waitUntil } from '../cluster/kube.js';
import { installCrds } from '../../crds/index.js';
import { metagentBin, repoDir, runMetagent } from '../metagent-cli.js';

const agentYaml = (ns: string, name: string) =>
  `apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: get-test}}\n` +
  `spec:\n  type: Declarative\n  description: "An agent: for get -o tests"\n  declarative:\n    modelConfig: m\n    systemMessage: |\n      Line one.\n      Line two.\n`;

const condition = (type: string, status: string, reason: string) => ({
  type,
  status,
  reason,
  message: `${type} is ${status}`,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

describe('metagent get -o: bad values (no cluster needed)', () => {
  it('an unknown -o format exits 1 naming the flag and the allowed formats, without a stack trace', async () => {
    const r = await runMetagent(['get', 'agents', '-o', 'xml', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: option '-o, --output <format>' argument 'xml' is invalid. unknown output format "xml"; allowed formats are wide, json, yaml, name`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stdout).toBe('');
  });
});

/** A running `metagent get ... -w`: its output so far, and a way to wait for text in it. */
function startWatch(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [metagentBin, ...args], {
    cwd: repoDir,
    env: process.env,
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (what: string, test: (stdout: string) => boolean) =>
    waitUntil(
      `${what} in the watch output`,
      30_000,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`get -w exited ${child.exitCode}; stdout:\n${out.stdout}\nstderr: ${out.stderr}`);
        return test(out.stdout);
      },
      100,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nstdout so far:\n${out.stdout}\nstderr: ${out.stderr}`);
    });
  return { child, out, exited, waitFor };
}

/**
 * The re-list paths need the API server to end a watch or answer 410 Gone on cue, which the real one does only after
 * minutes; a scripted HTTP API server plays each list and watch answer in turn.
 */
describe('metagent get -w: re-list after the watch ends or is Gone (scripted API server)', () => {
  let server: Server;
  let dir: string;
  let kubeconfigPath: string;
  const requests: string[] = [];
  const open: ServerResponse[] = [];
  const agentAt = (name: string, rv: string, reason?: string) => ({
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name, namespace: 'ns1', resourceVersion: rv, creationTimestamp: new Date().toISOString() },
    spec: { type: 'Declarative' },
    status: { conditions: [condition('Accepted', reason ? 'False' : 'True', reason ?? 'Accepted')] },
  });
  const lists = [
    { items: [agentAt('a', '1')], rv: '10' },
    { items: [agentAt('a', '12', 'ChangedWhileAway'), agentAt('b', '13')], rv: '20' },
    { items: [agentAt('a', '12', 'ChangedWhileAway')], rv: '30' },
  ];
  // 1st watch: one event, then the server ends it (its timeout); 2nd: 410 Gone as an ERROR event; 3rd: stays open.
  const watchesScript: ((res: ServerResponse) => void)[] = [
    (res) => res.end(`${JSON.stringify({ type: 'MODIFIED', object: agentAt('a', '11', 'SeenByWatch') })}\n`),
    (res) =>
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n`,
      ),
    (res) => {
      res.write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Agent', apiVersion: 'kagent.dev/v1alpha2', metadata: { resourceVersion: '31' } } })}\n`,
      );
      open.push(res);
    },
  ];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/apis/kagent.dev/v1alpha2/namespaces/ns1/agents') return void res.writeHead(404).end('{}');
      const isWatch = url.searchParams.get('watch') === '1';
      const n = requests.filter((r) => r.includes('watch=1') === isWatch).length - 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (!isWatch) {
        const l = lists[Math.min(n, lists.length - 1)];
        return void res.end(
          JSON.stringify({
            apiVersion: 'kagent.dev/v1alpha2',
            kind: 'AgentList',
            metadata: { resourceVersion: l.rv },
            items: l.items,
          }),
        );
      }
      (watchesScript[n] ?? ((r: ServerResponse) => open.push(r)))(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'cli-get-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\n` +
        `users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: fake, user: u, namespace: ns1}}]\ncurrent-context: c\n`,
    );
  });

  afterAll(async () => {
    for (const r of open) r.destroy();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the watch event, then what changed while no watch was open (changed, new, gone), and resumes at each list', async () => {
    const w = startWatch(['get', 'agents', '-w', '--kubeconfig', kubeconfigPath]);
    await w.waitFor('the third watch', () => open.length === 1);
    const lines = w.out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+READY\s+ACCEPTED\s+REASON\s+AGE$/);
    expect(
      lines.slice(1).map((l) =>
        l
          .split(/\s+/)
          .filter((c) => !/^\d+s$/.test(c))
          .join(' '),
      ),
    ).toEqual([
      'a Declarative Unknown True', // the list
      'a Declarative Unknown False SeenByWatch', // the first watch's event
      'a Declarative Unknown False ChangedWhileAway', // re-list after the watch ended: a changed ...
      'b Declarative Unknown True', // ... and b is new
      'b Declarative Unknown True', // re-list after 410 Gone: b is gone (printed as deleted, as kubectl does)
    ]);
    expect(
      requests
        .filter((r) => r.includes('watch=1'))
        .map((r) => new URL(r, 'http://x').searchParams.get('resourceVersion')),
    ).toEqual(['10', '20', '30']);
    expect(requests.filter((r) => !r.includes('watch=1'))).toHaveLength(3);
    expect(w.out.stderr).toBe('');
    w.child.kill('SIGINT');
    expect(await w.exited).toEqual({ code: 0, signal: null });
  });
});

describeWithCluster('metagent get -o and -w against the test cluster', () => {
  let ns: string;
  let kubeconfig: string;
  const watches: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    kubeconfig = clusterKubeconfig()!;
    await installCrds(kubectl);
    ns = await createNamespace('cli-get');
    await kubectlOk(['apply', '-f', '-'], { input: agentYaml(ns, 'alpha') });
  });

  afterAll(async () => {
    for (const w of watches) if (w.exitCode === null) w.kill('SIGKILL');
    if (ns) await deleteNamespace(ns);
  });

  const get = (...args: string[]) => runMetagent(['get', ...args, '-n', ns, '--kubeconfig', kubeconfig]);
  const stored = async (name: string) =>
    JSON.parse(await kubectlOk(['get', 'agents.kagent.dev', name, '-n', ns, '-o', 'json']));

  it('-o yaml and -o json of a named Agent parse back to the object the API server stores', async () => {
    const object = await stored('alpha');
    const yaml = await get('agents', 'alpha', '-o', 'yaml');
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(parse(yaml.stdout)).toEqual(object);
    expect(yaml.stdout).toMatch(/^apiVersion: kagent\.dev\/v1alpha2\nkind: Agent\n/);
    const json = await get('agent', 'alpha', '-o', 'json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(object);
    expect(object.spec.declarative.systemMessage).toBe('Line one.\nLine two.\n');
  });

  it("a list prints as kubectl's v1 List with the list resourceVersion; -o name prints agent.kagent.dev/NAME", async () => {
    const object = await stored('alpha');
    const json = await get('agents', '-o', 'json');
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout);
    expect(list).toMatchObject({
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    expect(list.items).toEqual([object]);
    const yaml = await get('agents', '-o', 'yaml');
    expect(parse(yaml.stdout).items).toEqual([object]);
    // The same document kubectl prints for the list, except the resourceVersion the list was read at.
    const viaKubectl = JSON.parse(await kubectlOk(['get', 'agents.kagent.dev', '-n', ns, '-o', 'json']));
    expect({ ...list, metadata: {} }).toEqual({ ...viaKubectl, metadata: {} });
    const name = await get('agents', '-o', 'name');
    expect(name).toMatchObject({ code: 0, stdout: 'agent.kagent.dev/alpha\n' });
    expect((await kubectlOk(['get', 'agents.kagent.dev', '-n', ns, '-o', 'name'])).trim()).toBe(name.stdout.trim());
    const none = await get('modelconfigs', '-o', 'json');
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ kind: 'List', items: [] });
    expect(none.stderr).toBe('');
    const missing = await get('agents', 'nope', '-o', 'yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('metagent: agents.kagent.dev "nope" not found\n');
  });

  it('-o jsonpath prints what kubectl prints for the same template', async () => {
    const templates = [
      '{.items[*].metadata.name}',
      '{range .items[*]}{.metadata.name}{"\\t"}{.spec.type}{"\\t"}{.status.conditions[?(@.type=="Accepted")].status}{"\\n"}{end}',
      '{.items[0].spec.declarative.systemMessage}',
      '{.items[0].metadata.labels}',
      '{.items[0].spec.declarative}',
      '{.items[0].status.missing}{.kind}',
      '{.items[-1:].metadata.name}',
    ];
    for (const template of templates) {
      const ours = await get('agents', '-o', `jsonpath=${template}`);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout, template).toBe(
        await kubectlOk(['get', 'agents.kagent.dev', '-n', ns, '-o', `jsonpath=${template}`]),
      );
    }
    // Not vacuous: the templates print the Agent's fields, objects included.
    expect((await get('agents', '-o', 'jsonpath={.items[*].metadata.name}')).stdout).toBe('alpha');
    expect((await get('agents', '-o', 'jsonpath={.items[0].spec.declarative}')).stdout).toMatch(/^\{".*systemMessage/);
    const single = await get('agents', 'alpha', '-o', 'jsonpath={.metadata.name}/{.metadata.namespace}');
    expect(single.stdout).toBe(`alpha/${ns}`);
    // Twenty process starts (ours and kubectl's): on a loaded 2-core machine they outlast the default 60 s.
  }, 180_000);

  it('-w prints the table, then a row per change (status, a new object, a deletion), and exits 0 on SIGINT', async () => {
    const w = startWatch(['get', 'agents', '-n', ns, '-w', '--kubeconfig', kubeconfig]);
    watches.push(w.child);
    await w.waitFor('the initial table', (s) =>
      /^NAME\s+TYPE\s+READY\s+ACCEPTED\s+REASON\s+AGE\nalpha\s+Declarative\s+Unknown\s+Unknown\s+\d+[smhd]\w*\n$/.test(
        s,
      ),
    );
    const rows = () => w.out.stdout.split('\n').slice(2).filter(Boolean);

    // A status change (what the controller writes).
    const status = {
      status: {
        conditions: [condition('Accepted', 'False', 'ModelConfigNotFound'), condition('Ready', 'False', 'NotAccepted')],
      },
    };
    await kubectlOk([
      'patch',
      'agents.kagent.dev',
      'alpha',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(status),
    ]);
    await w.waitFor('alpha with its new status', () =>
      rows().some((r) => /^alpha\s+Declarative\s+False\s+False\s+ModelConfigNotFound\s+\d+s$/.test(r)),
    );

    // A second object, then its deletion: both are rows (kubectl prints DELETED objects as rows too).
    await kubectlOk(['apply', '-f', '-'], { input: agentYaml(ns, 'beta') });
    await w.waitFor('the new object beta', () =>
      rows().some((r) => /^beta\s+Declarative\s+Unknown\s+Unknown\s+\d+s$/.test(r)),
    );
    await kubectlOk(['delete', 'agents.kagent.dev', 'beta', '-n', ns, '--wait=false']);
    await w.waitFor('beta deleted', () => rows().filter((r) => r.startsWith('beta ')).length >= 2);
    // Every row keeps the header's column layout: the NAME column is as wide as in the first table.
    const header = w.out.stdout.split('\n')[0];
    for (const r of rows()) expect(r.indexOf('Declarative'), r).toBe(header.indexOf('TYPE'));

    w.child.kill('SIGINT');
    expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(w.out.stderr).toBe('');
  });

  it('-w of a single name watches only that object; -o json prints one document per change', async () => {
    const w = startWatch(['get', 'agents', 'alpha', '-n', ns, '-w', '-o', 'json', '--kubeconfig', kubeconfig]);
    watches.push(w.child);
    const docs = () =>
      w.out.stdout
        .split(/\n(?=\{)/)
        .filter((d) => d.trim())
        .map((d) => JSON.parse(d));
    await w.waitFor('the first document', (s) => s.endsWith('}\n'));
    expect(docs()).toHaveLength(1);
    expect(docs()[0]).toMatchObject({ apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', metadata: { name: 'alpha' } });

    await kubectlOk(['apply', '-f', '-'], { input: agentYaml(ns, 'gamma') });
    await kubectlOk(['label', 'agents.kagent.dev', 'alpha', '-n', ns, 'changed=yes']);
    await w.waitFor('the relabelled alpha', () => docs().some((d) => d.metadata?.labels?.changed === 'yes'));
    expect(docs().map((d) => d.metadata.name)).toEqual(['alpha', 'alpha']);

    w.child.kill('SIGINT');
    expect((await w.exited).code).toBe(0);
  });

  it("-o wide adds the kind's columns after AGE (with a name, -A, empty lists); -w -o wide keeps them on every row", async () => {
    const wideNs = await createNamespace('cli-get-wide');
    try {
      const description = 'Kubernetes tools: get, describe, apply and delete resources in any namespace';
      await kubectlOk(['apply', '-f', '-'], {
        input:
          `apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: declared, namespace: ${wideNs}}\n` +
          `spec:\n  type: Declarative\n  declarative:\n    modelConfig: llm\n    systemMessage: hi\n    tools:\n` +
          `    - {type: McpServer, mcpServer: {name: k8s, kind: RemoteMCPServer, apiGroup: kagent.dev, toolNames: [get]}}\n` +
          `    - {type: McpServer, mcpServer: {name: k8s, kind: RemoteMCPServer, apiGroup: kagent.dev, toolNames: [apply]}}\n---\n` +
          `apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: own, namespace: ${wideNs}}\n` +
          `spec:\n  type: BYO\n  byo:\n    deployment: {image: "ghcr.io/acme/agent:1.2"}\n---\n` +
          `apiVersion: kagent.dev/v1alpha2\nkind: ModelConfig\nmetadata: {name: llm, namespace: ${wideNs}}\n` +
          `spec: {model: gpt-4o, provider: OpenAI, apiKeySecret: llm-key, apiKeySecretKey: KEY-FIELD-NAME, openAI: {baseUrl: "https://llm.example/v1"}}\n---\n` +
          `apiVersion: kagent.dev/v1alpha2\nkind: RemoteMCPServer\nmetadata: {name: k8s, namespace: ${wideNs}}\n` +
          `spec: {protocol: STREAMABLE_HTTP, url: "http://tools:8084/mcp", timeout: 2m, description: "${description}"}\n`,
      });
      const wide = (...args: string[]) => runMetagent(['get', ...args, '-o', 'wide', '--kubeconfig', kubeconfig]);
      const cells = (text: string) =>
        text
          .trimEnd()
          .split('\n')
          .map((l) => l.split(/ {3,}/).filter((c) => !/^\d+s$/.test(c)));

      const agentsOut = await wide('agents', '-n', wideNs);
      expect(agentsOut.code, agentsOut.stderr).toBe(0);
      expect(cells(agentsOut.stdout)).toEqual([
        ['NAME', 'TYPE', 'READY', 'ACCEPTED', 'AGE', 'MODELCONFIG', 'TOOLS', 'IMAGE'],
        ['declared', 'Declarative', 'Unknown', 'Unknown', 'llm', '2', '<none>'],
        ['own', 'BYO', 'Unknown', 'Unknown', '<none>', '<none>', 'ghcr.io/acme/agent:1.2'],
      ]);

      // -A: this namespace's ModelConfig among whatever other tests left; only the Secret's name, never its key.
      const mcOut = await wide('modelconfigs', '-A');
      expect(mcOut.code, mcOut.stderr).toBe(0);
      const [mcHeader, ...mcRows] = cells(mcOut.stdout);
      expect(mcHeader.slice(0, 2)).toEqual(['NAMESPACE', 'NAME']);
      expect(mcHeader.slice(-3)).toEqual(['AGE', 'API-KEY-SECRET', 'BASE-URL']);
      expect(mcRows.filter((r) => r[0] === wideNs)).toEqual([
        [wideNs, 'llm', 'OpenAI', 'gpt-4o', 'Unknown', 'llm-key', 'https://llm.example/v1'],
      ]);
      expect(mcOut.stdout).not.toContain('KEY-FIELD-NAME');

      const one = await wide('remotemcpservers', 'k8s', '-n', wideNs);
      expect(one.code, one.stderr).toBe(0);
      expect(cells(one.stdout)).toEqual([
        ['NAME', 'PROTOCOL', 'URL', 'ACCEPTED', 'TOOLS', 'AGE', 'TIMEOUT', 'DESCRIPTION'],
        ['k8s', 'STREAMABLE_HTTP', 'http://tools:8084/mcp', 'Unknown', '<none>', '2m', `${description.slice(0, 39)}…`],
      ]);

      const none = await wide('agents', '-n', `${wideNs}-none`);
      expect(none).toMatchObject({ code: 0, stdout: '', stderr: `No resources found in ${wideNs}-none namespace.\n` });

      const w = startWatch(['get', 'agents', '-n', wideNs, '-w', '-o', 'wide', '--kubeconfig', kubeconfig]);
      watches.push(w.child);
      await w.waitFor('the initial wide table', (out) => out.split('\n').length === 4);
      const header = w.out.stdout.split('\n')[0];
      expect(header).toMatch(/^NAME\s+TYPE\s+READY\s+ACCEPTED\s+REASON\s+AGE\s+MODELCONFIG\s+TOOLS\s+IMAGE$/);
      await kubectlOk([
        'patch',
        'agents.kagent.dev',
        'declared',
        '-n',
        wideNs,
        '--type=json',
        '-p',
        '[{"op":"remove","path":"/spec/declarative/tools/1"}]',
      ]);
      const rows = () => w.out.stdout.split('\n').slice(3).filter(Boolean);
      await w.waitFor('declared with one tool', () => rows().some((r) => r.startsWith('declared ')));
      const row = rows().find((r) => r.startsWith('declared '))!;
      expect(row.split(/\s+/).slice(-3)).toEqual(['llm', '1', '<none>']);
      // The row's wide cells sit under the header's wide columns.
      expect(row.indexOf('llm')).toBe(header.indexOf('MODELCONFIG'));
      expect(row.lastIndexOf('<none>')).toBe(header.indexOf('IMAGE'));
      w.child.kill('SIGINT');
      expect(await w.exited).toEqual({ code: 0, signal: null });
      expect(w.out.stderr).toBe('');
    } finally {
      await deleteNamespace(wideNs);
    }
  });

  it('-w of a missing name fails like kubectl', async () => {
    const r = await get('agents', 'nope', '-w');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('metagent: agents.kagent.dev "nope" not found\n');
  });
});
