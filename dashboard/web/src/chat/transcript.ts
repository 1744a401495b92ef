// The conversation as the page shows it, folded from A2A messages: the same fold for a live stream and for a task's
// stored history, so a reopened conversation looks as it did. Tool traffic follows kagent's data-part convention
// (metadata kagent_type function_call / function_response; adk_request_confirmation for a call awaiting approval).
export type Item =
  | { kind: 'user'; id: string; text: string }
  | { kind: 'agent'; id: string; text: string; done: boolean }
  | { kind: 'tool'; id: string; name: string; args: unknown; result?: string; isError?: boolean; agentCall: boolean }
  | {
      kind: 'approval';
      id: string;
      taskId: string;
      calls: { id: string; name: string; args: unknown }[];
      decided?: string;
    }
  | { kind: 'status'; id: string; text: string; tone: 'info' | 'error' };

export interface Part {
  content?: { $case: 'text'; value: string } | { $case: 'data'; value: unknown } | { $case: string; value: unknown };
  metadata?: Record<string, unknown>;
}

export interface A2AMessage {
  messageId?: string;
  role?: number | string;
  parts?: Part[];
}

const typeOf = (p: Part) => (p.metadata?.kagent_type ?? p.metadata?.adk_type) as string | undefined;
const isUser = (role: unknown) => role === 1 || role === 'ROLE_USER' || role === 'user';

function textOfResponse(r: unknown): { text: string; isError: boolean } {
  const o = r as { content?: { type?: string; text?: string }[]; result?: unknown; error?: unknown; isError?: boolean };
  const text =
    o?.content?.map((c) => c.text ?? '').join('') ?? (typeof o?.result === 'string' ? o.result : JSON.stringify(r));
  return { text, isError: !!o?.isError };
}

/**
 * One agent or user message into the transcript. `agentTools` are the tool names that call other agents, so those
 * calls show as such. Text parts of `working` messages are streamed deltas: they extend the open answer.
 */
export function foldMessage(items: Item[], msg: A2AMessage, agentTools: ReadonlySet<string>): Item[] {
  const out = [...items];
  const id = msg.messageId ?? String(out.length);
  for (const [i, p] of (msg.parts ?? []).entries()) {
    const c = p.content;
    if (!c) continue;
    if (isUser(msg.role)) {
      if (c.$case === 'text') out.push({ kind: 'user', id: `${id}-${i}`, text: c.value as string });
      else if (c.$case === 'data') {
        const d = c.value as { decision_type?: string; rejection_reason?: string };
        if (d?.decision_type)
          out.push({
            kind: 'status',
            id: `${id}-${i}`,
            text: `You ${d.decision_type === 'approve' ? 'approved' : 'rejected'} the pending call${d.rejection_reason ? `: ${d.rejection_reason}` : ''}.`,
            tone: 'info',
          });
      }
      continue;
    }
    if (c.$case === 'text') {
      const last = out[out.length - 1];
      if (last?.kind === 'agent' && !last.done)
        out[out.length - 1] = { ...last, text: last.text + (c.value as string) };
      else out.push({ kind: 'agent', id: `${id}-${i}`, text: c.value as string, done: false });
    } else if (c.$case === 'data') {
      const d = c.value as { id?: string; name?: string; args?: any; response?: unknown };
      const t = typeOf(p);
      if (t === 'function_call' && d.name === 'adk_request_confirmation') continue; // shown by the approval card
      if (t === 'function_call' && d.id) {
        closeAnswer(out);
        out.push({ kind: 'tool', id: d.id, name: d.name ?? '', args: d.args, agentCall: agentTools.has(d.name ?? '') });
      } else if (t === 'function_response' && d.id) {
        const at = out.findIndex((x) => x.kind === 'tool' && x.id === d.id);
        const { text, isError } = textOfResponse(d.response);
        if (at >= 0) out[at] = { ...(out[at] as Extract<Item, { kind: 'tool' }>), result: text, isError };
      }
    }
  }
  return out;
}

function closeAnswer(out: Item[]) {
  const last = out[out.length - 1];
  if (last?.kind === 'agent' && !last.done) out[out.length - 1] = { ...last, done: true };
}

/** The final answer replaces the streamed text of the open answer (or becomes one). */
export function finalAnswer(items: Item[], text: string, id: string): Item[] {
  if (!text) return items;
  const out = [...items];
  const last = out[out.length - 1];
  if (last?.kind === 'agent') out[out.length - 1] = { ...last, text, done: true };
  else out.push({ kind: 'agent', id, text, done: true });
  return out;
}

export interface PendingCall {
  id: string;
  name: string;
  args: unknown;
}

export function pendingCalls(msg: A2AMessage | undefined): PendingCall[] {
  return (msg?.parts ?? []).flatMap((p) => {
    const d = (p.content?.$case === 'data' ? p.content.value : undefined) as
      { name?: string; args?: { originalFunctionCall?: PendingCall } } | undefined;
    const call = d?.name === 'adk_request_confirmation' ? d.args?.originalFunctionCall : undefined;
    return call?.id ? [call] : [];
  });
}

export const textOf = (msg: A2AMessage | undefined) =>
  (msg?.parts ?? []).map((p) => (p.content?.$case === 'text' ? (p.content.value as string) : '')).join('');
