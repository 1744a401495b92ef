// `metagent get -o wide` (cli/lib/get-table.ts's wide columns, cli/lib/get-output.ts): the normal table, then each
// kind's extra columns after AGE, in the one-shot table and the --watch printer.
import { describe, it, expect } from 'vitest';
import { findGetKind, formatGetTable, GET_KINDS, type AnyObject } from '../../cli/lib/get-table.js';
import { createWatchPrinter, formatGetOutput } from '../../cli/lib/get-output.js';

const now = new Date('2026-01-01T12:00:00Z');
const ctx = { now, allNamespaces: false, namespace: 'ns1' };
const agents = findGetKind('agents')!;
const modelconfigs = findGetKind('modelconfigs')!;
const rmcps = findGetKind('remotemcpservers')!;

const meta = (name: string, ns = 'ns1') => ({
  name,
  namespace: ns,
  creationTimestamp: '2026-01-01T11:00:00Z',
  resourceVersion: '1',
});
const fine = (...types: string[]) => ({ conditions: types.map((type) => ({ type, status: 'True', reason: type })) });

const declarative = (name: string, declarativeSpec: Record<string, unknown>, ns?: string): AnyObject => ({
  metadata: meta(name, ns),
  spec: { type: 'Declarative', declarative: declarativeSpec },
  status: fine('Accepted', 'Ready'),
});
const byo = (name: string, byoSpec: Record<string, unknown>): AnyObject => ({
  metadata: meta(name),
  spec: { type: 'BYO', byo: byoSpec },
  status: fine('Accepted', 'Ready'),
});
const tool = (n: string) => ({ type: 'McpServer', mcpServer: { name: n, kind: 'RemoteMCPServer', toolNames: ['t'] } });

/** The table's lines split into cells (cells never contain three spaces). */
const cells = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/ {3,}/));

