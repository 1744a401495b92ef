// The admission decisions, as pure functions of the request: defaulting (a JSON Patch from the schema defaults) and
// validation (schema + cross-field rules, and warnings for accepted-but-unsupported fields). No I/O, no clock.
import {
  applyConditionalDefaults,
  defaultsShared,
  describeUnsupported,
  formatFieldError,
  GROUP,
  KIND_NAMES,
  validate,
  type KindName,
} from '../crds/index.js';
import { sharedPatch } from './patch.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';

export type Decision = 'allowed' | 'patched' | 'denied' | 'skipped';
export interface Outcome {
  response: AdmissionResponse;
  decision: Decision;
  kind: string;
}

/** Which requests we act on: CREATE and UPDATE of the main resource of one of our kinds. Everything else passes. */
function ourKind(req: AdmissionRequest): KindName | undefined {
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return undefined;
  if (req.subResource) return undefined; // status (and scale) updates are the controllers' business
  if (req.kind.group !== GROUP) return undefined;
  return (KIND_NAMES as readonly string[]).includes(req.kind.kind) ? (req.kind.kind as KindName) : undefined;
}

const allow = (req: AdmissionRequest, decision: Decision = 'skipped'): Outcome => ({
  response: { uid: req.uid, allowed: true },
  decision,
  kind: req.kind.kind,
});

/**
 * /mutate: the schema defaults and the conditional defaults (crds/conditional-defaults.ts) as a JSON Patch; no patch
 * at all when the object already carries them. An invalid object is refused here already, with every error and its
 * field path: the API server checks the CRD's schema and CEL rules after mutating and before validating admission,
 * so a refusal left to /validate would never be seen for a rule the CRD also carries (only the CEL messages would).
 */
export function mutate(req: AdmissionRequest): Outcome {
  const kind = ourKind(req);
  if (!kind || typeof req.object !== 'object' || req.object === null || Array.isArray(req.object)) return allow(req);
  const refusal = refuse(req, kind);
  if (refusal) return refusal;
  // Only the defaulted subtrees are new objects, so the diff (rfc6902's, on the differing parts) skips the rest.
  // The structural defaults are the CRD's (the API server has applied them already); the conditional ones only
  // the webhook can apply.
  const patch = sharedPatch(req.object, applyConditionalDefaults(kind, defaultsShared(kind, req.object)));
  if (patch.length === 0) return allow(req, 'allowed');
  return {
    response: {
      uid: req.uid,
      allowed: true,
      patchType: 'JSONPatch',
      patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
    },
    decision: 'patched',
    kind,
  };
}

const MAX_WARNINGS = 20;
/** A refusal lists at most this many errors, so a garbage object cannot produce a megabyte-long message. */
const MAX_ERRORS = 50;

/**
 * /validate: refuse with every field error at once (again: another mutating webhook may have changed the object after
 * ours); warn about fields metagent accepts but does not honour.
 */
export function validateRequest(req: AdmissionRequest): Outcome {
  const kind = ourKind(req);
  if (!kind) return allow(req);
  const refusal = refuse(req, kind);
  if (refusal) return refusal;
  const warnings = describeUnsupported(kind, req.object)
    .slice(0, MAX_WARNINGS)
    .map((u) => `${u.path}: accepted but not supported by metagent yet (${u.reason})`);
  return {
    response: warnings.length > 0 ? { uid: req.uid, allowed: true, warnings } : { uid: req.uid, allowed: true },
    decision: 'allowed',
    kind,
  };
}

/** The refusal of an invalid object (schema and rules, every error at once), or undefined when it is valid. */
function refuse(req: AdmissionRequest, kind: KindName): Outcome | undefined {
  const errors = validate(kind, req.object);
  if (errors.length > 0) {
    const name = describeName(req);
    return {
      response: {
        uid: req.uid,
        allowed: false,
        // No reason/details: with reason Invalid and causes, kubectl prints "The request is invalid" and drops the
        // kind and name; a plain message reaches the user as "admission webhook ... denied the request: <message>".
        status: {
          code: 422,
          message:
            `${kind} ${name} is invalid: ${errors.slice(0, MAX_ERRORS).map(formatFieldError).join('; ')}` +
            (errors.length > MAX_ERRORS ? `; and ${errors.length - MAX_ERRORS} more errors` : ''),
        },
      },
      decision: 'denied',
      kind,
    };
  }
  return undefined;
}

function describeName(req: AdmissionRequest): string {
  const meta = (req.object as { metadata?: { name?: unknown; generateName?: unknown } } | undefined)?.metadata;
  const name = typeof req.name === 'string' && req.name ? req.name : typeof meta?.name === 'string' ? meta.name : '';
  return JSON.stringify(name || (typeof meta?.generateName === 'string' ? `${meta.generateName}*` : ''));
}
