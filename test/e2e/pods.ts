// Pods with a given status in a cluster that has no scheduler and no kubelet: create the pod, then write the status a
// kubelet would have reported through the pods/status subresource (what `kubectl get pods` and our tools read).
import { networkInterfaces } from 'node:os';
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

/** This machine's first non-loopback IPv4 address: the API server proxies only to an address a pod holds. */
export function nonLoopbackIp(): string {
  const ip = Object.values(networkInterfaces())
    .flat()
    .find((n) => n && n.family === 'IPv4' && !n.internal)?.address;
  if (!ip) throw new Error('no non-loopback IPv4 address to put into Endpoints');
  return ip;
}

/**
 * Stands in for a Service's pod with a server on this host: no kubelet, kube-proxy or endpoints controller here, so a
 * pod whose status IP is this host's, and the Service's Endpoints pointing at it and at `hostPort` (the API server
 * checks that an endpoint address belongs to a pod with that IP before it proxies).
 */
export async function serveServiceFromHost(
  kc: KubeConfig,
  namespace: string,
  service: string,
  servicePort: number,
  hostPort: number,
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const svc = await core.readNamespacedService({ namespace, name: service });
  const port = svc.spec!.ports!.find((p) => p.port === servicePort)!;
  const ip = nonLoopbackIp();
  const podName = `${service}-host`;
  const pod = await createPodWithState(kc, namespace, podName, 'running');
  pod.status = { ...pod.status, podIP: ip, podIPs: [{ ip }] };
  await core.replaceNamespacedPodStatus({ namespace, name: podName, body: pod });
  await core.createNamespacedEndpoints({
    namespace,
    body: {
      metadata: { name: service },
      subsets: [
        {
          addresses: [{ ip, targetRef: { kind: 'Pod', name: podName, namespace } }],
          ports: [{ name: port.name, port: hostPort, protocol: 'TCP' }],
        },
      ],
    },
  });
}
