// Status conditions in the metav1.Condition shape, shared by the status hooks. A condition's lastTransitionTime
// changes only when its status changes: it is copied from the observed parent otherwise, so an unchanged resync
// produces a byte-identical status and Metacontroller writes nothing.

import type { Condition } from '../crds/kube-object.js';

export type { Condition, ConditionStatus } from '../crds/kube-object.js';

export type DesiredCondition = Omit<Condition, 'lastTransitionTime'>;

/** The conditions of an observed object's status, tolerating garbage (status is user-writable in principle). */
export function observedConditions(obj: object | undefined): Condition[] {
  const status = (obj as { status?: unknown } | undefined)?.status as { conditions?: unknown } | undefined;
  if (!status || !Array.isArray(status.conditions)) return [];
  return status.conditions.filter(
    (c): c is Condition => !!c && typeof c === 'object' && typeof (c as Condition).type === 'string',
  );
}

/**
 * The condition to write: `desired` with the lastTransitionTime of the observed condition of the same type when the
 * status did not change, else `now`. `now` is passed in (the hooks hold no clock) and used only on a transition.
 */
export function withTransitionTime(observed: Condition[], desired: DesiredCondition, now: string): Condition {
  const prev = observed.find((c) => c.type === desired.type);
  const lastTransitionTime =
    prev && prev.status === desired.status && typeof prev.lastTransitionTime === 'string'
      ? prev.lastTransitionTime
      : now;
  // Fixed key order so equal conditions serialize identically.
  const out: Condition = {
    type: desired.type,
    status: desired.status,
    reason: desired.reason,
    message: desired.message,
    lastTransitionTime,
  };
  if (desired.observedGeneration !== undefined) out.observedGeneration = desired.observedGeneration;
  return out;
}

/** RFC 3339 with second precision, the form metav1.Time serializes to. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
