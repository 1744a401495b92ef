// Placeholder signature; the implementation follows (engineer B1).
import type { KubeObject } from './protocol.js';
import type { AgentSyncOptions } from './agent/sync.js';

export function renderObjects(
  objects: KubeObject[],
  opts: AgentSyncOptions & { namespace?: string },
): { items: KubeObject[]; problems: string[] } {
  void objects;
  void opts;
  return { items: [], problems: [] };
}
