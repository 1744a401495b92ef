import {
  addApiKeyEnv,
  addTLSMount,
  baseModel,
  commonModelTail,
  decimalField,
  emptyDeploymentData,
  put,
  type ProviderModule,
} from './common.js';

export const anthropic: ProviderModule = {
  provider: 'Anthropic',
  translate(input) {
    const { mc } = input;
    const dd = emptyDeploymentData();
    addTLSMount(dd, mc.spec.tls, input.namespace, input.related, `ModelConfig ${input.namespace}/${mc.metadata.name}`);
    addApiKeyEnv(dd, input, 'ANTHROPIC_API_KEY');
    const model = baseModel('anthropic', mc);
    commonModelTail(model, mc);
    const a = mc.spec.anthropic;
    if (a) {
      if (a.baseUrl) model.base_url = a.baseUrl;
      if (a.maxTokens && a.maxTokens > 0) model.max_tokens = a.maxTokens;
      put(model, 'temperature', decimalField(input, 'anthropic.temperature', a.temperature));
      put(model, 'top_p', decimalField(input, 'anthropic.topP', a.topP));
      if (a.topK && a.topK > 0) model.top_k = a.topK;
    }
    return { model, deployment: dd };
  },
};
