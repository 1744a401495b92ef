// `metagent render`: the pure renderObjects and the command (-f files, folders, -R, stdin, multi-document YAML, kagent
// test-case files, -o json, exit 1 with reasons).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderObjects } from '../../sync-hooks/render.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const caseFile = fileURLToPath(
  new URL('../../../shared/conformance/kagent-v0.10/inputs/agent_with_http_toolserver.yaml', import.meta.url),
);
const opts = { runtimeImage: 'img:1', imagePullPolicy: 'IfNotPresent' };

const objects = (): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'key' }, stringData: { k: 'sk-x' } },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc' },
    spec: { model: 'gpt-4o', apiKeySecret: 'key', apiKeySecretKey: 'k' },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'kube' },
    spec: { url: 'http://kube:3000/mcp' },
  },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'a' },
    spec: {
      declarative: {
        systemMessage: 'hi',
        modelConfig: 'mc',
        tools: [{ type: 'McpServer', mcpServer: { kind: 'RemoteMCPServer', name: 'kube' } }],
      },
    },
  },
];

describe('renderObjects', () => {
  it('renders the children with a readable config Secret, defaulting namespace and CRD fields like the cluster', () => {
    const { items, problems } = renderObjects(objects(), { ...opts, namespace: 'dev' });
    expect(problems).toEqual([]);
    expect(items.map((i) => i.kind)).toEqual(['Secret', 'ServiceAccount', 'Deployment', 'Service']);
    expect(items.every((i) => i.metadata.namespace === 'dev')).toBe(true);
    const secret = items[0];
    expect(secret.data).toBeUndefined();
    const config = JSON.parse((secret.stringData as Record<string, string>)['config.json']);
    // RemoteMCPServer defaults from the CRD (timeout 30s, terminateOnClose true) as the API server would apply them.
    expect(config.http_tools[0].params).toMatchObject({
      url: 'http://kube:3000/mcp',
      timeout: 30,
      terminate_on_close: true,
    });
    expect(JSON.stringify(items)).not.toContain('sk-x');
  });

  it('reports every Agent that is not accepted and renders the others', () => {
    const objs = [
      ...objects(),
      {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'Agent',
        metadata: { name: 'b', namespace: 'x' },
        spec: { declarative: { systemMessage: 'hi', modelConfig: 'gone' } },
      } as KubeObject,
    ];
    const { items, problems } = renderObjects(objs, opts);
    expect(problems).toEqual([
      'Agent x/b is not accepted: ModelConfigNotFound: ModelConfig x/gone (spec.declarative.modelConfig) not found',
    ]);
    expect(items.filter((i) => i.kind === 'Deployment').map((i) => i.metadata.name)).toEqual(['a']);
  });

  it('does not modify its input', () => {
    const input = objects();
    const before = JSON.stringify(input);
    renderObjects(input, opts);
    expect(JSON.stringify(input)).toBe(before);
  });
});

const run = promisify(execFile);
async function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const child = run(process.execPath, [join(repo, 'bin/metagent.js'), 'render', ...args], { cwd: repo });
    child.child.stdin?.end(stdin ?? '');
    const r = await child;
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
const kinds = (stdout: string) =>
  (parse(stdout) as { items: KubeObject[] }).items.map((i) => `${i.kind}/${i.metadata.namespace}/${i.metadata.name}`);

describe('metagent render', () => {
  it('reads a kagent test-case file and prints one v1 List', async () => {
    const r = await cli(['-f', caseFile]);
    expect(r.code).toBe(0);
    const list = parse(r.stdout) as { apiVersion: string; kind: string; items: KubeObject[] };
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items.map((i) => `${i.kind}/${i.metadata.namespace}/${i.metadata.name}`)).toEqual([
      'Secret/test/agent',
      'ServiceAccount/test/agent',
      'Deployment/test/agent',
      'Service/test/agent',
    ]);
  }, 30_000);

  it('reads multi-document YAML from several files, -o json, and exits 1 with the reasons for an unaccepted Agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-'));
    const docs = objects()
      .map((o) => JSON.stringify(o))
      .join('\n---\n');
    writeFileSync(join(dir, 'a.yaml'), docs);
    writeFileSync(
      join(dir, 'b.yaml'),
      'apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: broken}\nspec: {declarative: {systemMessage: hi, modelConfig: nope}}\n',
    );
    const r = await cli(['-f', join(dir, 'a.yaml'), '-f', join(dir, 'b.yaml'), '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Agent default/broken is not accepted: ModelConfigNotFound');
    const list = JSON.parse(r.stdout) as { items: KubeObject[] };
    expect(list.items.some((i) => i.kind === 'Deployment' && i.metadata.name === 'a')).toBe(true);
  }, 30_000);

  it('-f examples/k8s-ops-agent/ (the README dry run): the four children; the API key Secret not in git is said to be assumed', async () => {
    const r = await cli(['-f', 'examples/k8s-ops-agent/']);
    expect(r.stderr).toBe(
      "metagent render: Secret kagent/openai-api-key (a ModelConfig's API key) is not in the files; rendered as if it exists (the pod template's secret hash will differ)\n",
    );
    expect(r.code).toBe(0);
    expect(kinds(r.stdout)).toEqual([
      'Secret/kagent/k8s-ops-agent',
      'ServiceAccount/kagent/k8s-ops-agent',
      'Deployment/kagent/k8s-ops-agent',
      'Service/kagent/k8s-ops-agent',
    ]);
  }, 30_000);

  it('-f - reads standard input; -R reads sub-folders; a folder without -R skips them', async () => {
    const docs = objects()
      .map((o) => JSON.stringify(o))
      .join('\n---\n');
    const piped = await cli(['-f', '-'], docs);
    expect(piped.code).toBe(0);
    expect(kinds(piped.stdout)).toEqual([
      'Secret/default/a',
      'ServiceAccount/default/a',
      'Deployment/default/a',
      'Service/default/a',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'render-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'all.yaml'), docs);
    writeFileSync(join(dir, 'README.md'), '# not read\n');
    const flat = await cli(['-f', dir]);
    expect(flat.code).toBe(1);
    expect(flat.stderr).toContain(`${dir}: no .yaml, .yml or .json files in this folder (use -R for its sub-folders)`);
    const deep = await cli(['-f', dir, '-R']);
    expect(deep.code).toBe(0);
    expect(kinds(deep.stdout)).toHaveLength(4);
  }, 30_000);

  it('fails clearly on a missing file and on files without Agents', async () => {
    const missing = await cli(['-f', '/nonexistent/x.yaml']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('/nonexistent/x.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'render-'));
    writeFileSync(join(dir, 's.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n');
    const none = await cli(['-f', join(dir, 's.yaml')]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('no Agent found');
  }, 30_000);
});
