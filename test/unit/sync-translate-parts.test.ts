// The small pure pieces of the translation: canonical quantities, Go durations, the prompt template subset,
// kagent's Service -> MCP URL rule, and provider specifics (table rows).
import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from '../../sync-hooks/agent/quantity.js';
import { durationSeconds } from '../../sync-hooks/agent/duration.js';
import { executeTemplate } from '../../sync-hooks/agent/template.js';
import { serviceToRemoteMCPServer, pythonIdentifier } from '../../sync-hooks/agent/tools.js';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { toObjectMap, type KubeObject } from '../../sync-hooks/protocol.js';
import { PROVIDERS } from '../../sync-hooks/agent/providers/index.js';

describe('canonicalQuantity', () => {
  const table: [string | number, string][] = [
    ['3000m', '3'],
    ['2000m', '2'],
    ['200m', '200m'],
    ['1500m', '1500m'],
    ['0.5', '500m'],
    ['1', '1'],
    [2, '2'],
    ['1000', '1k'],
    ['1.5Gi', '1536Mi'],
    ['2048Mi', '2Gi'],
    ['684Mi', '684Mi'],
    ['1024', '1024'],
    ['1Ki', '1Ki'],
    ['0.5Ki', '512'],
    ['512Ki', '512Ki'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['100M', '100M'],
    ['0.1', '100m'],
  ];
  for (const [input, want] of table) it(`${input} -> ${want}`, () => expect(canonicalQuantity(input)).toBe(want));
  it('rejects garbage', () => {
    expect(() => canonicalQuantity('lots')).toThrow(/invalid quantity "lots"/);
    expect(() => canonicalQuantity('')).toThrow();
  });
});

describe('durationSeconds', () => {
  it('parses Go durations', () => {
    expect(durationSeconds('30s')).toBe(30);
    expect(durationSeconds('5m0s')).toBe(300);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('250ms')).toBe(0.25);
    expect(durationSeconds('1.5s')).toBe(1.5);
  });
  it('rejects non-durations', () => {
    expect(() => durationSeconds('30')).toThrow(/invalid duration "30"/);
    expect(() => durationSeconds('5 minutes')).toThrow();
  });
});

describe('executeTemplate (Go text/template subset)', () => {
  const ctx = { AgentName: 'a', AgentNamespace: 'ns', Description: 'd', ToolNames: ['x', 'y'], SkillNames: [] };
  const lookup = new Map([['lib/intro', 'Hello\n']]);
  it('renders fields, include, range, if/else and trim markers', () => {
    expect(
      executeTemplate(
        '{{include "lib/intro"}}I am {{.AgentName}} in {{.AgentNamespace}}: {{range .ToolNames}}{{.}}, {{end}}',
        lookup,
        ctx,
      ),
    ).toBe('Hello\nI am a in ns: x, y, ');
    expect(executeTemplate('{{if .SkillNames}}skills{{else}}none{{end}}', lookup, ctx)).toBe('none');
    expect(executeTemplate('a  {{- .AgentName -}}  b{{/* note */}}', lookup, ctx)).toBe('aab');
  });
  it('fails on unknown includes, fields and actions with a clear reason', () => {
    expect(() => executeTemplate('{{include "lib/nope"}}', lookup, ctx)).toThrow(/"lib\/nope" not found.*lib\/intro/);
    expect(() => executeTemplate('{{.Nope}}', lookup, ctx)).toThrow(/unknown field .Nope/);
    expect(() => executeTemplate('{{printf "%s" .AgentName}}', lookup, ctx)).toThrow(/unsupported template action/);
    expect(() => executeTemplate('{{range .ToolNames}}x', lookup, ctx)).toThrow(/missing \{\{end\}\}/);
  });
});

