// RemoteMCPServers with their status and the tools the status hook discovered.
import { condition } from '../api';
import { Empty, ErrorBox, StatusBadge } from '../components';
import { useLiveList } from '../watch';

export function ServersPage({ namespace }: { namespace: string }) {
  const list = useLiveList('remotemcpservers', namespace);
  return (
    <section aria-labelledby="servers-h">
      <h1 id="servers-h">Tool servers</h1>
      {list.error && (
        <ErrorBox error={list.error} what={`list RemoteMCPServers${namespace ? ` in namespace ${namespace}` : ''}`} />
      )}
      {list.synced && !list.items.length && !list.error && (
        <Empty>No RemoteMCPServer yet: apply one (kubectl apply -f) and its tools appear here once discovered.</Empty>
      )}
      {list.items.map((s) => {
        const accepted = condition(s, 'Accepted');
        const tools = s.status?.discoveredTools ?? [];
        return (
          <article key={`${s.metadata.namespace}/${s.metadata.name}`} className="card">
            <h2>
              {s.metadata.namespace}/{s.metadata.name} <StatusBadge c={accepted} label="Accepted" />
            </h2>
            <p className="muted">
              {s.spec?.protocol} {s.spec?.url}
            </p>
            {accepted?.status === 'False' && <p className="field-error">{accepted.message}</p>}
            <details open={tools.length <= 8}>
              <summary>{tools.length} discovered tools</summary>
              <ul className="tool-list">
                {tools.map((t) => (
                  <li key={t.name}>
                    <code>{t.name}</code> {t.description && <span className="muted">— {t.description}</span>}
                  </li>
                ))}
              </ul>
            </details>
          </article>
        );
      })}
    </section>
  );
}
