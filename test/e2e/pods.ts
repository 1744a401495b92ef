// Pods with a given status in a cluster that has no scheduler and no kubelet: create the pod, then write the status a
// kubelet would have reported through the pods/status subresource (what `kubectl get pods` and our tools read).
import { CoreV1Api, type KubeConfig, type V1Pod, type V1PodStatus } from '@kubernetes/client-node';

export type FakeState = 'running' | 'crashloop' | 'imagepull';

function statusFor(state: FakeState, image: string, at: Date): V1PodStatus {
  const base = { name: 'main', image, imageID: '' };
  if (state === 'running') {
    return {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        { ...base, ready: true, restartCount: 0, started: true, state: { running: { startedAt: at } } },
      ],
    };
  }
  if (state === 'crashloop') {
    return {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          ...base,
          ready: false,
          restartCount: 7,
          started: false,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=main' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at } },
        },
      ],
    };
  }
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [
      {
        ...base,
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
      },
    ],
  };
}

/** Creates a pod on a made-up node and writes the given state into its status. */
export async function createPodWithState(
  kc: KubeConfig,
  namespace: string,
  name: string,
  state: FakeState,
  labels: Record<string, string> = {},
): Promise<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  const image = name.startsWith('redis') ? 'redis:7' : 'nginx:1.27';
  const created = await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: { app: name.replace(/-\d+$/, ''), ...labels } },
      spec: { nodeName: 'node-1', containers: [{ name: 'main', image }] },
    },
  });
  created.status = statusFor(state, image, new Date());
  return core.replaceNamespacedPodStatus({ namespace, name, body: created });
}

/**
 * Deletes a test namespace's pods at once. Pods bound to a node wait for their kubelet to confirm a graceful
 * deletion; with no kubelet they (and their namespace) would stay Terminating forever, so the grace period is 0.
 */
export async function deletePodsNow(kc: KubeConfig, namespace: string): Promise<void> {
  await kc.makeApiClient(CoreV1Api).deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
}
