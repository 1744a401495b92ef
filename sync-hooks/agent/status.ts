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

/** The later of `max` and the time `s` denotes, when `s` is a timestamp string. */
function later(max: number, s: unknown): number {
  if (typeof s !== 'string') return max;
  const t = Date.parse(s);
  return t > max ? t : max; // NaN (not a timestamp) is never greater
}

// Plain loops and a running maximum rather than closures and a collected array: this runs for every object of every
// sync request (bench:hooks hot path).
function latestOf(obj: KubeObject | undefined, max: number): number {
  if (!obj?.metadata) return max;
  max = later(max, obj.metadata.creationTimestamp);
  for (const mf of obj.metadata.managedFields ?? []) max = later(max, mf.time);
  const conds = (obj.status as { conditions?: Condition[] } | undefined)?.conditions;
  for (const c of conds ?? []) max = later(max, c.lastTransitionTime);
  return max;
}

/** The newest timestamp in the request, as RFC 3339 with second precision. */
export function latestObservedTime(req: SyncRequest): string {
  let max = latestOf(req.parent, -Infinity);
  for (const map of [req.children, req.related ?? {}]) {
    for (const group of Object.values(map)) for (const o of Object.values(group)) max = latestOf(o, max);
  }
  if (max === -Infinity) max = 0;
  return rfc3339Seconds(Math.floor(max / 1000) * 1000);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `toISOString()` without the milliseconds for whole seconds, formatted directly for 4-digit years (a third of the
 * cost; every sync request needs one). Exported for its test. */
export function rfc3339Seconds(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999 || ms % 1000 !== 0) return d.toISOString().replace('.000Z', 'Z');
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
}

/**
 * The conditions with their lastTransitionTime: the observed one while the status is unchanged, else
 * `transitionTime()` — called only when some condition changes, and at most once: finding the newest timestamp walks
 * the whole request, which a steady-state resync (the common case) never needs.
 */
export function buildConditions(
  parent: KubeObject,
  wanted: ConditionInput[],
  transitionTime: string | (() => string),
): Condition[] {
  const observed = (parent.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const generation = parent.metadata.generation;
  let changedAt = typeof transitionTime === 'string' ? transitionTime : undefined;
  const out: Condition[] = [];
  for (const w of wanted) {
    let prev: Condition | undefined;
    for (const c of observed) {
      if (c.type === w.type) {
        prev = c;
        break;
      }
    }
    let time = prev && prev.status === w.status ? prev.lastTransitionTime : undefined;
    if (!time) time = changedAt ??= (transitionTime as () => string)();
    const c: Condition = {
      type: w.type,
      status: w.status,
      reason: w.reason,
      message: w.message,
      lastTransitionTime: time,
    };
    if (generation !== undefined) c.observedGeneration = generation;
    out.push(c);
  }
  return out;
}

/** Ready from the observed Deployment child. */
export function readyCondition(deployment: KubeObject | undefined, namespace: string, name: string): ConditionInput {
  if (!deployment) {
    return {
      type: 'Ready',
      status: 'False',
      reason: 'DeploymentNotFound',
      message: `Deployment ${namespace}/${name} not found`,
    };
  }
  const desired = (deployment.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const ready = (deployment.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
  const message = `${ready}/${desired} replicas ready`;
  if (desired > 0 && ready >= desired) return { type: 'Ready', status: 'True', reason: 'DeploymentReady', message };
  return { type: 'Ready', status: 'False', reason: 'DeploymentNotReady', message };
}

export function unsupportedCondition(items: { path: string; reason: string }[]): ConditionInput {
  if (items.length === 0) {
    return {
      type: 'UnsupportedFeatures',
      status: 'False',
      reason: 'AllFeaturesSupported',
      message: 'every field set is honoured',
    };
  }
  return {
    type: 'UnsupportedFeatures',
    status: 'True',
    reason: 'UnsupportedFieldsSet',
    message: `accepted but not honoured: ${items.map((i) => `${i.path} (${i.reason})`).join('; ')}`,
  };
}
