// ModelConfigs: the live list, and creating one together with its API-key Secret (the key is write-only: sent once,
// never read back).
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { apiGet, apiPut, applyObject, condition, type ApiError, type KObject, type Meta } from '../api';
import { Empty, ErrorBox, StatusBadge } from '../components';
import { age } from '../format';
import { fieldFor } from '../paths';
import { go, href } from '../router';
import { useLiveList } from '../watch';

export function ModelsPage({ namespace }: { namespace: string }) {
  const list = useLiveList('modelconfigs', namespace);
  return (
    <section aria-labelledby="models-h">
      <div className="page-head">
        <h1 id="models-h">Models</h1>
        <span className="spacer" />
        <a className="button primary" href={href.newModel()}>
          New model
        </a>
      </div>
      {list.error && (
        <ErrorBox error={list.error} what={`list ModelConfigs${namespace ? ` in namespace ${namespace}` : ''}`} />
      )}
      {list.synced && !list.items.length && !list.error && (
        <Empty>
          No ModelConfig yet: <a href={href.newModel()}>create one</a>, with its API key, and agents can use it.
        </Empty>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Namespace</th>
                <th scope="col">Provider</th>
                <th scope="col">Model</th>
                <th scope="col">Accepted</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((m) => (
                <tr key={`${m.metadata.namespace}/${m.metadata.name}`}>
                  <td>{m.metadata.name}</td>
                  <td>{m.metadata.namespace}</td>
                  <td>{m.spec?.provider}</td>
                  <td>{m.spec?.model}</td>
                  <td>
                    <StatusBadge c={condition(m, 'Accepted')} label="Accepted" />
                  </td>
                  <td>{age(m.metadata.creationTimestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const MODEL_FIELDS = [
  'metadata.name',
  'spec.provider',
  'spec.model',
  'spec.apiKeySecret',
  'spec.apiKeySecretKey',
  'spec',
];

export function ModelFormPage({ defaultNamespace }: { defaultNamespace: string }) {
  const meta = useQuery({ queryKey: ['meta'], queryFn: () => apiGet<Meta>('/api/meta'), staleTime: Infinity });
  const [name, setName] = useState('');
  const [ns, setNs] = useState(defaultNamespace || 'default');
  const [provider, setProvider] = useState('OpenAI');
  const [model, setModel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [causes, setCauses] = useState<{ field?: string; message?: string }[]>([]);
  const field = meta.data?.providers.find((p) => p.provider === provider)?.field;
  const secretName = `${name || 'model'}-api-key`;
  const object = (): KObject => ({
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'ModelConfig',
    metadata: { name, namespace: ns },
    spec: {
      provider,
      model,
      ...(apiKey ? { apiKeySecret: secretName, apiKeySecretKey: 'api-key' } : {}),
      ...(field && baseUrl ? { [field]: { baseUrl } } : {}),
    },
  });
  const save = useMutation<unknown, ApiError>({
    mutationFn: async () => {
      setCauses([]);
      await applyObject('modelconfigs', object(), true);
      // The Secret first, so the ModelConfig is accepted as soon as it exists.
      if (apiKey)
        await apiPut(`/api/secrets/${encodeURIComponent(ns)}/${encodeURIComponent(secretName)}`, {
          key: 'api-key',
          value: apiKey,
        });
      return applyObject('modelconfigs', object(), false);
    },
    onSuccess: () => go(href.models()),
    onError: (e) => setCauses(e.causes ?? []),
  });
  const errs = (path: string) =>
    causes.filter((c) => c.field && fieldFor(c.field, MODEL_FIELDS) === path).map((c) => c.message ?? '');
  return (
    <section aria-labelledby="mform-h">
      <h1 id="mform-h">New model</h1>
      {save.error && <ErrorBox error={save.error} what="save the ModelConfig" />}
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className={`field ${errs('metadata.name').length ? 'invalid' : ''}`}>
          <label htmlFor="m-name">Name</label>
          <input id="m-name" required value={name} onChange={(e) => setName(e.target.value)} />
          {errs('metadata.name').map((m) => (
            <p key={m} className="field-error" role="alert">
              {m}
            </p>
          ))}
        </div>
        <div className="field">
          <label htmlFor="m-ns">Namespace</label>
          <input id="m-ns" required value={ns} onChange={(e) => setNs(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="m-provider">Provider</label>
          <select id="m-provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
            {(meta.data?.providers ?? [{ provider: 'OpenAI', field: 'openAI' }]).map((p) => (
              <option key={p.provider}>{p.provider}</option>
            ))}
          </select>
        </div>
        <div className={`field ${errs('spec.model').length ? 'invalid' : ''}`}>
          <label htmlFor="m-model">Model</label>
          <input
            id="m-model"
            required
            placeholder="e.g. gpt-4o-mini"
            value={model}
            onChange={(e) => setModel(e.target.value)}
          />
          {errs('spec.model').map((m) => (
            <p key={m} className="field-error" role="alert">
              {m}
            </p>
          ))}
        </div>
        <div className={`field ${errs('spec').length ? 'invalid' : ''}`}>
          <label htmlFor="m-base">Base URL (optional)</label>
          <input
            id="m-base"
            placeholder="an OpenAI-compatible endpoint, e.g. http://ollama:11434/v1"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
          {errs('spec').map((m) => (
            <p key={m} className="field-error" role="alert">
              {m}
            </p>
          ))}
        </div>
        <div className="field">
          <label htmlFor="m-key">API key</label>
          <input
            id="m-key"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
          />
          <p className="help">Stored in Secret {secretName} (key api-key); the dashboard never shows it again.</p>
        </div>
        <div className="row actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Create'}
          </button>
          <a className="button" href={href.models()}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
