// Keep-last-good: on a resolution error the sync response must still list every child, or Metacontroller deletes
// them. We return each observed child as we last desired it — Metacontroller's last-applied annotation holds exactly
// that — so the apply is a no-op. A child without the annotation is returned with server-set fields removed.
import type { KubeObject, ObjectMap } from '../protocol.js';

export const LAST_APPLIED_ANNOTATION = 'metacontroller.k8s.io/last-applied-configuration';

const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'ownerReferences',
];

export function lastGoodChild(observed: KubeObject): KubeObject {
  const lastApplied = observed.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (lastApplied) {
    try {
      const parsed = JSON.parse(lastApplied) as KubeObject;
      if (parsed && parsed.kind === observed.kind && parsed.metadata?.name === observed.metadata.name) return parsed;
    } catch {
      // fall through to the stripped observed object
    }
  }
  const { status: _status, ...rest } = observed;
  const metadata: Record<string, unknown> = { ...observed.metadata };
  for (const k of SERVER_METADATA) delete metadata[k];
  if (observed.metadata.annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _a, ...annotations } = observed.metadata.annotations;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return { ...rest, metadata } as KubeObject;
}

/** Every observed child, in a fixed order (by group key, then object key). */
export function observedChildren(children: ObjectMap): KubeObject[] {
  return Object.keys(children)
    .sort()
    .flatMap((g) =>
      Object.keys(children[g])
        .sort()
        .map((k) => lastGoodChild(children[g][k])),
    );
}
