// Kubernetes objects -> the concise text a model reads well. Pure functions (the clock is a parameter); the tools
// in tools.ts only fetch and call these.
import type { V1Pod, CoreV1Event, V1Namespace } from '@kubernetes/client-node';
import { formatTable, formatAge } from '../lib/table.js';
import { podHealth } from './pod-health.js';

/** Upper bound on the characters a single tool result returns, so a huge cluster cannot flood the model's context. */
export const MAX_OUTPUT_CHARS = 24_000;

export function truncate(text: string, max = MAX_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n... (output truncated at ${max} characters; narrow the query)`;
}

function podRef(p: V1Pod): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

/**
 * The pod list: a one-line verdict first (what the model most needs), the unhealthy pods with reasons, then the
 * kubectl-style table.
 */
export function formatPodList(pods: V1Pod[], scope: string, now: Date): string {
  if (pods.length === 0) return `No pods found ${scope}.`;
  const sorted = [...pods].sort((a, b) => podRef(a).localeCompare(podRef(b)));
  const rows = sorted.map((p) => ({ pod: p, health: podHealth(p, now) }));
  const unhealthy = rows.filter((r) => !r.health.healthy);
  const lines: string[] = [];
  lines.push(
    unhealthy.length === 0
      ? `All ${pods.length} pods ${scope} are healthy.`
      : `${unhealthy.length} of ${pods.length} pods ${scope} are UNHEALTHY:`,
  );
  for (const r of unhealthy) lines.push(`- ${podRef(r.pod)}: ${r.health.status} — ${r.health.problems.join('; ')}`);
  const noted = rows.filter((r) => r.health.healthy && r.health.notes.length > 0);
  if (noted.length > 0) {
    lines.push('Healthy now but worth a look:');
    for (const r of noted) lines.push(`- ${podRef(r.pod)}: ${r.health.notes.join('; ')}`);
  }
  lines.push('');
  lines.push(
    formatTable(
      ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE'],
      rows.map(({ pod, health }) => [
        pod.metadata?.namespace ?? '',
        pod.metadata?.name ?? '',
        health.ready,
        health.healthy ? health.status : `${health.status} (!)`,
        String(health.restarts),
        formatAge(pod.metadata?.creationTimestamp, now),
        pod.spec?.nodeName ?? '<none>',
      ]),
    ),
  );
  return truncate(lines.join('\n'));
}

export function formatPodDescription(pod: V1Pod, events: CoreV1Event[], now: Date): string {
  const health = podHealth(pod, now);
  const m = pod.metadata ?? {};
  const s = pod.status ?? {};
  const lines: string[] = [];
  lines.push(`Pod ${m.namespace}/${m.name}`);
  lines.push(
    `Status: ${health.status}   Phase: ${s.phase ?? 'Unknown'}   Ready: ${health.ready}   Restarts: ${health.restarts}   Age: ${formatAge(m.creationTimestamp, now)}`,
  );
  lines.push(`Health: ${health.healthy ? 'healthy' : `UNHEALTHY — ${health.problems.join('; ')}`}`);
  lines.push(
    `Node: ${pod.spec?.nodeName ?? '<none>'}   Pod IP: ${s.podIP ?? '<none>'}   Service account: ${pod.spec?.serviceAccountName ?? 'default'}`,
  );
  const labels = Object.entries(m.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length) lines.push(`Labels: ${labels.join(', ')}`);
  const owners = (m.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`);
  if (owners.length) lines.push(`Controlled by: ${owners.join(', ')}`);
  if (s.conditions?.length) {
    lines.push(
      `Conditions: ${s.conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ')}`,
    );
  }
  const statuses = new Map((s.containerStatuses ?? []).map((c) => [c.name, c]));
  const initStatuses = new Map((s.initContainerStatuses ?? []).map((c) => [c.name, c]));
  const describeContainers = (title: string, specs: { name: string; image?: string }[], st: typeof statuses) => {
    if (specs.length === 0) return;
    lines.push(`${title}:`);
    for (const c of specs) {
      const cs = st.get(c.name);
      lines.push(`  ${c.name} (image ${c.image ?? '?'})`);
      if (!cs) {
        lines.push('    state: no status reported yet');
        continue;
      }
      lines.push(`    state: ${stateText(cs.state)}   ready: ${cs.ready}   restarts: ${cs.restartCount ?? 0}`);
      if (cs.lastState && (cs.lastState.terminated || cs.lastState.waiting || cs.lastState.running)) {
        lines.push(`    last state: ${stateText(cs.lastState)}`);
      }
    }
  };
  describeContainers('Init containers', pod.spec?.initContainers ?? [], initStatuses);
  describeContainers('Containers', pod.spec?.containers ?? [], statuses);
  lines.push('');
  lines.push(events.length ? formatEvents(events, `for pod ${m.name}`, now, 20) : 'Events: none recorded.');
  return truncate(lines.join('\n'));
}

