// Chat with an agent over A2A (through the dashboard's relay and the API server's service proxy): streamed text, tool
// calls as collapsible cards, calls to other agents marked as such, Approve / Reject for a task waiting on approval,
// cancel, and the agent's conversations (ListTasks) reopened with their history.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Client } from '@a2a-js/sdk/client';
import { ApiError } from '../api';
import { Composer, ErrorBox } from '../components';
import { href, go } from '../router';
import { useLiveList } from '../watch';
import { connect, listTasks, TaskState, userMessage, type StreamResponse, type Task } from '../chat/a2a';
import { finalAnswer, foldMessage, pendingCalls, textOf, type A2AMessage, type Item } from '../chat/transcript';

const FAILED = new Set([TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED, TaskState.TASK_STATE_CANCELED]);

function artifactText(task: Task): string {
  return (task.artifacts ?? []).map((a) => textOf(a as unknown as A2AMessage)).join('\n');
}

/** A stored task as transcript items: its history, then its answer or what it waits for. */
function foldTask(items: Item[], task: Task, agentTools: ReadonlySet<string>): Item[] {
  let out = items;
  for (const m of task.history ?? []) out = foldMessage(out, m as unknown as A2AMessage, agentTools);
  const st = task.status?.state;
  if (st === TaskState.TASK_STATE_COMPLETED)
    out = finalAnswer(
      out,
      artifactText(task) || textOf(task.status?.message as unknown as A2AMessage),
      `${task.id}-answer`,
    );
  if (st === TaskState.TASK_STATE_INPUT_REQUIRED)
    out = [
      ...out,
      {
        kind: 'approval',
        id: `${task.id}-approval`,
        taskId: task.id,
        calls: pendingCalls(task.status?.message as unknown as A2AMessage),
      },
    ];
  if (st !== undefined && FAILED.has(st))
    out = [
      ...out,
      {
        kind: 'status',
        id: `${task.id}-end`,
        text: textOf(task.status?.message as unknown as A2AMessage) || 'The task ended without an answer.',
        tone: 'error',
      },
    ];
  return out;
}

interface Conversation {
  contextId: string;
  title: string;
  updated: string;
}

function conversations(tasks: Task[]): Conversation[] {
  const by = new Map<string, Conversation>();
  for (const t of tasks) {
    const first = (t.history ?? []).find((m) => m.role === 1);
    const c = by.get(t.contextId);
    const updated = t.status?.timestamp ?? '';
    if (!c)
      by.set(t.contextId, {
        contextId: t.contextId,
        title: textOf(first as unknown as A2AMessage) || t.contextId.slice(0, 8),
        updated,
      });
    else if (updated > c.updated) c.updated = updated;
  }
  return [...by.values()].sort((a, b) => b.updated.localeCompare(a.updated));
}

