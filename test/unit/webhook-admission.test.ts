import { applyPatch, type Operation } from 'rfc6902';
import { describe, expect, it } from 'vitest';
import { mutate, validateRequest } from '../../webhooks/admission.js';
import { parseReview, type AdmissionRequest } from '../../webhooks/review.js';

const req = (kind: string, object: unknown, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: 'uid-1',
  kind: { group: 'kagent.dev', version: 'v1alpha2', kind },
  operation: 'CREATE',
  name: 'x',
  namespace: 'ns',
  object,
  ...extra,
});
const decodePatch = (p?: string): Operation[] => JSON.parse(Buffer.from(p ?? '', 'base64').toString('utf8'));

const agent = {
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: { name: 'a', namespace: 'ns' },
  spec: { declarative: { systemMessage: 'hi', modelConfig: 'm' } },
};

describe('mutate', () => {
  it('returns the defaults as a JSON Patch that applies to the object', () => {
    const out = mutate(req('Agent', agent));
    expect(out.decision).toBe('patched');
    expect(out.response).toMatchObject({ uid: 'uid-1', allowed: true, patchType: 'JSONPatch' });
    const patch = decodePatch(out.response.patch);
    expect(patch).toEqual([
      { op: 'add', path: '/spec/type', value: 'Declarative' },
      { op: 'add', path: '/spec/declarative/runtime', value: 'go' },
      { op: 'add', path: '/spec/declarative/stream', value: false },
    ]);
    const obj = structuredClone(agent);
    expect(applyPatch(obj, patch).every((r) => r === null)).toBe(true);
    expect(obj.spec).toEqual({
      type: 'Declarative',
      declarative: { systemMessage: 'hi', modelConfig: 'm', runtime: 'go', stream: false },
    });
    // Idempotent: mutating the mutated object yields no patch at all.
    const again = mutate(req('Agent', obj));
    expect(again.response).toEqual({ uid: 'uid-1', allowed: true });
    expect(again.decision).toBe('allowed');
  });

  it('defaults RemoteMCPServer and ModelConfig', () => {
    const rm = decodePatch(mutate(req('RemoteMCPServer', { spec: { url: 'http://x' } })).response.patch);
    expect(rm.map((o) => [o.path, 'value' in o ? o.value : undefined])).toEqual([
      ['/spec/protocol', 'STREAMABLE_HTTP'],
      ['/spec/timeout', '30s'],
      ['/spec/terminateOnClose', true],
    ]);
    const mc = decodePatch(mutate(req('ModelConfig', { spec: { model: 'm' } })).response.patch);
    expect(mc).toEqual([{ op: 'add', path: '/spec/provider', value: 'OpenAI' }]);
  });

  it("refuses an invalid object with every error, as /validate does (the CRD's CEL rules run in between)", () => {
    const bad = { ...agent, spec: { type: 'BYO', declarative: { systemMessage: 'hi' } } };
    const out = mutate(req('Agent', bad));
    expect(out.decision).toBe('denied');
    expect(out.response).toEqual(validateRequest(req('Agent', bad)).response);
    expect(out.response.allowed).toBe(false);
    expect(out.response.status?.message).toBe(
      'Agent "x" is invalid: spec.byo: is required when type is BYO; spec.declarative: must not be set when type is BYO',
    );
  });

  it('leaves DELETE, CONNECT, status updates, other kinds and non-objects untouched', () => {
    const untouched: AdmissionRequest[] = [
      req('Agent', agent, { operation: 'DELETE' }),
      req('Agent', agent, { operation: 'CONNECT' }),
      req('Agent', agent, { operation: 'UPDATE', subResource: 'status' }),
      req('Agent', agent, { kind: { group: 'apps', version: 'v1', kind: 'Agent' } }),
      req('Widget', agent, { kind: { group: 'kagent.dev', version: 'v1alpha2', kind: 'Widget' } }),
    ];
    for (const r of untouched) {
      expect(mutate(r).response).toEqual({ uid: 'uid-1', allowed: true });
      expect(validateRequest(r).response).toEqual({ uid: 'uid-1', allowed: true });
    }
    // A CREATE without an object is left to /validate, which refuses it.
    for (const object of [null, 'x', [1]]) {
      expect(mutate(req('Agent', object)).response).toEqual({ uid: 'uid-1', allowed: true });
      expect(validateRequest(req('Agent', object)).response.status?.message).toMatch(
        /^Agent "x" is invalid: \(root\): must be an object/,
      );
    }
    expect(validateRequest(req('Agent', agent, { operation: 'DELETE', object: 'garbage' })).response.allowed).toBe(
      true,
    );
  });
});

