// An Agent whose model type this project's runtime cannot serve stays Accepted (kagent's runtime image would serve
// it) and says so in UnsupportedFeatures, instead of a silently crash-looping pod; every provider translates to a
// served type today. The runtime's provider table and the list the hook checks are one list (model-types.ts).
import { describe, expect, it } from 'vitest';
import { syncAgent } from '../../sync-hooks/agent/sync.js';
import { unsupportedFeatures } from '../../sync-hooks/agent/translate.js';
import { toObjectMap, type KubeObject } from '../../sync-hooks/protocol.js';
import { RUNTIME_EMBEDDING_TYPES, RUNTIME_MODEL_TYPES } from '../../contract/model-types.js';
import { embeddingProviders } from '../../runtime/memory/registry.js';
import { providers } from '../../runtime/models/registry.js';

const opts = { runtimeImage: 'metagent-runtime:test', imagePullPolicy: 'IfNotPresent' };

/** An Agent on ModelConfig `mc`; with `memorySpec`, long-term memory embedding with ModelConfig `emb`. */
function requestFor(modelSpec: Record<string, unknown>, memorySpec?: Record<string, unknown>) {
  const declarative = {
    systemMessage: 's',
    modelConfig: 'mc',
    ...(memorySpec ? { memory: { modelConfig: 'emb' } } : {}),
  };
  const parent: KubeObject = {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'a', namespace: 'team', uid: 'u', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { type: 'Declarative', description: 'd', declarative },
  };
  const related: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'key', namespace: 'team' },
      data: { k: Buffer.from('x').toString('base64') },
    },
    {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'ModelConfig',
      metadata: { name: 'mc', namespace: 'team' },
      spec: modelSpec,
    },
    ...(memorySpec
      ? [
          {
            apiVersion: 'kagent.dev/v1alpha2',
            kind: 'ModelConfig',
            metadata: { name: 'emb', namespace: 'team' },
            spec: memorySpec,
          },
        ]
      : []),
  ];
  return {
    controller: {
      apiVersion: 'metacontroller.k8s.io/v1alpha1',
      kind: 'CompositeController',
      metadata: { name: 'agents' },
    },
    parent,
    children: {},
    related: toObjectMap(related),
  };
}

const condition = (status: Record<string, unknown>, type: string) =>
  (status.conditions as { type: string; status: string; reason: string; message: string }[]).find(
    (c) => c.type === type,
  )!;

describe('model providers and the runtime', () => {
  it('a model type the runtime has no client for stays Accepted and is named in UnsupportedFeatures', () => {
    // Every ModelConfig provider translates to a served type today; a type from a newer kagent config would not.
    const items = unsupportedFeatures(
      {
        apiVersion: 'kagent.dev/v1alpha2',
        kind: 'Agent',
        metadata: { name: 'a' },
        spec: { type: 'Declarative' },
      } as never,
      { modelType: 'sap_ai_core' } as never,
    );
    expect(items).toEqual([
      {
        path: 'spec.declarative.modelConfig',
        reason: expect.stringContaining(
          'its provider becomes model type "sap_ai_core", which the metagent runtime has no client for yet',
        ),
      },
    ]);
  });

  it.each([
    ['OpenAI', { apiKeySecret: 'key', apiKeySecretKey: 'k' }],
    ['GeminiVertexAI', { geminiVertexAI: { projectID: 'p', location: 'europe-west4' } }],
    ['AnthropicVertexAI', { anthropicVertexAI: { projectID: 'p', location: 'us-east5' } }],
    ['Bedrock', { bedrock: { region: 'us-east-1' } }],
  ])('reports nothing for a provider the runtime serves (%s)', (provider, extra) => {
    const res = syncAgent(requestFor({ provider, model: 'm', ...extra }), opts);
    expect(condition(res.status, 'UnsupportedFeatures')).toMatchObject({
      status: 'False',
      reason: 'AllFeaturesSupported',
    });
  });

  it('checks against exactly the runtime provider table', () => {
    expect(Object.keys(providers).sort()).toEqual([...RUNTIME_MODEL_TYPES].sort());
  });
});

describe('long-term memory and the runtime', () => {
  const openai = { provider: 'OpenAI', model: 'gpt-4o', apiKeySecret: 'key', apiKeySecretKey: 'k' };

  it('memory embedding with a provider the runtime embeds with is honoured: nothing unsupported', () => {
    const res = syncAgent(
      requestFor(openai, {
        provider: 'OpenAI',
        model: 'text-embedding-3-small',
        apiKeySecret: 'key',
        apiKeySecretKey: 'k',
      }),
      opts,
    );
    expect(condition(res.status, 'Accepted')).toMatchObject({ status: 'True' });
    expect(condition(res.status, 'UnsupportedFeatures')).toMatchObject({
      status: 'False',
      reason: 'AllFeaturesSupported',
    });
  });

  it("memory embedding with Bedrock is honoured: provider bedrock in config.json, the memory ModelConfig's AWS_REGION in the pod", () => {
    const res = syncAgent(
      requestFor(openai, {
        provider: 'Bedrock',
        model: 'amazon.titan-embed-text-v2:0',
        bedrock: { region: 'eu-west-1' },
      }),
      opts,
    );
    expect(condition(res.status, 'Accepted')).toMatchObject({ status: 'True' });
    expect(condition(res.status, 'UnsupportedFeatures')).toMatchObject({
      status: 'False',
      reason: 'AllFeaturesSupported',
    });
    const secret = res.children.find((c) => c.kind === 'Secret')!;
    const config = JSON.parse(Buffer.from((secret.data as Record<string, string>)['config.json'], 'base64').toString());
    // kagent's memory block carries no region: the runtime reads the AWS_REGION the Bedrock ModelConfig puts in the env.
    expect(config.memory).toEqual({ embedding: { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0' } });
    const deployment = res.children.find((c) => c.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
    };
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'AWS_REGION', value: 'eu-west-1' });
  });

  it('memory embedding with Anthropic (no embeddings API) stays Accepted and names spec.declarative.memory.modelConfig in UnsupportedFeatures', () => {
    const res = syncAgent(
      requestFor(openai, { provider: 'Anthropic', model: 'm', apiKeySecret: 'key', apiKeySecretKey: 'k' }),
      opts,
    );
    expect(condition(res.status, 'Accepted')).toMatchObject({ status: 'True' });
    const unsupported = condition(res.status, 'UnsupportedFeatures');
    expect(unsupported).toMatchObject({ status: 'True', reason: 'UnsupportedFieldsSet' });
    expect(unsupported.message).toContain(
      'spec.declarative.memory.modelConfig (its provider becomes embedding provider "anthropic", which the metagent runtime cannot embed with',
    );
    expect(unsupported.message).toContain('supported: openai, azure_openai, ollama, gemini, gemini_vertex_ai, bedrock');
  });

  it('checks against exactly the runtime embedding table', () => {
    expect(Object.keys(embeddingProviders).sort()).toEqual([...RUNTIME_EMBEDDING_TYPES].sort());
  });
});