type ContainerState = NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number]['state'];

function stateText(state: ContainerState): string {
  if (!state) return 'unknown';
  if (state.waiting)
    return `Waiting: ${state.waiting.reason ?? ''}${state.waiting.message ? ` — ${state.waiting.message}` : ''}`;
  if (state.terminated) {
    const t = state.terminated;
    return `Terminated: ${t.reason ?? ''} (exit code ${t.exitCode})${t.finishedAt ? ` at ${iso(t.finishedAt)}` : ''}${t.message ? ` — ${t.message}` : ''}`;
  }
  if (state.running) return `Running since ${iso(state.running.startedAt)}`;
  return 'unknown';
}

function iso(d: Date | string | undefined): string {
  if (!d) return '?';
  return typeof d === 'string' ? d : d.toISOString();
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const ms = t ? Date.parse(iso(t as Date | string)) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** Events oldest first (as `kubectl get events` sorts them), keeping the most recent `limit`. */
export function formatEvents(events: CoreV1Event[], scope: string, now: Date, limit = 50): string {
  if (events.length === 0) return `No events ${scope}.`;
  const sorted = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  const shown = sorted.slice(-limit);
  const warnings = events.filter((e) => e.type === 'Warning').length;
  const head = `${events.length} events ${scope} (${warnings} warnings)${shown.length < sorted.length ? `, the latest ${shown.length} shown` : ''}:`;
  const table = formatTable(
    ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'COUNT', 'MESSAGE'],
    shown.map((e) => [
      eventTime(e) ? formatAge(new Date(eventTime(e)), now) : '<unknown>',
      e.type ?? '',
      e.reason ?? '',
      `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
      String(e.count ?? e.series?.count ?? 1),
      (e.message ?? '').replace(/\s+/g, ' ').trim(),
    ]),
  );
  return truncate(`Events: ${head}\n${table}`);
}

export function formatNamespaces(namespaces: V1Namespace[], now: Date): string {
  if (namespaces.length === 0) return 'No namespaces visible.';
  const sorted = [...namespaces].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return truncate(
    `${namespaces.length} namespaces:\n` +
      formatTable(
        ['NAME', 'STATUS', 'AGE'],
        sorted.map((n) => [
          n.metadata?.name ?? '',
          n.status?.phase ?? '',
          formatAge(n.metadata?.creationTimestamp, now),
        ]),
      ),
  );
}

export function formatLogs(text: string, what: string): string {
  if (!text.trim()) return `No log output ${what}.`;
  // Keep the end of a long log: the failure is usually at the bottom.
  const body = text.length > MAX_OUTPUT_CHARS ? `... (earlier output cut)\n${text.slice(-MAX_OUTPUT_CHARS)}` : text;
  return `Logs ${what}:\n${body.trimEnd()}`;
}

/** The server-side printed table (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). */
export interface ServerTable {
  columnDefinitions?: { name: string; priority?: number }[];
  rows?: { cells: unknown[]; object?: { metadata?: { namespace?: string } } }[];
}

/**
 * The API server prints every kind (CRDs included, from their printer columns), so one formatter covers all kinds.
 * Only priority-0 columns, as kubectl shows without `-o wide`; a NAMESPACE column when listing across namespaces.
 */
export function formatServerTable(table: ServerTable, what: string, withNamespace: boolean): string {
  const cols = (table.columnDefinitions ?? []).map((c, i) => ({
    name: c.name.toUpperCase(),
    priority: c.priority ?? 0,
    i,
  }));
  const shown = cols.filter((c) => c.priority === 0);
  const rows = table.rows ?? [];
  if (rows.length === 0) return `No ${what} found.`;
  const header = [...(withNamespace ? ['NAMESPACE'] : []), ...shown.map((c) => c.name)];
  const body = rows.map((r) => [
    ...(withNamespace ? [r.object?.metadata?.namespace ?? ''] : []),
    ...shown.map((c) => cellText(r.cells[c.i])),
  ]);
  return truncate(`${rows.length} ${what}:\n${formatTable(header, body)}`);
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
