// The Agent sync hook as a pure function: (parent, observed children, related objects) -> (desired children,
// status). No clock, no randomness: the same request always gives a byte-identical response.
import { defaultsShared } from '../../crds/index.js';
import type { Agent } from '../../crds/types.js';
import { lookup, type SyncRequest, type SyncResponse } from '../protocol.js';
import { isResolutionError } from '../resolve/errors.js';
import { Related } from '../resolve/related.js';
import { buildChildren, type ChildOptions } from './children.js';
import { observedChildren } from './keep.js';
import {
  buildConditions,
  latestObservedTime,
  readyCondition,
  unsupportedCondition,
  type ConditionInput,
} from './status.js';
import { translateAgent, unsupportedFeatures } from './translate.js';

export interface AgentSyncOptions extends ChildOptions {
  /**
   * kagent's gateway proxy (its controller's --proxy-url; the hook server's --proxy-url): in-cluster agent and MCP
   * traffic goes to this URL with an x-kagent-host header (proxy.ts).
   */
  proxyUrl?: string;
}

/**
 * The desired children and status for one Agent. Never modifies `req`; the response may share (unmodified) objects
 * with it — e.g. the user's tolerations or security context — so callers treat both as read-only.
 */
/**
 * What metagent does with `declarative.runtime` (kagent picks its Go or Python runtime image by it): stated in the
 * Accepted message rather than as an unsupported field, since both values are served, and by the same runtime.
 */
function runtimeNote(agent: Agent): string {
  const runtime = agent.spec.type === 'Declarative' ? agent.spec.declarative?.runtime : undefined;
  return runtime
    ? `; declarative.runtime ${runtime}: served by metagent's runtime (one runtime for go and python)`
    : '';
}

export function syncAgent(req: SyncRequest, opts: AgentSyncOptions): SyncResponse {
  // Admission defaults the stored Agent already; applying them again is a no-op there and makes a hand-written
  // request (render, tests) behave exactly like a stored object. Shared rather than deep-copied: the translation only
  // reads the Agent (test/unit/sync-agent-readonly.test.ts freezes the request to prove it), and the copy was a
  // measurable part of every request.
  const agent = defaultsShared('Agent', req.parent) as unknown as Agent;
  const name = agent.metadata.name ?? '';
  const namespace = agent.metadata.namespace ?? '';
  const related = new Related(req.related);

  let accepted: ConditionInput;
  let children;
  let t;
  try {
    t = translateAgent(agent, related, { proxyUrl: opts.proxyUrl });
    children = buildChildren(agent, t, opts);
    accepted = {
      type: 'Accepted',
      status: 'True',
      reason: 'Reconciled',
      message: `translated into ${children.map((c) => c.kind).join(', ')}${runtimeNote(agent)}`,
    };
  } catch (e) {
    if (!isResolutionError(e)) throw e;
    // Never tear down on a resolution error: keep what runs (DESIGN.md decision 3).
    children = observedChildren(req.children ?? {});
    accepted = { type: 'Accepted', status: 'False', reason: e.reason, message: e.message };
  }

  // On an Agent's first sync its Deployment is only desired (Metacontroller creates it in this same sync): Ready
  // reads the desired one ("0/N replicas ready") rather than "not found", so the status written on create is already
  // the one the next sync gives, and each new Agent costs one status write instead of two (bench:scale).
  const deployment =
    lookup(req.children, 'Deployment', 'apps/v1', namespace, name) ??
    children.find((c) => c.kind === 'Deployment' && c.apiVersion === 'apps/v1' && c.metadata.name === name);
  const conditions = buildConditions(
    req.parent,
    [accepted, readyCondition(deployment, namespace, name), unsupportedCondition(unsupportedFeatures(agent, t))],
    () => latestObservedTime(req),
  );
  const status: Record<string, unknown> = { observedGeneration: req.parent.metadata.generation ?? 0, conditions };
  return { status, children };
}
