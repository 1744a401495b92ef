// The owner's side of the published view (view.ts): the child Secret a ModelConfig or RemoteMCPServer status hook
// returns. When a source cannot be resolved the last good view stays (the owner's status says why), so Agents keep
// running on it — DESIGN decision 3.
import { observedChildren } from '../agent/keep.js';
import type { KubeObject, SyncRequest } from '../protocol.js';
import { buildView, viewChild, type ViewKind, type ViewRef } from './view.js';

export function publishView(kind: ViewKind, req: SyncRequest, refs: ViewRef[]): KubeObject[] {
  if (refs.length === 0) return [];
  const parent = req.parent;
  const built = buildView(req.related, parent.metadata.namespace ?? '', refs);
  if (built.ok) return [viewChild(kind, parent, built.view)];
  return observedChildren(req.children ?? {}).filter((c) => c.kind === 'Secret');
}
