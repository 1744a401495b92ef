import { describe, it, expect } from 'vitest';
import { Role, TaskState, type AgentCard } from '@a2a-js/sdk';
import { parseRef, parsePort } from '../../cli/lib/options.js';
import { findGetKind, formatGetTable } from '../../cli/lib/get-table.js';
import { rebaseCard, outcomeOf, streamEventText, userMessage } from '../../cli/lib/a2a.js';
import { pickAgent, planLocalRun } from '../../cli/lib/local-run.js';
import { kubeErrorText } from '../../lib/kube.js';

const now = new Date('2026-01-01T12:00:00Z');

describe('option parsers', () => {
  it('parseRef accepts NS/NAME and NAME, rejects the rest', () => {
    expect(parseRef('kagent/k8s-ops-agent')).toEqual({ namespace: 'kagent', name: 'k8s-ops-agent' });
    expect(parseRef('solo')).toEqual({ namespace: 'default', name: 'solo' });
    for (const bad of ['', 'a/b/c', 'Upper/x', '/x', 'x/'])
      expect(() => parseRef(bad)).toThrow('expected NAMESPACE/NAME');
  });
  it('parsePort', () => {
    expect(parsePort('8080')).toBe(8080);
    expect(() => parsePort('http')).toThrow('not a port number');
    expect(() => parsePort('70000')).toThrow('not a port number');
  });
});

describe('get tables', () => {
  const agent = (name: string, ns: string, accepted: string, reason?: string) => ({
    metadata: { name, namespace: ns, creationTimestamp: '2026-01-01T11:00:00Z' },
    spec: { type: 'Declarative' },
    status: {
      conditions: [
        { type: 'Accepted', status: accepted, reason },
        { type: 'Ready', status: 'True' },
      ],
    },
  });

  it('prints READY, ACCEPTED and AGE, a NAMESPACE column with -A, and the reason of a failing condition', () => {
    const kind = findGetKind('agent')!;
    const text = formatGetTable(
      kind,
      [agent('b', 'ns2', 'False', 'ModelConfigNotFound'), agent('a', 'ns1', 'True')],
      now,
      true,
    );
    const [header, first, second] = text.split('\n');
    expect(header).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+READY\s+ACCEPTED\s+REASON\s+AGE$/);
    expect(first).toMatch(/^ns1\s+a\s+Declarative\s+True\s+True\s+60m$/);
    expect(second).toMatch(/^ns2\s+b\s+Declarative\s+True\s+False\s+ModelConfigNotFound\s+60m$/);
  });

  it('drops the REASON column when all is well and shows Unknown for missing conditions', () => {
    const text = formatGetTable(
      findGetKind('mc')!,
      [{ metadata: { name: 'm' }, spec: { provider: 'OpenAI', model: 'gpt-4o' } }],
      now,
      false,
    );
    expect(text).toBe('NAME   PROVIDER   MODEL    ACCEPTED   AGE\nm      OpenAI     gpt-4o   Unknown    <unknown>');
    expect(findGetKind('rmcps')?.plural).toBe('remotemcpservers');
    expect(findGetKind('pods')).toBeUndefined();
  });
});

describe('A2A client helpers', () => {
  const card = {
    name: 'a',
    supportedInterfaces: [
      { url: 'http://k8s-ops-agent.kagent:8080', protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '0.3' },
      {
        url: 'http://k8s-ops-agent.kagent:8080/rest',
        protocolBinding: 'HTTP+JSON',
        tenant: '',
        protocolVersion: '0.3',
      },
    ],
  } as unknown as AgentCard;

  it('rebases the in-cluster URL onto the service proxy URL, keeping paths', () => {
    const out = rebaseCard(card, 'https://api:6443/api/v1/namespaces/kagent/services/k8s-ops-agent:8080/proxy/');
    expect(out.supportedInterfaces.map((i) => i.url)).toEqual([
      'https://api:6443/api/v1/namespaces/kagent/services/k8s-ops-agent:8080/proxy/',
      'https://api:6443/api/v1/namespaces/kagent/services/k8s-ops-agent:8080/proxy/rest',
    ]);
  });

  const text = (value: string) => ({
    content: { $case: 'text' as const, value },
    metadata: undefined,
    filename: '',
    mediaType: '',
  });

  it('takes the answer from artifacts, else the status message, and flags failures', () => {
    expect(
      outcomeOf({
        id: 't',
        contextId: 'c',
        status: { state: TaskState.TASK_STATE_COMPLETED, message: { parts: [text('status')] } },
        artifacts: [{ parts: [text('answer')] }],
      }),
    ).toEqual({
      text: 'answer',
      state: 'completed',
      contextId: 'c',
      taskId: 't',
      failed: false,
    });
    expect(
      outcomeOf({
        id: 't',
        contextId: 'c',
        status: { state: TaskState.TASK_STATE_FAILED, message: { parts: [text('model error')] } },
        artifacts: [],
      }),
    ).toMatchObject({ text: 'model error', state: 'failed', failed: true });
    expect(outcomeOf({ messageId: 'm', contextId: 'c', parts: [text('hi')] }).text).toBe('hi');
  });

  it('streaming: artifact chunks are text, terminal status ends the task', () => {
    expect(
      streamEventText({
        payload: {
          $case: 'artifactUpdate',
          value: { taskId: 't', contextId: 'c', artifact: { parts: [text('chunk')] } },
        },
      } as never),
    ).toMatchObject({ text: 'chunk', contextId: 'c' });
    const done = streamEventText({
      payload: {
        $case: 'statusUpdate',
        value: { taskId: 't', contextId: 'c', status: { state: TaskState.TASK_STATE_COMPLETED } },
      },
    } as never);
    expect(done).toMatchObject({ state: 'completed', failed: false });
    const working = streamEventText({
      payload: {
        $case: 'statusUpdate',
        value: {
          taskId: 't',
          contextId: 'c',
          status: { state: TaskState.TASK_STATE_WORKING, message: { parts: [text('calling list_pods')] } },
        },
      },
    } as never);
    expect(working.state).toBeUndefined();
    expect(working.text).toBe('calling list_pods');
  });

  it('builds a user message with an optional context', () => {
    const m = userMessage('hello', 'ctx-1').message;
    expect(m.role).toBe(Role.ROLE_USER);
    expect(m.contextId).toBe('ctx-1');
    expect(m.parts[0].content).toEqual({ $case: 'text', value: 'hello' });
  });
});

