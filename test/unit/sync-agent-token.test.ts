// The agent pod presents a projected ServiceAccount token only to MCP servers that ask for one (the
// metagent.dev/service-account-token-audience annotation): one projected volume, one file per audience, written in
// the API server's canonical form, and config.json naming the file. Servers without the annotation change nothing.
import { describe, it, expect } from 'vitest';
import { renderObjects } from '../../sync-hooks/render.js';
import type { KubeObject } from '../../sync-hooks/protocol.js';

const ANNOTATION = 'metagent.dev/service-account-token-audience';
const DIR = '/var/run/secrets/metagent.dev/serviceaccount';

const base = (): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k', namespace: 'team' }, data: { key: 'c2s=' } },
  {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name: 'mc', namespace: 'team' },
    spec: { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'k', apiKeySecretKey: 'key' },
  },
];

function server(name: string, audience?: string, protocol = 'STREAMABLE_HTTP'): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: {
      name,
      namespace: 'team',
      ...(audience !== undefined ? { annotations: { [ANNOTATION]: audience } } : {}),
    },
    spec: { url: `http://${name}.team:8084/${protocol === 'SSE' ? 'sse' : 'mcp'}`, protocol },
  };
}

function agent(servers: string[], deployment: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'a', namespace: 'team' },
    spec: {
      type: 'Declarative',
      declarative: {
        systemMessage: 'x',
        modelConfig: 'mc',
        deployment,
        tools: servers.map((name) => ({ type: 'McpServer', mcpServer: { name, kind: 'RemoteMCPServer' } })),
      },
    },
  };
}

interface Rendered {
  pod: { volumes: Record<string, any>[]; containers: { volumeMounts: Record<string, any>[] }[] };
  config: { http_tools?: { params: Record<string, unknown> }[]; sse_tools?: { params: Record<string, unknown> }[] };
  problems: string[];
}

function render(objects: KubeObject[]): Rendered {
  const { items, problems } = renderObjects(objects, { runtimeImage: 'img', imagePullPolicy: 'IfNotPresent' });
  const deploy = items.find((i) => i.kind === 'Deployment');
  const secret = items.find((i) => i.kind === 'Secret');
  return {
    pod: (deploy?.spec as { template: { spec: Rendered['pod'] } } | undefined)?.template.spec as Rendered['pod'],
    config: secret
      ? JSON.parse((secret as unknown as { stringData: Record<string, string> }).stringData['config.json'])
      : {},
    problems,
  };
}

describe('projected ServiceAccount tokens for MCP servers that ask for them', () => {
  it('no annotation: no token volume, no token path (the pod and config are as before)', () => {
    const r = render([...base(), server('plain'), agent(['plain'])]);
    expect(r.problems).toEqual([]);
    expect(JSON.stringify(r.pod)).not.toContain('serviceAccountToken');
    expect(r.config.http_tools![0].params).not.toHaveProperty('service_account_token_path');
  });

  it('one projected volume with one token per audience, mounted read-only, named in config.json', () => {
    const r = render([
      ...base(),
      server('tools', 'metagent-toolserver'),
      server('tools-sse', 'metagent-toolserver', 'SSE'),
      server('vault-ish', 'other.example.com'),
      server('plain'),
      agent(['tools', 'tools-sse', 'vault-ish', 'plain']),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.pod.volumes.filter((v) => v.projected)).toEqual([
      {
        name: 'metagent-serviceaccount-tokens',
        projected: {
          defaultMode: 420,
          sources: [
            {
              serviceAccountToken: {
                audience: 'metagent-toolserver',
                expirationSeconds: 3600,
                path: 'metagent-toolserver',
              },
            },
            {
              serviceAccountToken: {
                audience: 'other.example.com',
                expirationSeconds: 3600,
                path: 'other.example.com',
              },
            },
          ],
        },
      },
    ]);
    expect(r.pod.containers[0].volumeMounts).toContainEqual({
      name: 'metagent-serviceaccount-tokens',
      mountPath: DIR,
      readOnly: true,
    });
    const paths = [...r.config.http_tools!, ...r.config.sse_tools!].map((t) => t.params.service_account_token_path);
    expect(paths).toEqual([
      `${DIR}/metagent-toolserver`,
      `${DIR}/other.example.com`,
      undefined,
      `${DIR}/metagent-toolserver`,
    ]);
  });

  it('an audience that is not a DNS subdomain (it names a file) is InvalidSpec naming the server and annotation', () => {
    for (const bad of ['', '../etc', 'https://x.example.com', 'Upper']) {
      const r = render([...base(), server('tools', bad), agent(['tools'])]);
      expect(r.problems).toEqual([
        `Agent team/a is not accepted: InvalidSpec: RemoteMCPServer team/tools: annotation ${ANNOTATION}: "${bad}" is not a valid audience (a DNS subdomain: lowercase letters, digits, '-' and '.')`,
      ]);
    }
  });

  it('a user volume or mount that collides with the token volume is InvalidSpec, not a pod the API server rejects', () => {
    const vol = render([
      ...base(),
      server('tools', 'metagent-toolserver'),
      agent(['tools'], { volumes: [{ name: 'metagent-serviceaccount-tokens', emptyDir: {} }] }),
    ]);
    expect(vol.problems[0]).toContain(
      'spec.declarative.deployment.volumes: the name "metagent-serviceaccount-tokens" is used by the agent\'s model or tools',
    );
    const mount = render([
      ...base(),
      server('tools', 'metagent-toolserver'),
      agent(['tools'], {
        volumes: [{ name: 'mine', emptyDir: {} }],
        volumeMounts: [{ name: 'mine', mountPath: DIR }],
      }),
    ]);
    expect(mount.problems[0]).toContain(
      `spec.declarative.deployment.volumeMounts: ${DIR} is used by the agent's model or tools`,
    );
  });

  it('a Service used as an MCP server asks for a token the same way', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc-tools', namespace: 'team', annotations: { [ANNOTATION]: 'metagent-toolserver' } },
      spec: { ports: [{ port: 8084 }] },
    };
    const a = agent([]);
    (a.spec as any).declarative.tools = [
      { type: 'McpServer', mcpServer: { name: 'svc-tools', kind: 'Service', apiGroup: '' } },
    ];
    const r = render([...base(), svc, a]);
    expect(r.problems).toEqual([]);
    expect(r.config.http_tools![0].params.service_account_token_path).toBe(`${DIR}/metagent-toolserver`);
  });
});
