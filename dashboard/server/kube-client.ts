// The dashboard's one way to the Kubernetes API: a request with the kubeconfig's credentials (client certificate,
// bearer token, CA), extra headers (impersonation) and a streamed response body. undici's request() over HTTP/1.1
// rather than fetch() or HTTP/2: both fold repeated headers into one comma-joined line, and the API server reads every
// Impersonate-Group line as one group, so "a, b" would become a single group named "a, b".
import type { RequestOptions } from 'node:https';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { request, type Agent } from 'undici';
import { kubeTlsDispatcher } from '../../lib/kube.js';

export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query on the API server, starting with /. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer | Readable;
  signal?: AbortSignal;
}

export type KubeCall = (req: KubeRequest) => Promise<KubeResponse>;

export function kubeCall(kc: KubeConfig): KubeCall {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  let dispatcher: Agent | undefined;
  return async (r) => {
    // Credentials are read on every call: exec-plugin and projected service-account tokens rotate.
    const opts: RequestOptions = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    dispatcher ??= kubeTlsDispatcher(opts, { http1Only: true });
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    if (opts.auth && !headers.authorization)
      headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
    const res = await request(`${server}${r.path}`, {
      method: r.method,
      headers,
      body: r.body,
      signal: r.signal,
      dispatcher,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  };
}