describe('metagent run planning', () => {
  const agentObj = (name: string) => ({
    object: { apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', metadata: { name } },
    source: `${name}.yaml`,
  });
  const children = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'a' },
      data: {
        'config.json': Buffer.from('{"x":1}').toString('base64'),
        'agent-card.json': Buffer.from('{"name":"a"}').toString('base64'),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'a' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                env: [
                  { name: 'KAGENT_NAME', value: 'a' },
                  { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'openai', key: 'api-key' } } },
                  { name: 'KAGENT_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                ],
              },
            ],
          },
        },
      },
    },
  ];

  it('picks the only Agent, or the named one', () => {
    expect(pickAgent([agentObj('a')]).object.metadata.name).toBe('a');
    expect(() => pickAgent([agentObj('a'), agentObj('b')])).toThrow(
      'several Agents given (a, b); choose one with --agent NAME',
    );
    expect(pickAgent([agentObj('a'), agentObj('b')], 'b').object.metadata.name).toBe('b');
    expect(() => pickAgent([agentObj('a')], 'z')).toThrow('no Agent named "z"');
    expect(() => pickAgent([])).toThrow('no Agent in the given files');
  });

  it('writes the Secret files as mounted and takes API keys from the environment', () => {
    const plan = planLocalRun(children, [], { namespace: 'kagent', name: 'a' }, { OPENAI_API_KEY: 'sk-env' });
    expect(plan.files).toEqual({ 'config.json': '{"x":1}', 'agent-card.json': '{"name":"a"}' });
    expect(plan.env).toEqual({ KAGENT_NAME: 'a', OPENAI_API_KEY: 'sk-env', KAGENT_NAMESPACE: 'kagent' });
  });

  it('falls back to a Secret given with -f, and says which variable is missing otherwise', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openai', namespace: 'kagent' },
      stringData: { 'api-key': 'sk-file' },
    };
    expect(planLocalRun(children, [secret], { namespace: 'kagent', name: 'a' }, {}).env.OPENAI_API_KEY).toBe('sk-file');
    expect(() => planLocalRun(children, [], { namespace: 'kagent', name: 'a' }, {})).toThrow(
      'set this environment variable (or pass the Secret with -f): OPENAI_API_KEY (the cluster would read it from Secret openai, key api-key)',
    );
    expect(() => planLocalRun([children[1]], [], { namespace: 'kagent', name: 'a' }, {})).toThrow(
      'produced no config Secret',
    );
  });
});

describe('kubeErrorText', () => {
  it('uses the API Status message and never echoes response headers', () => {
    expect(
      kubeErrorText({ code: 404, body: '{"kind":"Status","reason":"NotFound","message":"pods \\"x\\" not found"}' }),
    ).toBe('HTTP 404 NotFound: pods "x" not found');
    const e = Object.assign(
      new Error('HTTP-Code: 401\nMessage: Unauthorized\nBody: undefined\nHeaders: {"audit-id":"1"}'),
      { code: 401 },
    );
    expect(kubeErrorText(e)).toBe('HTTP 401: Unauthorized');
    expect(kubeErrorText(new Error('connect ECONNREFUSED'))).toBe('connect ECONNREFUSED');
  });
});

describe('parsePositiveInt', () => {
  it('takes integers from 1 and names what is wrong otherwise', async () => {
    const { parsePositiveInt } = await import('../../cli/lib/options.js');
    expect(parsePositiveInt('64')).toBe(64);
    expect(() => parsePositiveInt('0')).toThrow('not a positive integer: "0"');
    expect(() => parsePositiveInt('2.5')).toThrow('not a positive integer: "2.5"');
    expect(() => parsePositiveInt('many')).toThrow('not a positive integer: "many"');
  });
});
