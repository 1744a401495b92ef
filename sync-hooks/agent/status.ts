// The Agent's status: observedGeneration and the Accepted, Ready and UnsupportedFeatures conditions.
//
// lastTransitionTime without a clock: a condition whose status is unchanged keeps the time from the observed parent,
// so a steady state rewrites nothing. A condition whose status changes gets the newest timestamp visible in the
// request — creationTimestamp and managedFields[].time of the parent, its children and related objects, and the
// observed conditions' own times. That is the time of the latest write Metacontroller saw (usually the edit that
// caused the transition), deterministic for a given request, and never earlier than the previous transition. With no
// timestamp at all (render, hand-made requests) it is the Unix epoch.
import type { Condition } from '../../crds/types.js';
import type { KubeObject, SyncRequest } from '../protocol.js';

export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

function timesOf(obj: KubeObject | undefined, into: number[]): void {
  if (!obj?.metadata) return;
  const push = (s: unknown) => {
    if (typeof s !== 'string') return;
    const t = Date.parse(s);
    if (!Number.isNaN(t)) into.push(t);
  };
  push(obj.metadata.creationTimestamp);
  for (const mf of obj.metadata.managedFields ?? []) push(mf.time);
  const conds = (obj.status as { conditions?: Condition[] } | undefined)?.conditions;
  for (const c of conds ?? []) push(c.lastTransitionTime);
}

/** The newest timestamp in the request, as RFC 3339 with second precision. */
export function latestObservedTime(req: SyncRequest): string {
  const times: number[] = [];
  timesOf(req.parent, times);
  for (const map of [req.children, req.related ?? {}]) {
    for (const group of Object.values(map)) for (const o of Object.values(group)) timesOf(o, times);
  }
  const max = times.length ? Math.max(...times) : 0;
  return new Date(Math.floor(max / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function buildConditions(parent: KubeObject, wanted: ConditionInput[], transitionTime: string): Condition[] {
  const observed = (parent.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const generation = parent.metadata.generation;
  return wanted.map((w) => {
    const prev = observed.find((c) => c.type === w.type);
    const c: Condition = {
      type: w.type,
      status: w.status,
      reason: w.reason,
      message: w.message,
      lastTransitionTime: prev && prev.status === w.status && prev.lastTransitionTime ? prev.lastTransitionTime : transitionTime,
    };
    if (generation !== undefined) c.observedGeneration = generation;
    return c;
  });
}

/** Ready from the observed Deployment child. */
export function readyCondition(deployment: KubeObject | undefined, namespace: string, name: string): ConditionInput {
  if (!deployment) {
    return { type: 'Ready', status: 'False', reason: 'DeploymentNotFound', message: `Deployment ${namespace}/${name} not found` };
  }
  const desired = (deployment.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const ready = (deployment.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
  const message = `${ready}/${desired} replicas ready`;
  if (desired > 0 && ready >= desired) return { type: 'Ready', status: 'True', reason: 'DeploymentReady', message };
  return { type: 'Ready', status: 'False', reason: 'DeploymentNotReady', message };
}

export function unsupportedCondition(items: { path: string; reason: string }[]): ConditionInput {
  if (items.length === 0) {
    return { type: 'UnsupportedFeatures', status: 'False', reason: 'AllFeaturesSupported', message: 'every field set is honoured' };
  }
  return {
    type: 'UnsupportedFeatures',
    status: 'True',
    reason: 'UnsupportedFieldsSet',
    message: `accepted but not honoured: ${items.map((i) => `${i.path} (${i.reason})`).join('; ')}`,
  };
}
