// One Agent: its conditions (UnsupportedFeatures among them), what the sync hook made of it (children and the
// rendered config.json / agent card, credentials hidden), and delete with confirmation.
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { apiDelete, apiGet, condition, objectPath, type ApiError, type KObject } from '../api';
import { Conditions, ErrorBox, StatusBadge } from '../components';
import { age } from '../format';
import { go, href } from '../router';
import { useLiveList } from '../watch';
import { agentModel, agentTools } from './Agents';

interface Child {
  kind: string;
  name: string;
  state: string;
  message?: string;
  files?: Record<string, unknown>;
}

export function AgentDetailPage({ ns, name }: { ns: string; name: string }) {
  const list = useLiveList('agents', ns);
  const agent = list.items.find((a) => a.metadata.name === name);
  const children = useQuery({
    queryKey: ['children', ns, name, agent?.status?.observedGeneration],
    queryFn: () => apiGet<{ children: Child[] }>(`/api/children/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`),
    enabled: !!agent,
  });
  const [confirming, setConfirming] = useState(false);
  const del = useMutation<unknown, ApiError>({
    mutationFn: () => apiDelete(objectPath('agents', ns, name)),
    onSuccess: () => go(href.agents()),
  });

  if (list.error) return <ErrorBox error={list.error} what={`read agents in namespace ${ns}`} />;
  if (!list.synced) return <p className="muted">Loading…</p>;
  if (!agent)
    return (
      <ErrorBox
        error={new Error(`There is no Agent ${ns}/${name} (it may have been deleted).`)}
        what={`find agent ${ns}/${name}`}
      />
    );
  const unsupported = condition(agent, 'UnsupportedFeatures');
  const secret = children.data?.children.find((c) => c.kind === 'Secret');
  return (
    <section aria-labelledby="agent-h">
      <div className="page-head">
        <h1 id="agent-h">
          {ns}/{name}
        </h1>
        <StatusBadge c={condition(agent, 'Accepted')} label="Accepted" />
        <StatusBadge c={condition(agent, 'Ready')} label="Ready" />
        <span className="spacer" />
        <a className="button primary" href={href.chat(ns, name)}>
          Chat
        </a>
        <a className="button" href={href.editAgent(ns, name)}>
          Edit
        </a>
        <button className="button danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      {confirming && (
        <div className="notice warn" role="alertdialog" aria-labelledby="del-h">
          <strong id="del-h">
            Delete agent {ns}/{name}?
          </strong>{' '}
          Its Deployment, Service, ServiceAccount and config Secret go with it.
          <div className="row">
            <button className="button danger" onClick={() => del.mutate()} disabled={del.isPending}>
              Yes, delete
            </button>
            <button className="button" onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </button>
          </div>
          {del.error && <ErrorBox error={del.error} what={`delete agent ${ns}/${name}`} />}
        </div>
      )}
      <dl className="facts">
        <dt>Type</dt>
        <dd>{agent.spec?.type}</dd>
        <dt>Description</dt>
        <dd>{agent.spec?.description || '—'}</dd>
        <dt>{agent.spec?.type === 'BYO' ? 'Image' : 'Model'}</dt>
        <dd>{agentModel(agent) || '—'}</dd>
        <dt>Tools</dt>
        <dd>{agentTools(agent).join(', ') || '—'}</dd>
        <dt>Age</dt>
        <dd>{age(agent.metadata.creationTimestamp)}</dd>
      </dl>
      {unsupported?.status === 'True' && (
        <div className="notice warn">
          <strong>Accepted but not supported:</strong> {unsupported.message}
        </div>
      )}
      <h2>Conditions</h2>
      <Conditions conditions={agent.status?.conditions} />
      <h2>Children</h2>
      {children.error && <ErrorBox error={children.error as ApiError} what="read the agent's children" />}
      {children.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {children.data.children.map((c) => (
              <tr key={c.kind}>
                <td>{c.kind}</td>
                <td>{c.name}</td>
                <td>
                  {c.state}
                  {c.message ? ` — ${c.message}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {secret?.files &&
        Object.entries(secret.files).map(([file, content]) => (
          <details key={file}>
            <summary>{file} (rendered by the sync hook; credentials hidden)</summary>
            <pre className="code">{JSON.stringify(content, null, 2)}</pre>
          </details>
        ))}
    </section>
  );
}

export type { KObject };
