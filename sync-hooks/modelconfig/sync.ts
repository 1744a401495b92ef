// ModelConfig status hook (a CompositeController without children): Accepted when every Secret key the
// ModelConfig reads exists, and secretHash, a hash of those keys' values, so a key rotation is visible in status.
// Its one child is the view Agents read instead of the Secrets themselves (resolve/view.ts).
// Pure: the same request and `now` give the same response; `now` is used only when Accepted changes status.
import { describeUnsupported } from '../../crds/index.js';
import { unsupportedCondition } from '../agent/status.js';
import { observedConditions, withTransitionTime, type DesiredCondition } from '../conditions.js';
import type { SyncRequest, SyncResponse } from '../protocol.js';
import { hashValues, parentNamespace, secretKey } from '../secrets.js';
import { lookup } from '../protocol.js';
import { publishView } from '../resolve/publish.js';
import { modelConfigViewRefs, referencedSecretKeys } from './refs.js';

export interface StatusHookOptions {
  /** RFC 3339 time used as lastTransitionTime when a condition changes status. */
  now: string;
}

export function syncModelConfig(req: SyncRequest, opts: StatusHookOptions): SyncResponse {
  const parent = req.parent;
  const ns = parentNamespace(parent);
  const generation = parent.metadata.generation;
  const values: Record<string, string> = {};
  let accepted: DesiredCondition = {
    type: 'Accepted',
    status: 'True',
    reason: 'Reconciled',
    message: 'all referenced Secrets found',
    observedGeneration: generation,
  };
  for (const ref of referencedSecretKeys(parent)) {
    if (ref.whole) {
      const secret = lookup(req.related, 'Secret', 'v1', ns, ref.secret);
      if (!secret) {
        accepted = {
          type: 'Accepted',
          status: 'False',
          reason: 'SecretNotFound',
          message: `Secret ${ns}/${ref.secret} not found`,
          observedGeneration: generation,
        };
        break;
      }
      for (const key of Object.keys((secret.data as Record<string, string> | undefined) ?? {})) {
        const v = secretKey(req.related, ns, ref.secret, key);
        if (v.found) values[`${ref.secret}/${key}`] = v.value;
      }
      continue;
    }
    if (!ref.key) {
      accepted = {
        type: 'Accepted',
        status: 'False',
        reason: 'InvalidSpec',
        message: `${ref.field} is required when the Secret ${ref.secret} is referenced`,
        observedGeneration: generation,
      };
      break;
    }
    const v = secretKey(req.related, ns, ref.secret, ref.key);
    if (!v.found) {
      accepted = {
        type: 'Accepted',
        status: 'False',
        reason: v.reason,
        message: v.message,
        observedGeneration: generation,
      };
      break;
    }
    values[`${ref.secret}/${ref.key}`] = v.value;
  }
  const status: Record<string, unknown> = {
    observedGeneration: generation,
    conditions: [
      withTransitionTime(observedConditions(parent), accepted, opts.now),
      // The ModelConfig's own accepted-but-not-honoured fields, also where no Agent uses it yet.
      withTransitionTime(
        observedConditions(parent),
        { ...unsupportedCondition(describeUnsupported('ModelConfig', parent)), observedGeneration: generation },
        opts.now,
      ),
    ],
  };
  // Only a complete set of values is hashed: a partial hash would change again when the missing Secret appears.
  // While not accepted, the last good hash stays (the agents using this ModelConfig keep running on it).
  if (accepted.status === 'True') {
    if (Object.keys(values).length > 0) status.secretHash = hashValues(values);
  } else {
    const previous = (parent.status as { secretHash?: unknown } | undefined)?.secretHash;
    if (typeof previous === 'string') status.secretHash = previous;
  }
  return { status, children: publishView('ModelConfig', req, modelConfigViewRefs(parent)) };
}
