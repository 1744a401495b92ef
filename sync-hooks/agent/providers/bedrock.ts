// AWS Bedrock: region env, and credentials from the Secret — a bearer token when the Secret has
// AWS_BEARER_TOKEN_BEDROCK, otherwise IAM access keys (plus the session token when present).
import { ResolutionError } from '../../resolve/errors.js';
import {
  addTLSMount,
  baseModel,
  commonModelTail,
  emptyDeploymentData,
  secretKeyEnv,
  type ProviderModule,
} from './common.js';

export const bedrock: ProviderModule = {
  provider: 'Bedrock',
  translate(input) {
    const { mc, namespace, related } = input;
    const b = mc.spec.bedrock;
    if (!b)
      throw new ResolutionError(
        'InvalidSpec',
        `ModelConfig ${namespace}/${mc.metadata.name}: bedrock is required for provider Bedrock`,
      );
    const dd = emptyDeploymentData();
    addTLSMount(dd, mc.spec.tls, namespace, related, `ModelConfig ${namespace}/${mc.metadata.name}`);
    dd.env.push({ name: 'AWS_REGION', value: b.region });
    const secretName = mc.spec.apiKeySecret;
    if (!mc.spec.apiKeyPassthrough && secretName) {
      const secret = related.secret(
        namespace,
        secretName,
        `AWS credentials of ModelConfig ${namespace}/${mc.metadata.name}`,
      );
      if (related.hasSecretKey(secret, 'AWS_BEARER_TOKEN_BEDROCK')) {
        dd.env.push(secretKeyEnv('AWS_BEARER_TOKEN_BEDROCK', secretName, 'AWS_BEARER_TOKEN_BEDROCK'));
      } else {
        dd.env.push(
          secretKeyEnv('AWS_ACCESS_KEY_ID', secretName, 'AWS_ACCESS_KEY_ID'),
          secretKeyEnv('AWS_SECRET_ACCESS_KEY', secretName, 'AWS_SECRET_ACCESS_KEY'),
        );
        if (related.hasSecretKey(secret, 'AWS_SESSION_TOKEN'))
          dd.env.push(secretKeyEnv('AWS_SESSION_TOKEN', secretName, 'AWS_SESSION_TOKEN'));
      }
    }
    const model = baseModel('bedrock', mc);
    commonModelTail(model, mc);
    model.region = b.region;
    if (b.additionalModelRequestFields && Object.keys(b.additionalModelRequestFields).length > 0) {
      model.additional_model_request_fields = b.additionalModelRequestFields;
    }
    if (b.promptCaching) model.prompt_caching = true;
    if (b.cacheTTL) model.cache_ttl = b.cacheTTL;
    // kagent's read_timeout / connect_timeout (seconds): the HTTP client's, for Converse and ConverseStream.
    if (b.readTimeout !== undefined) model.read_timeout = b.readTimeout;
    if (b.connectTimeout !== undefined) model.connect_timeout = b.connectTimeout;
    if (b.guardrail)
      model.guardrail = {
        identifier: b.guardrail.identifier,
        version: b.guardrail.version,
        ...(b.guardrail.trace ? { trace: b.guardrail.trace } : {}),
      };
    return { model, deployment: dd };
  },
};