describe('validateRequest', () => {
  it('refuses with every error at once, code 422, each with its field path', () => {
    const bad = {
      metadata: { name: 'bad' },
      spec: {
        type: 'Declarative',
        declarative: {
          systemMessage: 'x',
          systemMessageFrom: { type: 'Secret', name: 's', key: 'k' },
          tools: [
            { type: 'Agent', agent: { name: 'a' } },
            { type: 'McpServer', mcpServer: { name: 'k8s', toolNames: ['get_pod'], requireApproval: ['delete_pod'] } },
          ],
        },
      },
    };
    const out = validateRequest(req('Agent', bad, { name: 'bad' }));
    expect(out.decision).toBe('denied');
    expect(out.response.allowed).toBe(false);
    expect(out.response.status).toEqual({
      code: 422,
      message:
        'Agent "bad" is invalid: spec.declarative.systemMessageFrom: systemMessage and systemMessageFrom are mutually exclusive; ' +
        'spec.declarative.tools[1].mcpServer.requireApproval[0]: "delete_pod" is not in toolNames',
    });
  });

  it('lists at most 50 errors in a refusal', () => {
    const headersFrom = Array.from({ length: 60 }, (_, i) => ({ name: `H${i}` }));
    const msg =
      validateRequest(req('RemoteMCPServer', { spec: { url: 'https://x', headersFrom } })).response.status?.message ??
      '';
    expect(msg.match(/exactly one of value or valueFrom must be set/g)).toHaveLength(50);
    expect(
      msg.endsWith('spec.headersFrom[49]: exactly one of value or valueFrom must be set; and 10 more errors'),
    ).toBe(true);
  });

  it('validates UPDATEs and names generateName objects', () => {
    const out = validateRequest(
      req('ModelConfig', { metadata: { generateName: 'mc-' }, spec: {} }, { operation: 'UPDATE', name: '' }),
    );
    expect(out.response.status?.message).toBe('ModelConfig "mc-*" is invalid: spec.model: is required');
  });

  it('allows valid objects and warns about unsupported fields', () => {
    expect(validateRequest(req('Agent', { spec: { type: 'Declarative', declarative: {} } })).response).toEqual({
      uid: 'uid-1',
      allowed: true,
    });
    expect(
      validateRequest(req('Agent', { spec: { type: 'Declarative', declarative: { memory: { modelConfig: 'e' } } } }))
        .response,
    ).toEqual({ uid: 'uid-1', allowed: true });
    const out = validateRequest(
      req('Agent', { spec: { type: 'Declarative', declarative: {}, skills: { refs: ['ghcr.io/acme/skill:1'] } } }),
    );
    expect(out.response.allowed).toBe(true);
    expect(out.response.warnings).toEqual([
      'spec.skills: accepted but not supported by metagent yet (skills are fetched and their SKILL.md instructions loaded; their scripts are not run (no sandboxed bash tool))',
    ]);
  });

  it('does not check references (GitOps applies in any order)', () => {
    const out = validateRequest(
      req('Agent', {
        spec: {
          type: 'Declarative',
          declarative: {
            modelConfig: 'does-not-exist',
            tools: [{ type: 'Agent', agent: { name: 'nobody', namespace: 'elsewhere' } }],
          },
        },
      }),
    );
    expect(out.response.allowed).toBe(true);
  });
});

describe('parseReview', () => {
  const good = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: req('Agent', agent) };
  it('accepts a v1 AdmissionReview', () => {
    expect(parseReview(good)).toMatchObject({ ok: true, request: { uid: 'uid-1' } });
  });
  it.each([
    [null, 'body must be a JSON AdmissionReview object'],
    [[], 'body must be a JSON AdmissionReview object'],
    [
      { ...good, apiVersion: 'admission.k8s.io/v1beta1' },
      'apiVersion must be admission.k8s.io/v1 (got "admission.k8s.io/v1beta1")',
    ],
    [{ ...good, kind: 'Foo' }, 'kind must be AdmissionReview (got "Foo")'],
    [{ ...good, request: undefined }, 'request must be an object'],
    [{ ...good, request: { ...good.request, uid: '' } }, 'request.uid must be a non-empty string'],
    [
      { ...good, request: { ...good.request, operation: 'PATCH' } },
      'request.operation must be one of CREATE, UPDATE, DELETE, CONNECT',
    ],
    [{ ...good, request: { ...good.request, kind: 'Agent' } }, 'request.kind must be {group, version, kind} strings'],
    [{ ...good, request: { ...good.request, subResource: 5 } }, 'request.subResource must be a string'],
  ])('refuses %j', (body, message) => {
    expect(parseReview(body)).toEqual({ ok: false, message });
  });
});
