import { ResolutionError } from '../../resolve/errors.js';
import { addTLSMount, baseModel, commonModelTail, emptyDeploymentData, type ProviderModule } from './common.js';

export const ollama: ProviderModule = {
  provider: 'Ollama',
  translate(input) {
    const { mc, namespace } = input;
    const o = mc.spec.ollama;
    if (!o)
      throw new ResolutionError(
        'InvalidSpec',
        `ModelConfig ${namespace}/${mc.metadata.name}: ollama is required for provider Ollama`,
      );
    const dd = emptyDeploymentData();
    addTLSMount(dd, mc.spec.tls, namespace, input.related, `ModelConfig ${namespace}/${mc.metadata.name}`);
    let host = o.host ?? '';
    if (!host.startsWith('http://') && !host.startsWith('https://')) host = `http://${host}`;
    dd.env.push({ name: 'OLLAMA_API_BASE', value: host });
    const model = baseModel('ollama', mc);
    commonModelTail(model, mc);
    if (o.options && Object.keys(o.options).length > 0) model.options = { ...o.options };
    return { model, deployment: dd };
  },
};
