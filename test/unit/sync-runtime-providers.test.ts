// An Agent whose ModelConfig uses a provider kagent's config format has but this project's runtime cannot serve stays
// Accepted (kagent's runtime image would serve it) and says so in UnsupportedFeatures, instead of a silently
// crash-looping pod. The runtime's provider table and the list the hook checks are one list (model-types.ts).
import { describe, expect, it } from 'vitest';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { toObjectMap, type KubeObject } from '../../sync-hooks/protocol.js';
import { RUNTIME_MODEL_TYPES } from '../../runtime/models/model-types.js';
import { providers } from '../../runtime/models/registry.js';

const opts = { runtimeImage: 'metagent-runtime:test', imagePullPolicy: 'IfNotPresent' };

function requestFor(modelSpec: Record<string, unknown>) {
  const parent: KubeObject = {
    apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent',
    metadata: { name: 'a', namespace: 'team', uid: 'u', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { type: 'Declarative', description: 'd', declarative: { systemMessage: 's', modelConfig: 'mc' } },
  };
  const related: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'key', namespace: 'team' }, data: { k: Buffer.from('x').toString('base64') } },
    { apiVersion: 'kagent.dev/v1alpha2', kind: 'ModelConfig', metadata: { name: 'mc', namespace: 'team' }, spec: modelSpec },
  ];
  return { controller: { apiVersion: 'metacontroller.k8s.io/v1alpha1', kind: 'CompositeController', metadata: { name: 'agents' } }, parent, children: {}, related: toObjectMap(related) };
}

const condition = (status: Record<string, unknown>, type: string) =>
  (status.conditions as { type: string; status: string; reason: string; message: string }[]).find((c) => c.type === type)!;

describe('model providers the runtime cannot serve', () => {
  it('keeps the Agent Accepted and names the provider in UnsupportedFeatures', () => {
    const res = syncAgent(requestFor({ provider: 'AnthropicVertexAI', model: 'claude-sonnet-4', anthropicVertexAI: { projectID: 'p', location: 'europe-west4' } }), opts);
    expect(condition(res.status, 'Accepted')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    const unsupported = condition(res.status, 'UnsupportedFeatures');
    expect(unsupported.status).toBe('True');
    expect(unsupported.message).toContain('spec.declarative.modelConfig (its provider becomes model type "gemini_anthropic", which the metagent runtime has no client for yet');
  });

  it.each([
    ['OpenAI', { apiKeySecret: 'key', apiKeySecretKey: 'k' }],
    ['GeminiVertexAI', { geminiVertexAI: { projectID: 'p', location: 'europe-west4' } }],
  ])('reports nothing for a provider the runtime serves (%s)', (provider, extra) => {
    const res = syncAgent(requestFor({ provider, model: 'm', ...extra }), opts);
    expect(condition(res.status, 'UnsupportedFeatures')).toMatchObject({ status: 'False', reason: 'AllFeaturesSupported' });
  });

  it('checks against exactly the runtime provider table', () => {
    expect(Object.keys(providers).sort()).toEqual([...RUNTIME_MODEL_TYPES].sort());
  });
});
