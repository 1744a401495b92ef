// Context compaction (kagent's `context_config.compaction`, ADK's EventsCompactionConfig): once a conversation has
// grown by `compaction_interval` invocations, or an invocation's prompt reached `token_threshold` tokens, the older
// part of it is replaced by a summary the summariser model writes (or, without a summariser, dropped). A compaction
// writes a marker holding the summary, followed by a copy of the messages it keeps, in place of the messages it
// loaded (the store's replacePrefix); what another replica appended meanwhile stays after them. The model sees the
// last marker's summary and what follows it, so conversations written by earlier versions, which appended the
// marker instead, read the same. Pure functions here; the executor runs the summariser and writes.
import type { ChatMessage } from '../models/types.js';

export interface CompactionSettings {
  /** Invocations (user turns) since the last compaction that trigger the next one. */
  interval: number;
  /** Invocations kept verbatim after a compaction triggered by the interval. */
  overlap: number;
  /** A prompt of at least this many tokens triggers a compaction after its invocation. */
  tokenThreshold?: number;
  /** Messages kept verbatim after a compaction triggered by tokens (rounded back to an invocation's start). */
  retainMessages: number;
  /** The summariser's instruction; undefined means no summariser: compacted messages are dropped. */
  promptTemplate?: string;
}

/** kagent's defaults (the CRD's): compaction_interval 5, overlap_size 2. */
const DEFAULT_INTERVAL = 5;
const DEFAULT_OVERLAP = 2;
export const DEFAULT_PROMPT_TEMPLATE =
  'Summarise the conversation below for the assistant that will continue it. Keep the facts, names, decisions, open questions and the results of tool calls that are still relevant; leave out small talk. Write it as notes, not as a dialogue.';

/**
 * The entry a compaction appends before the messages it keeps: the summary ('' without a summariser), and how many
 * invocations those kept messages hold (they do not count towards the next interval).
 */
export interface CompactionMarker {
  role: 'system';
  content: string;
  metagent_compaction: { carried: number };
}

function isMarker(m: unknown): m is CompactionMarker {
  return (
    typeof m === 'object' && m !== null && typeof (m as CompactionMarker).metagent_compaction?.carried === 'number'
  );
}

function lastMarkerIndex(stored: readonly unknown[]): number {
  for (let i = stored.length - 1; i >= 0; i--) if (isMarker(stored[i])) return i;
  return -1;
}

/** `context_config.compaction` of config.json as settings; undefined when compaction is off. */
export function compactionSettings(contextConfig: unknown): CompactionSettings | undefined {
  const c = (contextConfig as { compaction?: Record<string, unknown> } | undefined)?.compaction;
  if (!c || typeof c !== 'object') return undefined;
  const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : undefined);
  const hasSummariser = c.summarizer_model !== undefined && c.summarizer_model !== null;
  return {
    interval: Math.max(1, int(c.compaction_interval) ?? DEFAULT_INTERVAL),
    overlap: Math.max(0, int(c.overlap_size) ?? DEFAULT_OVERLAP),
    tokenThreshold: int(c.token_threshold),
    retainMessages: Math.max(0, int(c.event_retention_size) ?? 0),
    promptTemplate: hasSummariser
      ? typeof c.prompt_template === 'string' && c.prompt_template.trim()
        ? c.prompt_template
        : DEFAULT_PROMPT_TEMPLATE
      : undefined,
  };
}

/** What the model sees of a stored conversation: the last marker's summary and everything after it. */
export function effectiveHistory(stored: readonly unknown[]): ChatMessage[] {
  const i = lastMarkerIndex(stored);
  if (i < 0) return stored as ChatMessage[];
  const marker = stored[i] as CompactionMarker;
  const after = stored.slice(i + 1) as ChatMessage[];
  return marker.content ? [{ role: 'system', content: marker.content }, ...after] : after;
}

export interface CompactionPlan {
  /** Messages to summarise (the previous summary, if any, first), in order. */
  summarise: ChatMessage[];
  /** The latest messages, kept verbatim (appended again after the marker). */
  kept: ChatMessage[];
  /** Invocations in `kept`. */
  carried: number;
  reason: 'interval' | 'tokens';
}

/** Start indices of the invocations (each begins with a user message) in an effective history. */
function invocationStarts(history: readonly ChatMessage[]): number[] {
  const starts: number[] = [];
  history.forEach((m, i) => {
    if (m.role === 'user') starts.push(i);
  });
  return starts;
}

/**
 * Whether to compact now, given the stored conversation after an invocation and the prompt tokens of that
 * invocation's last model call; undefined when not. The kept tail always starts at an invocation's first message, so
 * an assistant's tool calls are never separated from their results.
 */
export function planCompaction(
  stored: readonly unknown[],
  lastPromptTokens: number,
  s: CompactionSettings,
): CompactionPlan | undefined {
  const lastMarker = lastMarkerIndex(stored);
  const history = effectiveHistory(stored);
  const starts = invocationStarts(history);
  // New invocations since the last compaction: those after its marker, less the ones it carried over.
  const carried = lastMarker >= 0 ? (stored[lastMarker] as CompactionMarker).metagent_compaction.carried : 0;
  const sinceMarker = invocationStarts(stored.slice(lastMarker + 1) as ChatMessage[]).length - carried;

  let keepFrom: number | undefined;
  let reason: CompactionPlan['reason'] | undefined;
  if (s.tokenThreshold !== undefined && lastPromptTokens >= s.tokenThreshold) {
    const want = history.length - s.retainMessages;
    // Round back to the start of the invocation the cut would fall into (keeping nothing needs no rounding).
    keepFrom = want >= history.length ? history.length : ([...starts].reverse().find((st) => st <= want) ?? 0);
    reason = 'tokens';
  } else if (sinceMarker >= s.interval) {
    keepFrom = s.overlap > 0 ? (starts[starts.length - s.overlap] ?? 0) : history.length;
    reason = 'interval';
  }
  if (keepFrom === undefined || reason === undefined || keepFrom <= 0) return undefined;
  const summarise = history.slice(0, keepFrom);
  // Nothing new to fold in: all before the cut is the summary of the previous compaction.
  const hasSummary = lastMarker >= 0 && (stored[lastMarker] as CompactionMarker).content !== '';
  if (hasSummary && summarise.length === 1) return undefined;
  const kept = history.slice(keepFrom);
  return { summarise, kept, carried: invocationStarts(kept).length, reason };
}

/** The summariser's request: its instruction, then the conversation to summarise as one transcript. */
export function summaryRequest(plan: CompactionPlan, promptTemplate: string): ChatMessage[] {
  const lines = plan.summarise.map((m) => {
    switch (m.role) {
      case 'system':
        return `[earlier summary]\n${m.content}`;
      case 'user':
        return `user: ${m.content}`;
      case 'assistant':
        return `assistant: ${m.content}${m.toolCalls?.length ? `\n(called ${m.toolCalls.map((c) => `${c.name}(${c.arguments})`).join(', ')})` : ''}`;
      case 'tool':
        return `tool ${m.name} returned: ${m.content}`;
    }
  });
  return [
    { role: 'system', content: promptTemplate },
    { role: 'user', content: lines.join('\n\n') },
  ];
}

/** What a compaction appends: the marker, then the kept messages. `summary` undefined (no summariser) drops the rest. */
export function compactionEntries(plan: CompactionPlan, summary: string | undefined): unknown[] {
  const marker: CompactionMarker = {
    role: 'system',
    content: summary ? `Summary of the earlier conversation:\n${summary}` : '',
    metagent_compaction: { carried: plan.carried },
  };
  return [marker, ...plan.kept];
}
