// How the CLI and the tool server reach the Kubernetes API: which kubeconfig to load, and a fetch() that carries the
// kubeconfig's credentials (client certificates, bearer tokens, custom CA) so that any HTTP client taking a fetch
// implementation — the A2A client through the service proxy, raw Table requests — talks to the API server directly.
import type { RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch as undiciFetch } from 'undici';

export interface KubeConfigSource {
  /** A kubeconfig file; wins over everything else. */
  kubeconfig?: string;
  /** Without a file: 'cluster' uses the pod's service account only; 'default' follows $KUBECONFIG, ~/.kube/config, then in-cluster. */
  fallback: 'cluster' | 'default';
}

export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfig) {
    try {
      kc.loadFromFile(source.kubeconfig);
    } catch (err) {
      throw new Error(`cannot load kubeconfig ${source.kubeconfig}: ${errorText(err)}`, { cause: err });
    }
  } else if (source.fallback === 'cluster') {
    if (!process.env.KUBERNETES_SERVICE_HOST) {
      throw new Error('not running inside a Kubernetes pod (KUBERNETES_SERVICE_HOST is unset); pass --kubeconfig FILE');
    }
    kc.loadFromCluster();
  } else {
    kc.loadFromDefault();
  }
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig has no current cluster');
  return kc;
}

/** The API server's base URL without a trailing slash. */
export function apiServerUrl(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return cluster.server.replace(/\/+$/, '');
}

export type FetchLike = typeof fetch;

/**
 * A fetch() authenticated as the kubeconfig's current user. Credentials are re-read on every request because tokens
 * (exec plugins, projected service-account tokens) rotate; the TLS agent is built once since CA and client certs do not.
 */
export function kubeFetch(kc: KubeConfig): FetchLike {
  let dispatcher: Agent | undefined;
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const opts: RequestOptions = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    dispatcher ??= kubeTlsDispatcher(opts);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (typeof v === 'string' && !headers.has(k)) headers.set(k, v);
    }
    if (opts.auth && !headers.has('authorization')) {
      headers.set('authorization', `Basic ${Buffer.from(opts.auth).toString('base64')}`);
    }
    const url = input instanceof Request ? input.url : String(input);
    const res = await undiciFetch(url, {
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      headers: Object.fromEntries(headers.entries()),
      body: (init?.body ?? undefined) as never,
      signal: init?.signal ?? undefined,
      dispatcher,
    });
    return res as unknown as Response;
  };
  return impl as FetchLike;
}

/**
 * The URL under which the API server proxies a Service port; with kubeFetch it reaches an agent from outside the
 * cluster and RBAC (`services/proxy`) decides who may.
 */
export function serviceProxyUrl(kc: KubeConfig, namespace: string, service: string, port: number | string): string {
  return `${apiServerUrl(kc)}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(`${service}:${port}`)}/proxy`;
}

/** A short, human reason from a Kubernetes client error: the API's Status message when there is one. */
export function kubeErrorText(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (typeof e?.code === 'number' && e.body === undefined && /^HTTP-Code:/.test(e.message ?? '')) {
    // client-node's ApiException without a parsed body: keep its "Message:" line, never the headers it also prints.
    const m = /Message: (.*)/.exec(e.message ?? '');
    return `HTTP ${e.code}: ${m?.[1] ?? 'request failed'}`;
  }
  if (typeof e?.code === 'number' && e.body !== undefined) {
    let body: unknown = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        /* plain-text body */
      }
    }
    const status = body as { message?: string; reason?: string } | string;
    if (typeof status === 'string') return `HTTP ${e.code}: ${status.trim().slice(0, 500)}`;
    const reason = status?.reason ? ` ${status.reason}` : '';
    return `HTTP ${e.code}${reason}: ${status?.message ?? 'no message'}`;
  }
  return errorText(err);
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message && !err.message.includes(cause.message)
      ? `${err.message}: ${cause.message}`
      : err.message;
  }
  return String(err);
}

/**
 * The undici dispatcher for the TLS settings the kubeconfig gives (CA, client certificate, server name, verify).
 * `http1Only`: undici's HTTP/2 path folds a repeated header into one comma-joined value, and the API server reads each
 * Impersonate-Group line as one group, so a caller that impersonates several groups must stay on HTTP/1.1.
 */
export function kubeTlsDispatcher(opts: RequestOptions, { http1Only = false }: { http1Only?: boolean } = {}): Agent {
  return new Agent({
    ...(http1Only ? { allowH2: false } : {}),
    connect: {
      ca: opts.ca as string | Buffer | undefined,
      cert: opts.cert as string | Buffer | undefined,
      key: opts.key as string | Buffer | undefined,
      servername: opts.servername,
      ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
    },
  });
}
