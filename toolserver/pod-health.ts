// Whether a pod is healthy, and why not, from its status alone. Pure: the caller passes the clock, so tests pin it.
import type { V1Pod, V1ContainerStatus } from '@kubernetes/client-node';

/** A pod stuck in Pending longer than this is reported as a problem even without a scheduler or kubelet reason. */
export const PENDING_GRACE_MS = 5 * 60 * 1000;

/** Waiting reasons that are part of a normal start, not a failure. */
const BENIGN_WAITING = new Set(['ContainerCreating', 'PodInitializing']);

export interface PodHealth {
  /** kubectl's STATUS column: CrashLoopBackOff, Init:0/1, Completed, Running, ... */
  status: string;
  ready: string;
  restarts: number;
  healthy: boolean;
  /** Why the pod is unhealthy, most important first; empty when healthy. */
  problems: string[];
  /** Facts worth knowing about a healthy pod (e.g. past restarts). */
  notes: string[];
}

export function podHealth(pod: V1Pod, now: Date): PodHealth {
  const status = pod.status ?? {};
  const containers = status.containerStatuses ?? [];
  const specCount = pod.spec?.containers?.length ?? containers.length;
  const readyCount = containers.filter((c) => c.ready).length;
  const restarts = containers.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const problems: string[] = [];
  const notes: string[] = [];
  const phase = status.phase ?? 'Unknown';

  if (phase === 'Failed')
    problems.push(
      `pod failed${status.reason ? `: ${status.reason}` : ''}${status.message ? ` (${status.message})` : ''}`,
    );
  if (phase === 'Unknown' && status.phase) problems.push('pod phase Unknown (node unreachable?)');
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False')
    problems.push(
      `not scheduled: ${scheduled.reason ?? ''}${scheduled.message ? ` (${scheduled.message})` : ''}`.trim(),
    );

  for (const c of [...(status.initContainerStatuses ?? []), ...containers])
    problems.push(...containerProblems(c, phase));
  if (phase === 'Running') {
    for (const c of containers) {
      if (!c.ready && c.state?.running) problems.push(`container ${c.name} running but not ready`);
    }
  }
  if (phase === 'Pending' && problems.length === 0) {
    const created = Date.parse(pod.metadata?.creationTimestamp as unknown as string);
    if (!Number.isNaN(created) && now.getTime() - created > PENDING_GRACE_MS) {
      problems.push(
        `Pending for ${Math.round((now.getTime() - created) / 60000)}m${pod.spec?.nodeName ? '' : ' (no node assigned)'}`,
      );
    }
  }
  if (problems.length === 0 && restarts > 0) {
    const last = containers.find((c) => c.lastState?.terminated)?.lastState?.terminated;
    notes.push(
      `restarted ${restarts} time(s)${last ? `, last exit: ${last.reason ?? 'terminated'} (code ${last.exitCode})` : ''}`,
    );
  }
  return {
    status: kubectlStatus(pod),
    ready: `${readyCount}/${specCount}`,
    restarts,
    healthy: problems.length === 0,
    problems,
    notes,
  };
}

function containerProblems(c: V1ContainerStatus, phase: string): string[] {
  const out: string[] = [];
  const last = c.lastState?.terminated;
  const lastText = last ? `; last exit: ${last.reason ?? 'terminated'} (code ${last.exitCode})` : '';
  const restartsText = c.restartCount ? `; ${c.restartCount} restarts` : '';
  const waiting = c.state?.waiting;
  if (waiting?.reason && !BENIGN_WAITING.has(waiting.reason)) {
    out.push(
      `container ${c.name} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}${restartsText}${lastText}`,
    );
  }
  const term = c.state?.terminated;
  if (term && term.exitCode !== 0 && phase !== 'Succeeded') {
    out.push(
      `container ${c.name} terminated: ${term.reason ?? 'Error'} (exit code ${term.exitCode})${term.message ? `: ${term.message}` : ''}${restartsText}`,
    );
  }
  return out;
}

/** The STATUS column kubectl prints (pkg/printers/internalversion printPod), simplified. */
export function kubectlStatus(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || 'Unknown';
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    if (c.state?.terminated?.exitCode === 0) continue;
    if (c.state?.terminated) return `Init:${c.state.terminated.reason || `ExitCode:${c.state.terminated.exitCode}`}`;
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      return `Init:${c.state.waiting.reason}`;
    return `Init:${i}/${pod.spec?.initContainers?.length ?? inits.length}`;
  }
  let hasRunning = false;
  for (const c of [...(status.containerStatuses ?? [])].reverse()) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated) reason = c.state.terminated.reason || `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state?.running) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) reason = 'Running';
  return reason;
}
