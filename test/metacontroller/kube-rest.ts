// A minimal Kubernetes REST client for the contract driver: raw requests with the kubeconfig's credentials, and API
// discovery (kind <-> plural resource, namespaced or not), as Metacontroller's dynamic client does.
import https from 'node:https';
import http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RestResponse {
  status: number;
  body: any;
}

export interface ApiResource {
  apiVersion: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

export class KubeRest {
  private readonly server: URL;
  private readonly discovered = new Map<string, ApiResource[]>();

  constructor(private readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<RestResponse> {
    const opts: https.RequestOptions = {
      method,
      hostname: this.server.hostname,
      port: this.server.port,
      path,
      headers: { accept: 'application/json' },
    };
    await this.kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      (opts.headers as Record<string, string>)['content-type'] = contentType;
      (opts.headers as Record<string, string>)['content-length'] = String(Buffer.byteLength(payload));
    }
    const lib = this.server.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON (e.g. a proxy error page) */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like request, but throws on a non-2xx status with the API server's message. */
  async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const r = await this.request(method, path, body, contentType);
    if (r.status < 200 || r.status >= 300) {
      const msg = typeof r.body === 'object' && r.body?.message ? r.body.message : JSON.stringify(r.body);
      throw Object.assign(new Error(`${method} ${path}: ${r.status} ${msg}`), { status: r.status });
    }
    return r.body;
  }

  private async resources(apiVersion: string): Promise<ApiResource[]> {
    const cached = this.discovered.get(apiVersion);
    if (cached) return cached;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.ok('GET', path);
    const out: ApiResource[] = (list.resources as { name: string; kind: string; namespaced: boolean }[])
      .filter((r) => !r.name.includes('/'))
      .map((r) => ({ apiVersion, kind: r.kind, resource: r.name, namespaced: r.namespaced }));
    this.discovered.set(apiVersion, out);
    return out;
  }

  async byResource(apiVersion: string, resource: string): Promise<ApiResource> {
    const r = (await this.resources(apiVersion)).find((x) => x.resource === resource);
    if (!r) throw new Error(`API server does not serve ${resource} in ${apiVersion}`);
    return r;
  }

  async byKind(apiVersion: string, kind: string): Promise<ApiResource> {
    const r = (await this.resources(apiVersion)).find((x) => x.kind === kind);
    if (!r) throw new Error(`API server does not serve kind ${kind} in ${apiVersion}`);
    return r;
  }

  /** Collection path; `namespace` undefined means all namespaces. */
  collectionPath(r: ApiResource, namespace?: string): string {
    const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
    return r.namespaced && namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`
      : `${base}/${r.resource}`;
  }

  objectPath(r: ApiResource, namespace: string | undefined, name: string): string {
    return `${this.collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
  }

  /** Lists objects, giving each its apiVersion and kind (list items carry neither). */
  async list(r: ApiResource, namespace?: string, labelSelector?: string): Promise<any[]> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const list = await this.ok('GET', this.collectionPath(r, namespace) + q);
    return (list.items as any[]).map((o) => ({ apiVersion: r.apiVersion, kind: r.kind, ...o }));
  }
}
