// RemoteMCPServer sync hook: resolve headers from the related objects (pure), probe the server through the
// injected prober (cached, impure), then compute the status (pure) and the view child Agents read.
import type { SyncRequest, SyncResponse } from '../protocol.js';
import { hashValues } from '../secrets.js';
import { MAX_PROBE_TIMEOUT_MS, parseGoDuration, type McpProber } from './probe.js';
import { publishView } from '../resolve/publish.js';
import { remoteMCPServerViewRefs, resolveHeaders, resolveTls, specOf } from './refs.js';
import { remoteMCPServerStatus, type ProbeOutcome } from './status.js';

export interface RemoteMCPServerHookDeps {
  prober: McpProber;
  now: string;
}

export async function syncRemoteMCPServer(req: SyncRequest, deps: RemoteMCPServerHookDeps): Promise<SyncResponse> {
  const parent = req.parent;
  const spec = specOf(parent);
  let outcome: ProbeOutcome;
  // The CA's hash when it was read; undefined keeps the last one (the Secret is missing for now) or, without a CA, none.
  let secretHash: string | undefined;
  const protocol = spec.protocol ?? 'STREAMABLE_HTTP';
  if (typeof spec.url !== 'string' || !/^https?:\/\//.test(spec.url)) {
    outcome = { ok: false, reason: 'InvalidSpec', message: 'spec.url must be an http(s) URL' };
  } else if (protocol !== 'STREAMABLE_HTTP' && protocol !== 'SSE') {
    outcome = {
      ok: false,
      reason: 'InvalidSpec',
      message: `spec.protocol must be STREAMABLE_HTTP or SSE, got ${JSON.stringify(protocol)}`,
    };
  } else {
    const headers = resolveHeaders(parent, req.related);
    const tls = resolveTls(parent, req.related);
    if (!headers.ok) {
      outcome = { ok: false, reason: headers.reason, message: headers.message };
    } else if (!tls.ok) {
      outcome = { ok: false, reason: tls.reason, message: tls.message };
    } else {
      const ca = tls.tls.ca?.[0];
      if (ca !== undefined && spec.tls?.caCertSecretRef)
        secretHash = hashValues({ [`${spec.tls.caCertSecretRef}/${spec.tls.caCertSecretKey}`]: ca });
      const timeoutMs = Math.min(parseGoDuration(spec.timeout) ?? MAX_PROBE_TIMEOUT_MS, MAX_PROBE_TIMEOUT_MS);
      outcome = await deps.prober.probe({
        uid: parent.metadata.uid ?? `${parent.metadata.namespace}/${parent.metadata.name}`,
        generation: parent.metadata.generation ?? 0,
        url: spec.url,
        protocol,
        headers: headers.headers,
        tls: tls.tls,
        timeoutMs,
      });
    }
  }
  const response = remoteMCPServerStatus(parent, outcome, {
    now: deps.now,
    refreshSeconds: deps.prober.refreshSeconds,
    secretHash,
  });
  // The view Agents read instead of the header Secrets themselves (resolve/view.ts).
  response.children = publishView('RemoteMCPServer', req, remoteMCPServerViewRefs(parent));
  return response;
}