describe('serviceToRemoteMCPServer', () => {
  const svc = (annotations: Record<string, string>, ports: unknown[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'n', annotations },
    spec: { ports },
  });
  it('uses the single port, /mcp, streamable HTTP by default', () => {
    expect(serviceToRemoteMCPServer(svc({}, [{ port: 9000 }])).spec).toEqual({
      url: 'http://s.n:9000/mcp',
      protocol: 'STREAMABLE_HTTP',
    });
  });
  it('honours the annotations and the appProtocol mcp port', () => {
    const r = serviceToRemoteMCPServer(
      svc({ 'kagent.dev/mcp-service-path': '/sse', 'kagent.dev/mcp-service-protocol': 'SSE' }, [
        { port: 80 },
        { port: 81, appProtocol: 'mcp' },
      ]),
    );
    expect(r.spec).toEqual({ url: 'http://s.n:81/sse', protocol: 'SSE' });
  });
  it('fails without a usable port', () => {
    expect(() => serviceToRemoteMCPServer(svc({}, [{ port: 80 }, { port: 81 }]))).toThrow(/no MCP port/);
  });
  it('pythonIdentifier follows kagent', () => expect(pythonIdentifier('ns-a/agent-b')).toBe('ns_a__NS__agent_b'));
});

describe('providers (table rows)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const run = (mcSpec: Record<string, unknown>, secretData: Record<string, string> = { key: 'v' }) => {
    const parent: KubeObject = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'n' },
      spec: { type: 'Declarative', declarative: { systemMessage: 's', modelConfig: 'mc' } },
    };
    const related: KubeObject[] = [
      {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'ModelConfig',
        metadata: { name: 'mc', namespace: 'n' },
        spec: { model: 'm', apiKeySecret: 'sec', apiKeySecretKey: 'key', ...mcSpec },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'sec', namespace: 'n' },
        data: Object.fromEntries(Object.entries(secretData).map(([k, v]) => [k, b64(v)])),
      },
    ];
    const res = syncAgent(
      { controller: parent, parent, children: {}, related: toObjectMap(related) },
      { runtimeImage: 'i', imagePullPolicy: 'Always' },
    );
    const secret = res.children.find((c) => c.kind === 'Secret');
    const config = secret
      ? JSON.parse(Buffer.from((secret.data as Record<string, string>)['config.json'], 'base64').toString())
      : undefined;
    const dep = res.children.find((c) => c.kind === 'Deployment');
    const env = dep
      ? (dep.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template
          .spec.containers[0].env
      : [];
    return { res, model: config?.model as Record<string, unknown>, envNames: env.map((e) => e.name), env };
  };

  it('covers the kagent providers', () => {
    expect([...PROVIDERS.keys()].sort()).toEqual([
      'Anthropic',
      'AnthropicVertexAI',
      'AzureOpenAI',
      'Bedrock',
      'Gemini',
      'GeminiVertexAI',
      'Ollama',
      'OpenAI',
    ]);
  });
  it('Anthropic: type anthropic, numbers parsed, ANTHROPIC_API_KEY', () => {
    const r = run({
      provider: 'Anthropic',
      anthropic: { temperature: '0.2', maxTokens: 100, topK: 5, baseUrl: 'https://x' },
    });
    expect(r.model).toEqual({
      type: 'anthropic',
      model: 'm',
      base_url: 'https://x',
      max_tokens: 100,
      temperature: 0.2,
      top_k: 5,
    });
    expect(r.envNames).toContain('ANTHROPIC_API_KEY');
  });
  it('AzureOpenAI: deployment as model, endpoint/version env', () => {
    const r = run({
      provider: 'AzureOpenAI',
      azureOpenAI: { azureEndpoint: 'https://az', apiVersion: '2024-06-01', azureDeployment: 'dep' },
    });
    expect(r.model).toMatchObject({ type: 'azure_openai', model: 'dep' });
    expect(r.envNames).toEqual(
      expect.arrayContaining(['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION']),
    );
  });
  it('Ollama: host env with a scheme added, options kept', () => {
    const r = run({
      provider: 'Ollama',
      apiKeySecret: undefined,
      ollama: { host: 'ollama:11434', options: { num_ctx: '4096' } },
    });
    expect(r.model).toEqual({ type: 'ollama', model: 'm', options: { num_ctx: '4096' } });
    expect(r.env).toContainEqual({ name: 'OLLAMA_API_BASE', value: 'http://ollama:11434' });
  });
  it('Gemini and Vertex AI', () => {
    expect(run({ provider: 'Gemini' }).envNames).toContain('GOOGLE_API_KEY');
    const v = run({ provider: 'GeminiVertexAI', geminiVertexAI: { projectID: 'p', location: 'l' } });
    expect(v.model.type).toBe('gemini_vertex_ai');
    expect(v.envNames).toEqual(
      expect.arrayContaining([
        'GOOGLE_CLOUD_PROJECT',
        'GOOGLE_CLOUD_LOCATION',
        'GOOGLE_GENAI_USE_VERTEXAI',
        'GOOGLE_APPLICATION_CREDENTIALS',
      ]),
    );
    expect(
      run({ provider: 'AnthropicVertexAI', anthropicVertexAI: { projectID: 'p', location: 'l' } }).model.type,
    ).toBe('gemini_anthropic');
  });
  it('Bedrock: bearer token when the Secret has one, IAM keys otherwise', () => {
    expect(
      run({ provider: 'Bedrock', bedrock: { region: 'r' } }, { AWS_BEARER_TOKEN_BEDROCK: 't' }).envNames,
    ).toContain('AWS_BEARER_TOKEN_BEDROCK');
    expect(
      run(
        { provider: 'Bedrock', bedrock: { region: 'r' } },
        { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' },
      ).envNames,
    ).toEqual(
      expect.arrayContaining(['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']),
    );
  });
  it('a provider block that is required but missing is InvalidSpec; unsupported providers are named', () => {
    const r = run({ provider: 'Ollama', apiKeySecret: undefined });
    expect((r.res.status.conditions as { type: string; reason: string; message: string }[])[0]).toMatchObject({
      reason: 'InvalidSpec',
    });
    const s = run({ provider: 'SAPAICore', sapAICore: { baseUrl: 'x' } });
    expect((s.res.status.conditions as { message: string }[])[0].message).toContain('SAPAICore is not supported');
  });

  const accepted = (r: ReturnType<typeof run>) =>
    (r.res.status.conditions as { type: string; status: string; reason: string; message: string }[]).find(
      (c) => c.type === 'Accepted',
    );

  describe('decimal strings of OpenAI, AzureOpenAI and Anthropic (kagent drops a malformed one; metagent refuses it)', () => {
    const blocks = {
      OpenAI: ['openAI', {}, ['temperature', 'topP', 'frequencyPenalty', 'presencePenalty']],
      AzureOpenAI: ['azureOpenAI', { azureEndpoint: 'https://e', apiVersion: 'v' }, ['temperature', 'topP']],
      Anthropic: ['anthropic', {}, ['temperature', 'topP']],
    } as const;
    const cases = Object.entries(blocks).flatMap(([provider, [block, base, fields]]) =>
      fields.map((field) => [provider, block, base, field] as const),
    );
    const runWith = (provider: string, block: string, base: object, field: string, value: string) =>
      run({ provider, [block]: { ...base, [field]: value } });

    it.each(cases)('%s %s.%s "0.5" is sent as 0.5', (provider, block, base, field) => {
      const r = runWith(provider, block, base, field, '0.5');
      expect(accepted(r)).toMatchObject({ status: 'True' });
      expect(Object.values(r.model)).toContain(0.5);
    });
    it.each(cases)('%s %s.%s "warm" is InvalidSpec naming the field', (provider, block, base, field) => {
      const r = runWith(provider, block, base, field, 'warm');
      expect(accepted(r)).toMatchObject({
        status: 'False',
        reason: 'InvalidSpec',
        message: expect.stringContaining(`ModelConfig n/mc: spec.${block}.${field}: "warm" is not a decimal number`),
      });
      expect(r.model).toBeUndefined();
    });
  });

  describe('AnthropicVertexAI generation fields (kagent drops them; metagent sends them)', () => {
    const vertexRun = (fields: Record<string, unknown>) =>
      run({ provider: 'AnthropicVertexAI', anthropicVertexAI: { projectID: 'p', location: 'l', ...fields } });

    it.each([
      ['temperature', '0.3', { temperature: 0.3 }],
      ['temperature', '1', { temperature: 1 }],
      ['topP', '.95', { top_p: 0.95 }],
      ['topK', '40', { top_k: 40 }],
      ['topK', '4e1', { top_k: 40 }],
      ['stopSequences', ['END', '\n\nHuman:'], { stop_sequences: ['END', '\n\nHuman:'] }],
      ['maxTokens', 2048, { max_tokens: 2048 }],
      // Unset in all but name: nothing is written, as for kagent's own string fields.
      ['temperature', '', {}],
      ['topK', ' ', {}],
      ['stopSequences', [], {}],
    ])('%s %j writes %j', (field, value, want) => {
      const r = vertexRun({ [field]: value });
      expect(accepted(r)).toMatchObject({ status: 'True' });
      expect(r.model).toEqual({ type: 'gemini_anthropic', model: 'm', ...want });
    });

    it.each([
      ['temperature', 'warm', '"warm" is not a decimal number'],
      ['topP', '0.9.1', '"0.9.1" is not a decimal number'],
      ['topP', '1e999', '"1e999" is not a decimal number'],
      ['topK', 'forty', '"forty" is not a decimal number'],
      ['topK', '2.5', '2.5 is not a whole number of at least 1'],
      ['topK', '0', '0 is not a whole number of at least 1'],
      ['maxTokens', 0, '0 is not a whole number of at least 1'],
      ['maxTokens', -5, '-5 is not a whole number of at least 1'],
    ])('%s %j is InvalidSpec naming the field', (field, value, what) => {
      const r = vertexRun({ [field]: value });
      expect(accepted(r)).toMatchObject({
        status: 'False',
        reason: 'InvalidSpec',
        message: expect.stringContaining(`ModelConfig n/mc: spec.anthropicVertexAI.${field}: ${what}`),
      });
      // Decision 3: a refused spec writes no children (the observed ones, none here, are kept).
      expect(r.model).toBeUndefined();
    });
  });

  describe('GeminiVertexAI generation fields (kagent drops all but maxOutputTokens; metagent sends them)', () => {
    const geminiRun = (fields: Record<string, unknown>) =>
      run({ provider: 'GeminiVertexAI', geminiVertexAI: { projectID: 'p', location: 'l', ...fields } });

    it.each([
      ['temperature', '0.3', { temperature: 0.3 }],
      ['topP', '.95', { top_p: 0.95 }],
      ['stopSequences', ['END'], { stop_sequences: ['END'] }],
      ['candidateCount', 2, { candidate_count: 2 }],
      ['responseMimeType', 'application/json', { response_mime_type: 'application/json' }],
      ['maxOutputTokens', 512, { max_output_tokens: 512 }],
      // topK as the decimal number it is (Vertex's topK is a float).
      ['topK', '40', { top_k: 40 }],
      ['topK', ' ', {}],
      ['temperature', '', {}],
      ['responseMimeType', ' ', {}],
      ['stopSequences', [], {}],
    ])('%s %j writes %j', (field, value, want) => {
      const r = geminiRun({ [field]: value });
      expect(accepted(r)).toMatchObject({ status: 'True' });
      expect(r.model).toEqual({ type: 'gemini_vertex_ai', model: 'm', ...want });
    });

    it.each([
      ['temperature', 'warm', '"warm" is not a decimal number'],
      ['topP', '0.9.1', '"0.9.1" is not a decimal number'],
      ['candidateCount', 0, '0 is not a whole number of at least 1'],
      ['topK', 'many', '"many" is not a decimal number'],
    ])('%s %j is InvalidSpec naming the field', (field, value, what) => {
      const r = geminiRun({ [field]: value });
      expect(accepted(r)).toMatchObject({
        status: 'False',
        reason: 'InvalidSpec',
        message: expect.stringContaining(`ModelConfig n/mc: spec.geminiVertexAI.${field}: ${what}`),
      });
      expect(r.model).toBeUndefined();
    });
  });
});
