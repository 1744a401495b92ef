// kagent's gateway proxy option (its controller's --proxy-url, the Helm value `proxy.url`): agent-to-agent and
// agent-to-MCP traffic to in-cluster addresses goes to one proxy URL instead, with the original host in an
// `x-kagent-host` header so a Gateway API route can send it on. Addresses the translation builds itself (agents used
// as tools, Services used as MCP servers) always go through the proxy; a RemoteMCPServer's own URL only when it is
// in-cluster: a `*.svc.cluster.local` host, or `<name>.<namespace>` where that Namespace exists (the customize hook
// asks for Namespaces when a proxy is set). An external URL is left alone.
import { ResolutionError } from '../resolve/errors.js';
import type { Related } from '../resolve/related.js';

export const PROXY_HOST_HEADER = 'x-kagent-host';

/**
 * The proxy's scheme and host with the original path (as kagent builds it: the original query, if any, is not kept),
 * and the headers plus `x-kagent-host: <original host without port>`.
 */
export function viaProxy(
  url: string,
  headers: Record<string, string>,
  proxyUrl: string,
  what: string,
): { url: string; headers: Record<string, string> } {
  let original: URL;
  try {
    original = new URL(url);
  } catch {
    throw new ResolutionError('InvalidSpec', `${what}: "${url}" is not a valid URL`);
  }
  const proxy = new URL(proxyUrl);
  // WHATWG URLs always have a path ("/"); kagent's Go URLs have an empty one when the URL has none (an agent's
  // http://name.ns:8080), and that is what kagent writes.
  const hasPath = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').startsWith('/');
  const path = hasPath ? original.pathname : '';
  return {
    url: `${proxy.protocol}//${proxy.host}${path}`,
    headers: { ...headers, [PROXY_HOST_HEADER]: original.hostname },
  };
}

/** Whether a RemoteMCPServer URL points into the cluster (kagent's isInternalK8sURL, with Namespaces from `related`). */
export function isClusterInternalUrl(url: string, related: Related): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (host.endsWith('.svc.cluster.local')) return true;
  const labels = host.split('.');
  return labels.length === 2 && related.get('Namespace', 'v1', undefined, labels[1]) !== undefined;
}

/** A proxy URL as the hook server and render accept it: absolute http(s), no path, query or credentials. */
export function checkProxyUrl(value: string, flag: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${flag}: "${value}" is not a URL (expected e.g. http://proxy.kagent.svc.cluster.local:8080)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`${flag}: expected an http:// or https:// URL, got "${u.protocol}"`);
  if (u.username || u.password) throw new Error(`${flag}: the URL must not carry credentials`);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash)
    throw new Error(
      `${flag}: the URL must be a scheme, host and port only (the original path is kept); got "${value}"`,
    );
  return value;
}
