// Placeholder signature; the implementation follows (engineer B1).
import type { SyncRequest, SyncResponse } from '../protocol.js';

export interface AgentSyncOptions {
  /** The agent runtime image for declarative agents (the hook server's --runtime-image flag). */
  runtimeImage: string;
  /** imagePullPolicy for the runtime container. */
  imagePullPolicy: string;
}

export function syncAgent(req: SyncRequest, opts: AgentSyncOptions): SyncResponse {
  void opts;
  return { status: {}, children: Object.values(req.children).flatMap((g) => Object.values(g)) };
}