export function ChatPage({ ns, name, context }: { ns: string; name: string; context?: string }) {
  const agents = useLiveList('agents', ns);
  const agent = agents.items.find((a) => a.metadata.name === name);
  const agentTools = useMemo(
    () =>
      new Set(
        ((agent?.spec?.declarative?.tools ?? []) as { type?: string; agent?: { name?: string } }[])
          .filter((t) => t.type === 'Agent')
          .map((t) => t.agent?.name ?? ''),
      ),
    [agent],
  );
  const conn = useQuery({
    queryKey: ['a2a', ns, name],
    queryFn: () => connect(ns, name),
    retry: false,
    staleTime: Infinity,
  });
  const client: Client | undefined = conn.data?.client;
  const qc = useQueryClient();
  const history = useQuery({ queryKey: ['tasks', ns, name], queryFn: () => listTasks(client!, ''), enabled: !!client });
  const [items, setItems] = useState<Item[]>([]);
  const [contextId, setContextId] = useState<string>(context ?? '');
  const [running, setRunning] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [reason, setReason] = useState('');
  const bottom = useRef<HTMLDivElement>(null);

  // Reopening a conversation: its tasks (ListTasks by context) folded in order.
  useEffect(() => {
    setContextId(context ?? '');
    setItems([]);
    if (!client || !context) return;
    let stop = false;
    void (async () => {
      try {
        const all: Task[] = [];
        let token = '';
        do {
          const page = await listTasks(client, context, token);
          all.push(...page.tasks);
          token = page.next;
        } while (token && !stop);
        all.sort((a, b) => (a.status?.timestamp ?? '').localeCompare(b.status?.timestamp ?? ''));
        if (!stop) setItems(all.reduce<Item[]>((acc, t) => foldTask(acc, t, agentTools), []));
      } catch (e) {
        if (!stop) setError(e as Error);
      }
    })();
    return () => {
      stop = true;
    };
  }, [client, context, agentTools]);

  // Braces: newer Chromium's scrollIntoView returns a Promise, which React would take for the effect's cleanup.
  useEffect(() => {
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [items]);

  const onEvent = (ev: StreamResponse) => {
    const p = ev.payload;
    if (!p) return;
    if (p.$case === 'task') {
      setRunning(p.value.id);
      if (p.value.contextId) setContextId(p.value.contextId);
    } else if (p.$case === 'message') {
      setItems((it) => foldMessage(it, p.value as unknown as A2AMessage, agentTools));
    } else if (p.$case === 'artifactUpdate') {
      setItems((it) =>
        finalAnswer(it, textOf(p.value.artifact as unknown as A2AMessage), p.value.artifact?.artifactId ?? 'answer'),
      );
    } else if (p.$case === 'statusUpdate') {
      const st = p.value.status?.state;
      const msg = p.value.status?.message as unknown as A2AMessage | undefined;
      if (p.value.contextId) setContextId(p.value.contextId);
      if (st === TaskState.TASK_STATE_WORKING && msg) setItems((it) => foldMessage(it, msg, agentTools));
      else if (st === TaskState.TASK_STATE_COMPLETED)
        setItems((it) => finalAnswer(it, textOf(msg), `${p.value.taskId}-answer`));
      else if (st === TaskState.TASK_STATE_INPUT_REQUIRED)
        setItems((it) => [
          ...it,
          {
            kind: 'approval',
            id: `${p.value.taskId}-approval-${it.length}`,
            taskId: p.value.taskId,
            calls: pendingCalls(msg),
          },
        ]);
      else if (st !== undefined && FAILED.has(st))
        setItems((it) => [
          ...it,
          { kind: 'status', id: `${p.value.taskId}-end`, text: textOf(msg) || 'The task ended.', tone: 'error' },
        ]);
    }
  };

  const send = async (request: ReturnType<typeof userMessage>) => {
    if (!client) return;
    setBusy(true);
    setError(undefined);
    setItems((it) => foldMessage(it, request.message as unknown as A2AMessage, agentTools));
    try {
      for await (const ev of client.sendMessageStream(request)) onEvent(ev);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
      setRunning(undefined);
      void qc.invalidateQueries({ queryKey: ['tasks', ns, name] });
    }
  };

  const decide = (taskId: string, decision: 'approve' | 'reject') => {
    setItems((it) =>
      it.map((x) => (x.kind === 'approval' && x.taskId === taskId && !x.decided ? { ...x, decided: decision } : x)),
    );
    void send(
      userMessage('', contextId, taskId, { decision, reason: decision === 'reject' ? reason || undefined : undefined }),
    );
    setReason('');
  };

  const convs = conversations(history.data?.tasks ?? []);
  return (
    <section className="chat" aria-labelledby="chat-h">
      <nav className="conversations" aria-label="Conversations">
        <h2>Conversations</h2>
        <a className="button small" href={href.chat(ns, name)}>
          New conversation
        </a>
        {history.error && <p className="muted">Could not list conversations: {(history.error as Error).message}</p>}
        <ul>
          {convs.map((c) => (
            <li key={c.contextId}>
              <a href={href.chat(ns, name, c.contextId)} aria-current={c.contextId === context ? 'page' : undefined}>
                {c.title}
              </a>
            </li>
          ))}
        </ul>
        {history.data?.next && <p className="muted">Showing the latest 50 tasks.</p>}
      </nav>
      <div className="chat-main">
        <div className="page-head">
          <h1 id="chat-h">
            Chat with {ns}/{name}
          </h1>
          <a className="button small" href={href.agent(ns, name)}>
            Details
          </a>
        </div>
        {conn.error && <ErrorBox error={conn.error as Error} what={`talk to agent ${ns}/${name}`} />}
        {error && <ErrorBox error={error} what="get an answer" />}
        <div className="transcript" aria-live="polite" data-testid="transcript">
          {!items.length && conn.data && (
            <p className="muted">
              Ask {conn.data.card.name || name} something.{' '}
              {conn.data.card.skills?.[0]?.examples?.[0]
                ? `For example: “${conn.data.card.skills[0].examples[0]}”`
                : ''}
            </p>
          )}
          {items.map((it) => {
            switch (it.kind) {
              case 'user':
                return (
                  <div key={it.id} className="bubble user">
                    {it.text}
                  </div>
                );
              case 'agent':
                return (
                  <div key={it.id} className="bubble agent" data-testid="agent-text">
                    {it.text}
                  </div>
                );
              case 'tool':
                return (
                  <details key={it.id} className={`tool-card ${it.isError ? 'error' : ''}`} data-testid="tool-card">
                    <summary>
                      {it.agentCall ? `Calls agent ${it.name}` : `Tool ${it.name}`}{' '}
                      {it.result === undefined ? '(running…)' : it.isError ? '(failed)' : '(done)'}
                    </summary>
                    <h3>Arguments</h3>
                    <pre className="code">{JSON.stringify(it.args, null, 2)}</pre>
                    {it.result !== undefined && (
                      <>
                        <h3>Result</h3>
                        <pre className="code">{it.result}</pre>
                      </>
                    )}
                  </details>
                );
              case 'approval':
                return (
                  <div key={it.id} className="approval" role="group" aria-label="Approval required">
                    <strong>Approval required</strong>
                    {it.calls.map((c) => (
                      <div key={c.id}>
                        <code>{c.name}</code>
                        <pre className="code">{JSON.stringify(c.args, null, 2)}</pre>
                      </div>
                    ))}
                    {it.decided ? (
                      <p className="muted">{it.decided === 'approve' ? 'Approved.' : 'Rejected.'}</p>
                    ) : (
                      <div className="row">
                        <button className="button primary" onClick={() => decide(it.taskId, 'approve')} disabled={busy}>
                          Approve
                        </button>
                        <input
                          aria-label="Reason for rejecting"
                          placeholder="reason (optional)"
                          value={reason}
                          onChange={(e) => setReason(e.target.value)}
                        />
                        <button className="button danger" onClick={() => decide(it.taskId, 'reject')} disabled={busy}>
                          Reject
                        </button>
                      </div>
                    )}
                  </div>
                );
              case 'status':
                return (
                  <p key={it.id} className={`status ${it.tone}`}>
                    {it.text}
                  </p>
                );
            }
          })}
          <div ref={bottom} />
        </div>
        <Composer
          id="chat-input"
          placeholder="Message the agent (Enter sends, Shift+Enter for a new line)"
          disabled={!client || busy}
          onSend={(t) => void send(userMessage(t, contextId))}
        >
          {running && (
            <button
              type="button"
              className="button"
              onClick={() => void client?.cancelTask({ tenant: '', id: running, metadata: undefined })}
            >
              Cancel
            </button>
          )}
          {contextId && !context && (
            <button type="button" className="button small" onClick={() => go(href.chat(ns, name, contextId))}>
              Permalink
            </button>
          )}
        </Composer>
      </div>
    </section>
  );
}

export default ChatPage;
