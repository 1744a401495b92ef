// kagent's cross-namespace rule (Gateway API style): a reference from namespace `from` to an object in namespace
// `to` is allowed when both are the same, or when the target's allowedNamespaces admits `from` — `All`, or
// `Selector` matching the labels of the referring namespace (sent as a related Namespace object).
import type { AllowedNamespaces, LabelSelector } from '../../crds/types.js';
import { ResolutionError } from './errors.js';
import type { Related } from './related.js';

export function matchesSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = expr.values ?? [];
    const ok =
      expr.operator === 'In'
        ? has && values.includes(labels[expr.key])
        : expr.operator === 'NotIn'
          ? !has || !values.includes(labels[expr.key])
          : expr.operator === 'Exists'
            ? has
            : expr.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/**
 * Throws CrossNamespaceNotAllowed unless a reference from `fromNs` to `target` (in `toNs`) is admitted.
 * `what` names the target for the message, e.g. `RemoteMCPServer tools/kube`.
 */
export function checkCrossNamespace(
  related: Related,
  fromNs: string,
  toNs: string,
  allowed: AllowedNamespaces | undefined,
  what: string,
): void {
  if (fromNs === toNs) return;
  const from = allowed?.from ?? 'Same';
  if (from === 'All') return;
  if (from === 'Selector') {
    if (!allowed?.selector) {
      throw new ResolutionError(
        'CrossNamespaceNotAllowed',
        `${what}: allowedNamespaces.from is Selector but no selector is set`,
      );
    }
    const ns = related.get('Namespace', 'v1', undefined, fromNs);
    const labels = (ns?.metadata.labels ?? {}) as Record<string, string>;
    if (ns && matchesSelector(allowed.selector, labels)) return;
    throw new ResolutionError(
      'CrossNamespaceNotAllowed',
      `${what} does not allow references from namespace ${fromNs} (its allowedNamespaces selector does not match${ns ? '' : '; the namespace was not visible'})`,
    );
  }
  throw new ResolutionError(
    'CrossNamespaceNotAllowed',
    `${what} does not allow references from namespace ${fromNs} (set its spec.allowedNamespaces to admit it)`,
  );
}
