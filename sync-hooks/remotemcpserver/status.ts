// RemoteMCPServer status: Accepted, UnsupportedFeatures, discoveredTools and secretHash. The function is
// pure — the impure part, connecting to the MCP server, happens before it (probe.ts) and its outcome is an input.
import { describeUnsupported } from '../../crds/index.js';
import { unsupportedCondition } from '../agent/status.js';
import { observedConditions, withTransitionTime, type DesiredCondition } from '../conditions.js';
import type { KubeObject, SyncResponse } from '../protocol.js';
import { refreshAfterSeconds } from '../refresh/probe-cache.js';

export interface DiscoveredTool {
  name: string;
  description: string;
}

/** What the probe (or header resolution before it) found. */
export type ProbeOutcome = { ok: true; tools: DiscoveredTool[] } | { ok: false; reason: string; message: string };

/**
 * `refreshSeconds`: the tools are listed again after this period (kagent re-lists every 60 s), sooner after a failure;
 * Metacontroller honours `resyncAfterSeconds` by requeueing the parent.
 */
export function remoteMCPServerStatus(
  parent: KubeObject,
  outcome: ProbeOutcome,
  opts: {
    now: string;
    refreshSeconds?: number;
    /** The hash of the CA spec.tls names, when it was read (kagent's status.secretHash). */
    secretHash?: string;
  },
): SyncResponse {
  const generation = parent.metadata.generation;
  const accepted: DesiredCondition = outcome.ok
    ? {
        type: 'Accepted',
        status: 'True',
        reason: 'Reconciled',
        message: `discovered ${outcome.tools.length} tool${outcome.tools.length === 1 ? '' : 's'}`,
        observedGeneration: generation,
      }
    : {
        type: 'Accepted',
        status: 'False',
        reason: outcome.reason,
        message: outcome.message,
        observedGeneration: generation,
      };
  // On failure keep what was discovered before: Agents using these tools keep their configuration.
  const tools = outcome.ok ? normalizeTools(outcome.tools) : previousTools(parent);
  const response: SyncResponse = {
    status: {
      observedGeneration: generation,
      conditions: [
        withTransitionTime(observedConditions(parent), accepted, opts.now),
        // The server's own accepted-but-not-honoured fields, also where no Agent uses it yet.
        withTransitionTime(
          observedConditions(parent),
          { ...unsupportedCondition(describeUnsupported('RemoteMCPServer', parent)), observedGeneration: generation },
          opts.now,
        ),
      ],
      discoveredTools: tools,
      ...secretHashOf(parent, opts.secretHash),
    },
    children: [],
    resyncAfterSeconds: refreshAfterSeconds(outcome.ok, opts.refreshSeconds),
  };
  return response;
}

/**
 * The CA's hash, so a rotation shows in status; while the CA cannot be read the last hash stays (as for the tools), and
 * a server without a CA Secret has none.
 */
function secretHashOf(parent: KubeObject, hash: string | undefined): { secretHash?: string } {
  if (hash !== undefined) return { secretHash: hash };
  const spec = parent.spec as { tls?: { caCertSecretRef?: string } } | undefined;
  const previous = (parent.status as { secretHash?: unknown } | undefined)?.secretHash;
  return spec?.tls?.caCertSecretRef && typeof previous === 'string' && previous ? { secretHash: previous } : {};
}

/** Sorted by name with only {name, description}, so the status does not depend on the server's listing order. */
export function normalizeTools(tools: { name: string; description?: string }[]): DiscoveredTool[] {
  return tools
    .map((t) => ({ name: t.name, description: t.description ?? '' }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function previousTools(parent: KubeObject): DiscoveredTool[] {
  const prev = (parent.status as { discoveredTools?: unknown } | undefined)?.discoveredTools;
  if (!Array.isArray(prev)) return [];
  return normalizeTools(
    prev.filter(
      (t): t is DiscoveredTool => !!t && typeof t === 'object' && typeof (t as DiscoveredTool).name === 'string',
    ),
  );
}
