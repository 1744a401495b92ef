import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  applyDefaults,
  formatFieldError,
  KIND_NAMES,
  unsupportedFields,
  validate,
  type KindName,
} from '../../crds/index.js';

const inputsDir = fileURLToPath(new URL('../../../shared/conformance/kagent-v0.10/inputs/', import.meta.url));

interface Found {
  file: string;
  kind: KindName;
  obj: Record<string, any>;
}
const conformanceObjects: Found[] = readdirSync(inputsDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) => {
    const doc = parse(readFileSync(inputsDir + file, 'utf8')) as { objects: Record<string, any>[] };
    return doc.objects
      .filter((o) => o.apiVersion === 'kagent.dev/v1alpha2' && (KIND_NAMES as string[]).includes(o.kind))
      .map((obj) => ({ file, kind: obj.kind as KindName, obj }));
  });

describe('conformance inputs', () => {
  it('contain objects of every kind', () => {
    // kagent's translator cases hold no ModelProviderConfig (it is not an input of an Agent's translation).
    for (const kind of KIND_NAMES.filter((k) => k !== 'ModelProviderConfig'))
      expect(conformanceObjects.some((o) => o.kind === kind)).toBe(true);
    expect(conformanceObjects.length).toBeGreaterThan(40);
  });

  it.each(conformanceObjects.map((o) => [`${o.file} ${o.kind}/${o.obj.metadata.name}`, o] as const))(
    '%s validates and defaults idempotently',
    (_name, { kind, obj }) => {
      expect(validate(kind, obj).map(formatFieldError)).toEqual([]);
      const once = applyDefaults(kind, obj);
      expect(validate(kind, once)).toEqual([]);
      expect(applyDefaults(kind, once)).toEqual(once);
    },
  );
});

describe('applyDefaults', () => {
  it('applies kagent defaults for each kind', () => {
    expect(applyDefaults('Agent', { spec: { declarative: {} } })).toEqual({
      spec: { type: 'Declarative', declarative: { runtime: 'go', stream: false } },
    });
    expect(applyDefaults('ModelConfig', { spec: { model: 'gpt-4o', openAI: {} } })).toEqual({
      spec: { model: 'gpt-4o', provider: 'OpenAI', openAI: { apiFormat: 'chatCompletions' } },
    });
    expect(applyDefaults('ModelConfig', { spec: { model: 'gpt-4o' } })).toEqual({
      spec: { model: 'gpt-4o', provider: 'OpenAI' },
    });
    expect(applyDefaults('RemoteMCPServer', { spec: { url: 'http://x/mcp' } })).toEqual({
      spec: { url: 'http://x/mcp', protocol: 'STREAMABLE_HTTP', timeout: '30s', terminateOnClose: true },
    });
  });

  it('defaults nested objects only when their parent exists, including array elements', () => {
    const agent = applyDefaults('Agent', {
      spec: {
        type: 'Declarative',
        declarative: { context: { compaction: {} } },
        skills: { gitRefs: [{ url: 'https://g/x' }, { url: 'https://g/y', ref: 'dev' }] },
        allowedNamespaces: {},
      },
    });
    expect(agent.spec.declarative.context.compaction).toEqual({ compactionInterval: 5, overlapSize: 2 });
    expect(agent.spec.skills.gitRefs.map((g: { ref?: string }) => g.ref)).toEqual(['main', 'dev']);
    expect(agent.spec.allowedNamespaces).toEqual({ from: 'Same' });
    const mc = applyDefaults('ModelConfig', {
      spec: { model: 'm', provider: 'Bedrock', bedrock: { region: 'us-east-1' }, tls: {} },
    });
    expect(mc.spec.bedrock).toEqual({ region: 'us-east-1', promptCaching: false, cacheTTL: '5m' });
    expect(mc.spec.tls).toEqual({ disableVerify: false, disableSystemCAs: false });
  });

  it('is pure and keeps explicit values and unknown fields', () => {
    const input = { spec: { url: 'u', protocol: 'SSE', terminateOnClose: false, extra: { a: 1 } } };
    const copy = structuredClone(input);
    const out = applyDefaults('RemoteMCPServer', input);
    expect(input).toEqual(copy);
    expect(out.spec).toMatchObject({ protocol: 'SSE', terminateOnClose: false, extra: { a: 1 }, timeout: '30s' });
    (out.spec.extra as { a: number }).a = 2;
    expect(input.spec.extra.a).toBe(1);
  });

  it('copies keys named like Object.prototype members as data', () => {
    const input = JSON.parse(
      '{"spec":{"url":"u","headersFrom":[],"constructor":{"a":1},"__proto__":{"polluted":true}}}',
    );
    const out = applyDefaults('RemoteMCPServer', input) as any;
    expect(Object.getPrototypeOf(out.spec)).toBe(Object.prototype);
    expect(Object.keys(out.spec)).toEqual([
      'url',
      'headersFrom',
      'constructor',
      '__proto__',
      'protocol',
      'timeout',
      'terminateOnClose',
    ]);
    expect(out.spec.constructor).toEqual({ a: 1 });
    expect(({} as any).polluted).toBeUndefined();
    expect(validate('RemoteMCPServer', input)).toEqual([]);
  });

  it('passes through non-objects unchanged', () => {
    expect(applyDefaults('Agent', null)).toBeNull();
    expect(applyDefaults('Agent', 'x')).toBe('x');
    expect(applyDefaults('Agent', { spec: 'nope' })).toEqual({ spec: 'nope' });
  });
});

