// The agents page: every Agent the user may list, live, with a filter box. Rows are memoized on resourceVersion, so a
// status change re-renders one row, not the table.
import { memo, useDeferredValue, useMemo, useState } from 'react';
import { condition, type KObject } from '../api';
import { Empty, ErrorBox, StatusBadge } from '../components';
import { age } from '../format';
import { href } from '../router';
import { useLiveList } from '../watch';

export function agentModel(a: KObject): string {
  return a.spec?.type === 'BYO' ? (a.spec?.byo?.deployment?.image ?? '') : (a.spec?.declarative?.modelConfig ?? '');
}

export function agentTools(a: KObject): string[] {
  const tools = (a.spec?.declarative?.tools ?? []) as {
    type?: string;
    mcpServer?: { name?: string; toolNames?: string[] };
    agent?: { name?: string };
  }[];
  return tools.flatMap((t) =>
    t.type === 'Agent' ? [`agent:${t.agent?.name ?? ''}`] : (t.mcpServer?.toolNames ?? [t.mcpServer?.name ?? '']),
  );
}

const Row = memo(
  function Row({ a, showNs }: { a: KObject; showNs: boolean }) {
    const tools = agentTools(a);
    return (
      <tr>
        <td>
          <a href={href.agent(a.metadata.namespace, a.metadata.name)}>{a.metadata.name}</a>
        </td>
        {showNs && <td>{a.metadata.namespace}</td>}
        <td>{a.spec?.type ?? ''}</td>
        <td>
          <StatusBadge c={condition(a, 'Ready')} label="Ready" />
        </td>
        <td>
          <StatusBadge c={condition(a, 'Accepted')} label="Accepted" />
        </td>
        <td>{agentModel(a)}</td>
        <td title={tools.join(', ')}>
          {tools.length ? `${tools.length} (${tools.slice(0, 3).join(', ')}${tools.length > 3 ? ', …' : ''})` : '—'}
        </td>
        <td>{age(a.metadata.creationTimestamp)}</td>
        <td>
          <a
            className="button small"
            href={href.chat(a.metadata.namespace, a.metadata.name)}
            aria-label={`Chat with ${a.metadata.name}`}
          >
            Chat
          </a>
        </td>
      </tr>
    );
  },
  (p, n) => p.a.metadata.resourceVersion === n.a.metadata.resourceVersion && p.showNs === n.showNs,
);

export function AgentsPage({ namespace }: { namespace: string }) {
  const list = useLiveList('agents', namespace);
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const shown = useMemo(() => {
    const f = deferred.trim().toLowerCase();
    if (!f) return list.items;
    return list.items.filter((a) =>
      `${a.metadata.namespace}/${a.metadata.name} ${a.spec?.type ?? ''} ${agentModel(a)} ${a.spec?.description ?? ''}`
        .toLowerCase()
        .includes(f),
    );
  }, [list.items, deferred]);
  const showNs = !namespace;
  return (
    <section aria-labelledby="agents-h">
      <div className="page-head">
        <h1 id="agents-h">Agents</h1>
        <input
          className="filter"
          type="search"
          placeholder="Filter by name, type, model…"
          aria-label="Filter agents"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <a className="button primary" href={href.newAgent()}>
          New agent
        </a>
      </div>
      {list.error && (
        <ErrorBox error={list.error} what={`list agents${namespace ? ` in namespace ${namespace}` : ''}`} />
      )}
      {!list.error && !list.synced && <p className="muted">Loading agents…</p>}
      {list.synced && !list.items.length && !list.error && (
        <Empty>
          No agents {namespace ? `in namespace ${namespace}` : 'yet'}. <a href={href.newAgent()}>Create one</a> — it
          needs a ModelConfig (<a href={href.newModel()}>create a model</a> first if there is none).
        </Empty>
      )}
      {list.items.length > 0 && (
        <>
          <p className="muted" aria-live="polite">
            {shown.length} of {list.items.length} agents
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="agents-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  {showNs && <th scope="col">Namespace</th>}
                  <th scope="col">Type</th>
                  <th scope="col">Ready</th>
                  <th scope="col">Accepted</th>
                  <th scope="col">Model</th>
                  <th scope="col">Tools</th>
                  <th scope="col">Age</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <Row key={`${a.metadata.namespace}/${a.metadata.name}`} a={a} showNs={showNs} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
