// Who the local dashboard's kubeconfig is: the API server's SelfSubjectReview (authentication.k8s.io/v1, which every
// authenticated user may create), asked once. The chat sends that name as the agent's x-user-id, so a person's
// conversations are theirs whether the dashboard runs on their machine or in the cluster for them.
import type { KubeCall } from './kube-client.js';

export type SelfName = () => Promise<string | undefined>;

/** A lookup that asks once and remembers a success; a failure (old API server, no permission) is retried next time. */
export function selfName(call: KubeCall): SelfName {
  let known: string | undefined;
  return async () => {
    if (known) return known;
    try {
      const res = await call({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      });
      const text = await res.body.setEncoding('utf8').toArray();
      if (res.status !== 201 && res.status !== 200) return undefined;
      const name = (JSON.parse(text.join('')) as { status?: { userInfo?: { username?: string } } }).status?.userInfo
        ?.username;
      known = typeof name === 'string' && name ? name : undefined;
      return known;
    } catch {
      return undefined;
    }
  };
}
