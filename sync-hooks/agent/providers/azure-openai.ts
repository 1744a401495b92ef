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

export const azureOpenAI: ProviderModule = {
  provider: 'AzureOpenAI',
  translate(input) {
    const { mc } = input;
    const az = mc.spec.azureOpenAI;
    if (!az)
      throw new ResolutionError(
        'InvalidSpec',
        `ModelConfig ${input.namespace}/${mc.metadata.name}: azureOpenAI is required for provider AzureOpenAI`,
      );
    const dd = emptyDeploymentData();
    addTLSMount(dd, mc.spec.tls, input.namespace, input.related, `ModelConfig ${input.namespace}/${mc.metadata.name}`);
    addApiKeyEnv(dd, input, 'AZURE_OPENAI_API_KEY');
    if (az.azureAdToken) dd.env.push({ name: 'AZURE_AD_TOKEN', value: az.azureAdToken });
    if (az.apiVersion) dd.env.push({ name: 'OPENAI_API_VERSION', value: az.apiVersion });
    if (az.azureEndpoint) dd.env.push({ name: 'AZURE_OPENAI_ENDPOINT', value: az.azureEndpoint });
    // kagent sends the deployment name as the model.
    const model = baseModel('azure_openai', mc, az.azureDeployment ?? '');
    commonModelTail(model, mc);
    if (az.maxTokens && az.maxTokens > 0) model.max_tokens = az.maxTokens;
    put(model, 'temperature', decimalField(input, 'azureOpenAI.temperature', az.temperature));
    put(model, 'top_p', decimalField(input, 'azureOpenAI.topP', az.topP));
    return { model, deployment: dd };
  },
};