describe('validate: schema errors', () => {
  const msgs = (kind: KindName, obj: unknown) => validate(kind, obj).map(formatFieldError);

  it('reports every schema error at once with field paths', () => {
    expect(
      msgs('Agent', {
        spec: {
          type: 'Declarative',
          declarative: {
            stream: 'yes',
            tools: [{ type: 'McpServer', mcpServer: { name: '' } }, { type: 'Bogus' }],
            deployment: { replicas: 1.5, resources: { limits: { cpu: true } } },
          },
        },
      }),
    ).toEqual([
      'spec.declarative.stream: must be a boolean (got "yes")',
      'spec.declarative.tools[0].mcpServer.name: must not be empty',
      'spec.declarative.tools[1].type: must be one of "McpServer", "MCPServer", "Agent" (got "Bogus")',
      'spec.declarative.deployment.replicas: must be an integer (got 1.5)',
      'spec.declarative.deployment.resources.limits.cpu: must be an integer or a string (got true)',
    ]);
  });

  it('names missing required fields', () => {
    expect(msgs('ModelConfig', { spec: {} })).toEqual(['spec.model: is required']);
    expect(msgs('RemoteMCPServer', { metadata: {} })).toEqual(['spec: is required']);
    expect(msgs('Agent', { spec: { declarative: { systemMessageFrom: { type: 'Secret' } } } })).toEqual([
      'spec.declarative.systemMessageFrom.name: is required',
      'spec.declarative.systemMessageFrom.key: is required',
    ]);
  });

  it('explains durations, enums, limits and map keys', () => {
    expect(msgs('RemoteMCPServer', { spec: { url: 'http://x', timeout: '30', protocol: 'WS' } })).toEqual([
      'spec.protocol: must be one of "SSE", "STREAMABLE_HTTP" (got "WS")',
      'spec.timeout: must be a duration such as "30s", "5m0s" or "1h" (got "30")',
    ]);
    expect(msgs('ModelConfig', { spec: { model: 'm', defaultHeaders: { 'User-Agent': 1 } } })).toEqual([
      'spec.defaultHeaders["User-Agent"]: must be a string (got 1)',
    ]);
    expect(
      msgs('Agent', { spec: { declarative: { tools: Array.from({ length: 21 }, () => ({ agent: { name: 'a' } })) } } }),
    ).toEqual(['spec.declarative.tools: must have at most 20 items']);
    expect(msgs('Agent', { spec: { declarative: { deployment: { replicas: 2 ** 31 } } } })).toEqual([
      'spec.declarative.deployment.replicas: must be a 32-bit integer (got 2147483648)',
    ]);
  });

  it('refuses a non-object without crashing', () => {
    for (const bad of [null, 42, 'x', [], true]) expect(validate('Agent', bad).length).toBeGreaterThan(0);
    expect(msgs('Agent', [])).toEqual(['(root): must be an object (got [])']);
  });
});

describe('unsupportedFields', () => {
  it('lists accepted-but-unhonoured fields with concrete paths', () => {
    const agent = {
      spec: {
        type: 'Declarative',
        skills: { refs: ['img'] },
        declarative: {
          memory: { modelConfig: 'e' },
          executeCodeBlocks: false,
          tools: [
            { type: 'McpServer', mcpServer: { name: 'a', kind: 'RemoteMCPServer' } },
            { type: 'McpServer', mcpServer: { name: 'b', kind: 'MCPServer' } },
          ],
        },
      },
    };
    // kmcp MCPServer tools are served now: tools[1] is not listed.
    // Long-term memory is served now too.
    expect(unsupportedFields('Agent', agent)).toEqual(['spec.skills']);
    expect(unsupportedFields('Agent', { spec: { declarative: { executeCodeBlocks: true } } })).toEqual([
      'spec.declarative.executeCodeBlocks',
    ]);
    expect(unsupportedFields('ModelConfig', { spec: { model: 'm' } })).toEqual([]);
    expect(unsupportedFields('Agent', 'garbage')).toEqual([]);
  });
});
