import { ResolutionError } from '../../resolve/errors.js';
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

export const openai: ProviderModule = {
  provider: 'OpenAI',
  translate(input) {
    const { mc } = input;
    const dd = emptyDeploymentData();
    addTLSMount(dd, mc.spec.tls, input.namespace, input.related, `ModelConfig ${input.namespace}/${mc.metadata.name}`);
    const o = mc.spec.openAI;
    if (o?.tokenExchange) {
      throw new ResolutionError(
        'InvalidSpec',
        `ModelConfig ${input.namespace}/${mc.metadata.name}: openAI.tokenExchange is not supported`,
      );
    }
    addApiKeyEnv(dd, input, 'OPENAI_API_KEY');
    const model = baseModel('openai', mc);
    commonModelTail(model, mc);
    model.base_url = o?.baseUrl ?? '';
    if (o) {
      put(model, 'frequency_penalty', decimalField(input, 'openAI.frequencyPenalty', o.frequencyPenalty));
      if (o.maxTokens && o.maxTokens > 0) model.max_tokens = o.maxTokens;
      if (o.maxCompletionTokens && o.maxCompletionTokens > 0) model.max_completion_tokens = o.maxCompletionTokens;
      put(model, 'n', o.n);
      put(model, 'presence_penalty', decimalField(input, 'openAI.presencePenalty', o.presencePenalty));
      put(model, 'reasoning_effort', o.reasoningEffort);
      put(model, 'seed', o.seed);
      put(model, 'temperature', decimalField(input, 'openAI.temperature', o.temperature));
      put(model, 'timeout', o.timeout);
      put(model, 'top_p', decimalField(input, 'openAI.topP', o.topP));
      put(model, 'api_format', o.apiFormat);
      if (o.organization) dd.env.push({ name: 'OPENAI_ORGANIZATION', value: o.organization });
    }
    return { model, deployment: dd };
  },
};
