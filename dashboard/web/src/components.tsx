// Small shared pieces: the refusal box (a 403 reads as a sentence, not a broken page), empty states that say what to
// do, condition badges and the conditions table, the composer of the chat pages.
import { useState, type ReactNode } from 'react';
import type { ApiError, Condition } from './api';

export function ErrorBox({ error, what }: { error: ApiError | Error; what: string }) {
  const e = error as ApiError;
  const forbidden = e.status === 403;
  return (
    <div className={`notice ${forbidden ? 'forbidden' : 'error'}`} role="alert">
      <strong>{forbidden ? `You may not ${what}.` : `Could not ${what}.`}</strong>
      <p>{e.message}</p>
      {e.hint && <p>{e.hint}</p>}
      {forbidden && (
        <p className="muted">Kubernetes RBAC decides what you can see and do here; ask a namespace admin for a role.</p>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function StatusBadge({ c, label }: { c: Condition | undefined; label: string }) {
  const s = c?.status ?? 'Unknown';
  return (
    <span
      className={`badge ${s === 'True' ? 'ok' : s === 'False' ? 'bad' : 'unknown'}`}
      title={c ? `${c.reason ?? ''}${c.message ? `: ${c.message}` : ''}` : `${label}: not reported yet`}
    >
      {label} {s}
    </span>
  );
}

export function Conditions({ conditions }: { conditions: Condition[] | undefined }) {
  if (!conditions?.length)
    return <p className="muted">No conditions reported yet: the controller has not reconciled this object.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Reason</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type}>
            <td>{c.type}</td>
            <td>
              <StatusBadge c={c} label="" />
            </td>
            <td>{c.reason}</td>
            <td className="wrap">{c.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A chat composer: a message box labelled for screen readers (Enter sends, Shift+Enter starts a new line) and its Send
 * button; `children` are further buttons of the same row. Sending clears the box.
 */
export function Composer({
  id,
  placeholder,
  disabled,
  onSend,
  children,
}: {
  id: string;
  placeholder: string;
  /** No send while true (no client yet, a task running). */
  disabled: boolean;
  onSend: (text: string) => void;
  children?: ReactNode;
}) {
  const [text, setText] = useState('');
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim() || disabled) return;
        setText('');
        onSend(text);
      }}
    >
      <label htmlFor={id} className="sr-only">
        Message
      </label>
      <textarea
        id={id}
        rows={2}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <button type="submit" className="button primary" disabled={disabled || !text.trim()}>
        Send
      </button>
      {children}
    </form>
  );
}
