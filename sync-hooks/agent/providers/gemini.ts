import {
  addTLSMount,
  baseModel,
  commonModelTail,
  emptyDeploymentData,
  put,
  secretKeyEnv,
  type ProviderModule,
} from './common.js';

export const gemini: ProviderModule = {
  provider: 'Gemini',
  translate(input) {
    const { mc, namespace, related } = input;
    const dd = emptyDeploymentData();
    addTLSMount(dd, mc.spec.tls, namespace, related, `ModelConfig ${namespace}/${mc.metadata.name}`);
    if (mc.spec.apiKeySecret) {
      const key = mc.spec.apiKeySecretKey ?? '';
      related.requireSecretKey(
        namespace,
        mc.spec.apiKeySecret,
        key,
        `API key of ModelConfig ${namespace}/${mc.metadata.name}`,
      );
      dd.env.push(secretKeyEnv('GOOGLE_API_KEY', mc.spec.apiKeySecret, key));
    }
    const model = baseModel('gemini', mc);
    commonModelTail(model, mc);
    put(model, 'max_output_tokens', mc.spec.gemini?.maxOutputTokens);
    return { model, deployment: dd };
  },
};
