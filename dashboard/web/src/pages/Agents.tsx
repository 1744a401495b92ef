// The agents page: every Agent the user may list, live, with a filter box. Rows are memoized on resourceVersion, so a
// status change re-renders one row, not the table; and only the rows near the viewport are in the DOM (windowed on
// the page's own scroll), so a thousand Agents cost the browser a screenful of rows. The table keeps its real row
// count and each row's index for assistive technology (aria-rowcount / aria-rowindex).
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react';
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
  function Row({
    a,
    showNs,
    index,
    measure,
  }: {
    a: KObject;
    showNs: boolean;
    index: number;
    measure: (el: Element | null) => void;
  }) {
    const tools = agentTools(a);
    return (
      <tr ref={measure} data-index={index} aria-rowindex={index + 2}>
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
  (p, n) =>
    p.a.metadata.resourceVersion === n.a.metadata.resourceVersion &&
    p.showNs === n.showNs &&
    p.index === n.index &&
    p.measure === n.measure,
);

/** A row's height before the browser has measured it (one line of text with a badge). */
const ROW_ESTIMATE_PX = 37;

/** The table body: the rows in and near the viewport, with spacer rows standing for the rest. */
function AgentRows({ shown, showNs }: { shown: KObject[]; showNs: boolean }) {
  const body = useRef<HTMLTableSectionElement>(null);
  const [top, setTop] = useState(0);
  // The table's distance from the top of the document: the window scroll offset where its first row starts.
  useLayoutEffect(() => {
    const y = (body.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    if (Math.abs(y - top) > 1) setTop(y);
  });
  const v = useWindowVirtualizer({
    count: shown.length,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 10,
    scrollMargin: top,
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    getItemKey: (i) => shown[i].metadata.uid ?? `${shown[i].metadata.namespace}/${shown[i].metadata.name}`,
  });
  const rows = v.getVirtualItems();
  const before = rows.length ? rows[0].start - top : 0;
  const after = rows.length ? v.getTotalSize() - (rows[rows.length - 1].end - top) : 0;
  const cols = showNs ? 9 : 8;
  return (
    <tbody ref={body}>
      {before > 0 && <Spacer height={before} cols={cols} />}
      {rows.map((r) => (
        <Row key={r.key} a={shown[r.index]} showNs={showNs} index={r.index} measure={v.measureElement} />
      ))}
      {after > 0 && <Spacer height={after} cols={cols} />}
    </tbody>
  );
}

function Spacer({ height, cols }: { height: number; cols: number }) {
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={cols} style={{ height }} />
    </tr>
  );
}

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
            <table className="table" data-testid="agents-table" aria-rowcount={shown.length + 1}>
              <thead>
                <tr aria-rowindex={1}>
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
              <AgentRows shown={shown} showNs={showNs} />
            </table>
          </div>
        </>
      )}
    </section>
  );
}