describe('get -o wide: Agents', () => {
  it('adds MODELCONFIG, TOOLS and IMAGE after AGE, aligned like the table; REASON dropped when all is well', () => {
    const out = formatGetOutput(
      'wide',
      agents,
      {
        items: [
          declarative('b', { modelConfig: 'default-model-config', tools: [tool('x'), tool('y')] }),
          declarative('a', {}),
        ],
      },
      ctx,
    );
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(
      'NAME   TYPE          READY   ACCEPTED   AGE   MODELCONFIG            TOOLS   IMAGE\n' +
        'a      Declarative   True    True       60m   <none>                 0       <none>\n' +
        'b      Declarative   True    True       60m   default-model-config   2       <none>\n',
    );
  });

  it('a BYO agent shows its image, and <none> for MODELCONFIG and TOOLS (even if a declarative section lingers)', () => {
    const agent = byo('byo', { deployment: { image: 'ghcr.io/acme/agent:1.2', cmd: 'run' } });
    agent.spec!.declarative = { modelConfig: 'stale', tools: [tool('x')] };
    expect(cells(formatGetOutput('wide', agents, { single: agent }, ctx).stdout)).toEqual([
      ['NAME', 'TYPE', 'READY', 'ACCEPTED', 'AGE', 'MODELCONFIG', 'TOOLS', 'IMAGE'],
      ['byo', 'BYO', 'True', 'True', '60m', '<none>', '<none>', 'ghcr.io/acme/agent:1.2'],
    ]);
    // A BYO agent without an image yet: <none>, not an empty cell that would shift the columns.
    expect(cells(formatGetOutput('wide', agents, { single: byo('bare', {}) }, ctx).stdout)[1]).toEqual([
      'bare',
      'BYO',
      'True',
      'True',
      '60m',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('a declarative agent never shows an image; an empty tools list is 0', () => {
    const agent = declarative('d', { modelConfig: 'm', tools: [], deployment: { imageRegistry: 'registry.example' } });
    expect(cells(formatGetOutput('wide', agents, { single: agent }, ctx).stdout)[1].slice(5)).toEqual([
      'm',
      '0',
      '<none>',
    ]);
  });

  it('keeps REASON (before AGE) when a row has one, and the NAMESPACE column with -A, sorted by namespace then name', () => {
    const failing: AnyObject = {
      ...declarative('a', { modelConfig: 'missing' }, 'ns2'),
      status: { conditions: [{ type: 'Accepted', status: 'False', reason: 'ModelConfigNotFound' }] },
    };
    const text = formatGetOutput(
      'wide',
      agents,
      { items: [failing, declarative('z', { tools: [tool('x')] }, 'ns1')] },
      { ...ctx, allNamespaces: true },
    ).stdout;
    expect(cells(text)).toEqual([
      ['NAMESPACE', 'NAME', 'TYPE', 'READY', 'ACCEPTED', 'REASON', 'AGE', 'MODELCONFIG', 'TOOLS', 'IMAGE'],
      ['ns1', 'z', 'Declarative', 'True', 'True', '60m', '<none>', '1', '<none>'],
      ['ns2', 'a', 'Declarative', 'Unknown', 'False', 'ModelConfigNotFound', '60m', 'missing', '0', '<none>'],
    ]);
    // The REASON column is blank-padded for the healthy row, so its AGE sits under AGE.
    const [header, first] = text.split('\n');
    expect(first.indexOf('60m')).toBe(header.indexOf('AGE'));
    expect(first.indexOf('<none>')).toBe(header.indexOf('MODELCONFIG'));
  });

  it('the plain table is unchanged: no wide columns without -o wide', () => {
    const table = formatGetOutput('table', agents, { items: [declarative('a', { modelConfig: 'm' })] }, ctx).stdout;
    expect(table).toBe('NAME   TYPE          READY   ACCEPTED   AGE\na      Declarative   True    True       60m\n');
    expect(formatGetTable(agents, [declarative('a', { modelConfig: 'm' })], now, false)).toBe(table.trimEnd());
  });
});

describe('get -o wide: ModelConfigs', () => {
  const mc = (name: string, spec: Record<string, unknown>): AnyObject => ({
    metadata: meta(name),
    spec: { model: 'some-model', ...spec },
    status: fine('Accepted'),
  });

  it('adds API-KEY-SECRET and BASE-URL', () => {
    const out = formatGetOutput(
      'wide',
      modelconfigs,
      {
        items: [
          mc('openai', {
            provider: 'OpenAI',
            apiKeySecret: 'openai-key',
            apiKeySecretKey: 'OPENAI_API_KEY',
            openAI: { baseUrl: 'https://llm.example/v1' },
          }),
        ],
      },
      ctx,
    );
    expect(out.stdout).toBe(
      'NAME     PROVIDER   MODEL        ACCEPTED   AGE   API-KEY-SECRET   BASE-URL\n' + //
        'openai   OpenAI     some-model   True       60m   openai-key       https://llm.example/v1\n',
    );
  });

  it.each([
    ['OpenAI', { openAI: { baseUrl: 'https://o.example/v1' } }, 'https://o.example/v1'],
    ['Anthropic', { anthropic: { baseUrl: 'https://a.example' } }, 'https://a.example'],
    [
      'SAPAICore',
      { sapAICore: { baseUrl: 'https://sap.example', authUrl: 'https://auth.example' } },
      'https://sap.example',
    ],
    [
      'AzureOpenAI',
      { azureOpenAI: { azureEndpoint: 'https://az.example', apiVersion: '2024-10-21' } },
      'https://az.example',
    ],
    ['Ollama', { ollama: { host: 'http://ollama:11434' } }, 'http://ollama:11434'],
    ['Foundry', { foundry: { endpoint: 'https://f.example', deployment: 'd' } }, 'https://f.example'],
    // No base URL of their own, or none set.
    ['Gemini', { gemini: {} }, '<none>'],
    ['Bedrock', { bedrock: { region: 'us-east-1' } }, '<none>'],
    ['GeminiVertexAI', { geminiVertexAI: { projectID: 'p', location: 'l' } }, '<none>'],
    ['OpenAI', {}, '<none>'],
    ['Foundry', { foundry: { endpointFrom: { name: 'foundry-secret', key: 'endpoint' }, deployment: 'd' } }, '<none>'],
  ] as const)('BASE-URL of a %s ModelConfig %j is %s', (provider, spec, expected) => {
    const row = cells(formatGetOutput('wide', modelconfigs, { single: mc('m', { provider, ...spec }) }, ctx).stdout)[1];
    expect(row.at(-1)).toBe(expected);
  });

  it("BASE-URL is the URL of the object's provider, not another provider's section; <none> without a provider", () => {
    const both = { openAI: { baseUrl: 'https://openai.example' }, anthropic: { baseUrl: 'https://anthropic.example' } };
    expect(
      cells(
        formatGetOutput('wide', modelconfigs, { single: mc('m', { provider: 'Anthropic', ...both }) }, ctx).stdout,
      )[1].at(-1),
    ).toBe('https://anthropic.example');
    expect(
      cells(
        formatGetOutput('wide', modelconfigs, { single: mc('m', { provider: 'OpenAI', ...both }) }, ctx).stdout,
      )[1].at(-1),
    ).toBe('https://openai.example');
    const noProvider = cells(formatGetOutput('wide', modelconfigs, { single: mc('m', both) }, ctx).stdout)[1];
    expect([noProvider[1], noProvider.at(-1)]).toEqual(['<none>', '<none>']);
    // A provider name that is an Object.prototype key is not a table entry.
    expect(
      cells(formatGetOutput('wide', modelconfigs, { single: mc('m', { provider: 'constructor' }) }, ctx).stdout)[1].at(
        -1,
      ),
    ).toBe('<none>');
  });

  it("shows only the API key Secret's name: never its key, headers, or a password in the base URL", () => {
    const secretish: AnyObject = mc('m', {
      provider: 'OpenAI',
      apiKeySecret: 'llm-key',
      apiKeySecretKey: 'KEY-FIELD-NAME',
      defaultHeaders: { Authorization: 'Bearer sk-header-token' },
      openAI: { baseUrl: 'https://user:sk-url-password@llm.example/v1', organization: 'org-private' },
    });
    const text = formatGetOutput('wide', modelconfigs, { single: secretish }, ctx).stdout;
    expect(cells(text)[1].slice(-2)).toEqual(['llm-key', 'https://user:***@llm.example/v1']);
    for (const hidden of ['KEY-FIELD-NAME', 'sk-header-token', 'Bearer', 'sk-url-password', 'org-private'])
      expect(text).not.toContain(hidden);
    // Something other than a name where the name belongs (a hand-edited object) is <none>, never its contents.
    const odd = mc('m', { apiKeySecret: { value: 'sk-inline-value' } });
    const oddText = formatGetOutput('wide', modelconfigs, { single: odd }, ctx).stdout;
    expect(cells(oddText)[1].slice(-2)).toEqual(['<none>', '<none>']);
    expect(oddText).not.toContain('sk-inline-value');
    expect(oddText).not.toContain('[object Object]');
  });

  it('API-KEY-SECRET is <none> without one (e.g. Ollama or key passthrough)', () => {
    const row = cells(
      formatGetOutput('wide', modelconfigs, { single: mc('m', { provider: 'OpenAI', apiKeyPassthrough: true }) }, ctx)
        .stdout,
    )[1];
    expect(row.slice(-2)).toEqual(['<none>', '<none>']);
  });
});

describe('get -o wide: RemoteMCPServers', () => {
  const server = (name: string, spec: Record<string, unknown>): AnyObject => ({
    metadata: meta(name),
    spec: { protocol: 'STREAMABLE_HTTP', url: 'http://tools:8084/mcp', ...spec },
    status: { ...fine('Accepted'), discoveredTools: [{ name: 'a' }] },
  });

  it('adds TIMEOUT and DESCRIPTION, cut to 40 characters with …', () => {
    const long = 'Kubernetes tools: get, describe, apply and delete resources in any namespace';
    const out = formatGetOutput(
      'wide',
      rmcps,
      { items: [server('k8s', { timeout: '30s', description: long }), server('plain', {})] },
      ctx,
    );
    const [header, k8s, plain] = cells(out.stdout);
    expect(header).toEqual(['NAME', 'PROTOCOL', 'URL', 'ACCEPTED', 'TOOLS', 'AGE', 'TIMEOUT', 'DESCRIPTION']);
    expect(k8s).toEqual([
      'k8s',
      'STREAMABLE_HTTP',
      'http://tools:8084/mcp',
      'True',
      '1',
      '60m',
      '30s',
      'Kubernetes tools: get, describe, apply …',
    ]);
    expect([...k8s.at(-1)!]).toHaveLength(40);
    expect(plain).toEqual([
      'plain',
      'STREAMABLE_HTTP',
      'http://tools:8084/mcp',
      'True',
      '1',
      '60m',
      '<none>',
      '<none>',
    ]);
  });

  it('a description of exactly 40 characters is kept whole; newlines become spaces; characters are not split', () => {
    const forty = 'x'.repeat(40);
    const cell = (description: string) =>
      cells(formatGetOutput('wide', rmcps, { single: server('s', { description }) }, ctx).stdout)[1].at(-1)!;
    expect(cell(forty)).toBe(forty);
    expect(cell(`${forty}y`)).toBe(`${'x'.repeat(39)}…`);
    expect(cell('Line one.\nLine two.\n')).toBe('Line one. Line two.');
    // Astral characters (two UTF-16 units each) count as one and are never cut in half.
    expect(cell('🔧'.repeat(41))).toBe(`${'🔧'.repeat(39)}…`);
  });
});

describe('get -o wide: empty lists, every kind, the watch printer', () => {
  it('an empty list says "No resources found" on stderr, like the table', () => {
    expect(formatGetOutput('wide', agents, { items: [] }, ctx)).toEqual({
      stdout: '',
      stderr: 'No resources found in ns1 namespace.\n',
    });
    expect(formatGetOutput('wide', rmcps, { items: [] }, { ...ctx, allNamespaces: true })).toEqual({
      stdout: '',
      stderr: 'No resources found\n',
    });
  });

  it('every kind has wide columns, none repeating a normal column name', () => {
    for (const kind of GET_KINDS) {
      expect(kind.wide.length, kind.plural).toBeGreaterThan(0);
      const names = ['NAMESPACE', 'NAME', ...kind.columns.map((c) => c.name), 'AGE', ...kind.wide.map((c) => c.name)];
      expect(new Set(names).size, kind.plural).toBe(names.length);
    }
  });

  it('watch: the header has the wide columns and every later row keeps them, padded to the first table', () => {
    const p = createWatchPrinter('wide', agents, false);
    const first = p.initial([declarative('b', { modelConfig: 'mc', tools: [tool('x')] }), declarative('a', {})], now);
    expect(first).toBe(
      'NAME   TYPE          READY   ACCEPTED   REASON   AGE   MODELCONFIG   TOOLS   IMAGE\n' +
        'a      Declarative   True    True                60m   <none>        0       <none>\n' +
        'b      Declarative   True    True                60m   mc            1       <none>\n',
    );
    expect(p.event(byo('c', { deployment: { image: 'img:1' } }), now)).toBe(
      'c      BYO           True    True                60m   <none>        <none>   img:1\n',
    );
    expect(p.event(declarative('d', { modelConfig: 'mc' }), now)).toBe(
      'd      Declarative   True    True                60m   mc            0       <none>\n',
    );
  });

  it('watch: an empty initial list prints nothing; the first event brings the wide header (with -A)', () => {
    const p = createWatchPrinter('wide', modelconfigs, true);
    expect(p.initial([], now)).toBe('');
    const m: AnyObject = {
      metadata: meta('m', 'ns2'),
      spec: { provider: 'Ollama', model: 'llama3', ollama: { host: 'http://ollama:11434' } },
      status: fine('Accepted'),
    };
    expect(cells(p.event(m, now))).toEqual([
      ['NAMESPACE', 'NAME', 'PROVIDER', 'MODEL', 'ACCEPTED', 'REASON', 'AGE', 'API-KEY-SECRET', 'BASE-URL'],
      ['ns2', 'm', 'Ollama', 'llama3', 'True', '60m', '<none>', 'http://ollama:11434'],
    ]);
    // The plain watch printer of the same kind has no wide columns.
    expect(createWatchPrinter('table', modelconfigs, true).event(m, now)).not.toContain('BASE-URL');
  });
});

describe('get: ModelProviderConfigs', () => {
  const mprov = findGetKind('mprov')!;
  const objs: AnyObject[] = [
    {
      metadata: meta('openai'),
      spec: { type: 'OpenAI', endpoint: 'https://user:pw@llm.example/v1', secretRef: { name: 'openai-key' } },
      status: { ...fine('Ready'), modelCount: 42, lastDiscoveryTime: '2026-01-01T11:30:00Z' },
    },
    {
      metadata: meta('ollama'),
      spec: { type: 'Ollama' },
      status: {
        conditions: [{ type: 'Ready', status: 'False', reason: 'DiscoveryFailed' }],
        modelCount: 0,
      },
    },
    { metadata: meta('new'), spec: { type: 'Anthropic', secretRef: { name: 'k' } } },
  ];

  it("is found by plural, singular, short name and group; kagent's columns plus REASON", () => {
    for (const n of ['modelproviderconfigs', 'modelproviderconfig', 'mprov', 'modelproviderconfigs.kagent.dev'])
      expect(findGetKind(n), n).toBe(mprov);
    expect(formatGetTable(mprov, objs, now, false)).toBe(
      'NAME     TYPE        ENDPOINT                          MODELS   READY     REASON            AGE\n' +
        'new      Anthropic   <none>                            <none>   Unknown                     60m\n' +
        'ollama   Ollama      <none>                            0        False     DiscoveryFailed   60m\n' +
        'openai   OpenAI      https://user:***@llm.example/v1   42       True                        60m',
    );
  });

  it('-o wide adds SECRET (its name only) and LAST-DISCOVERY', () => {
    const rows = cells(formatGetOutput('wide', mprov, { items: [objs[0]] }, ctx).stdout);
    expect(rows[0]).toEqual(['NAME', 'TYPE', 'ENDPOINT', 'MODELS', 'READY', 'AGE', 'SECRET', 'LAST-DISCOVERY']);
    expect(rows[1]).toEqual([
      'openai',
      'OpenAI',
      'https://user:***@llm.example/v1',
      '42',
      'True',
      '60m',
      'openai-key',
      '2026-01-01T11:30:00Z',
    ]);
  });

  it('-o name and json print the objects like the other kinds', () => {
    expect(formatGetOutput('name', mprov, { items: [objs[0]] }, ctx).stdout).toBe(
      'modelproviderconfig.kagent.dev/openai\n',
    );
    const list = JSON.parse(formatGetOutput('json', mprov, { items: [objs[0]] }, ctx).stdout);
    expect(list.items[0]).toMatchObject({ kind: 'ModelProviderConfig', spec: { type: 'OpenAI' } });
  });
});
