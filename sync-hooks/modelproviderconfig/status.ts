// ModelProviderConfig status (kagent's conditions SecretResolved, ModelsDiscovered and Ready; discoveredModels,
// modelCount, lastDiscoveryTime, secretHash). Pure: the discovery happened before (discover.ts) and its outcome is an
// input, as is `now`, used only where something changed, so an unchanged resync returns the same bytes.
import { describeUnsupported } from '../../crds/index.js';
import { unsupportedCondition } from '../agent/status.js';
import { observedConditions, withTransitionTime, type DesiredCondition } from '../conditions.js';
import type { KubeObject, SyncResponse } from '../protocol.js';
import { refreshAfterSeconds } from '../refresh/probe-cache.js';
import { hashValues } from '../secrets.js';
import { MAX_MODELS, type DiscoveryOutcome } from './discover.js';

export interface StatusInput {
  /** `notRequired`: the type authenticates with no Secret (Ollama) and none is named. */
  secret: { ok: true; notRequired: true } | { ok: true; hashInput?: Record<string, string> } | SpecProblem;
  /** The discovery's outcome; a spec problem found before discovering is `{ok: false, reason: 'InvalidSpec'}`. */
  discovery: DiscoveryOutcome | SpecProblem;
}

export interface SpecProblem {
  ok: false;
  reason: string;
  message: string;
}

interface ObservedStatus {
  discoveredModels?: unknown;
  lastDiscoveryTime?: unknown;
  secretHash?: unknown;
  observedGeneration?: unknown;
}

export function modelProviderConfigStatus(
  parent: KubeObject,
  input: StatusInput,
  opts: { now: string; refreshSeconds?: number },
): SyncResponse {
  const generation = parent.metadata.generation;
  const observed = (parent.status ?? {}) as ObservedStatus;
  const previousModels = Array.isArray(observed.discoveredModels)
    ? observed.discoveredModels.filter((m): m is string => typeof m === 'string')
    : [];
  const { secret, discovery } = input;
  const cond = (type: string, ok: boolean, reason: string, message: string): DesiredCondition => ({
    type,
    status: ok ? 'True' : 'False',
    reason,
    message,
    observedGeneration: generation,
  });

  const secretCondition =
    'notRequired' in secret
      ? cond('SecretResolved', true, 'SecretNotRequired', `type ${specType(parent)} needs no API key`)
      : secret.ok
        ? cond('SecretResolved', true, 'SecretResolved', 'the API key Secret was found')
        : cond('SecretResolved', false, secret.reason, secret.message);

  let modelsCondition: DesiredCondition;
  let models = previousModels;
  let discovered = false;
  if (discovery.ok) {
    models = discovery.models;
    discovered = models.length > 0;
    const capped =
      discovery.listed > models.length
        ? `; the provider listed ${discovery.listed}, the first ${MAX_MODELS} by name are kept`
        : '';
    modelsCondition = discovered
      ? cond(
          'ModelsDiscovered',
          true,
          'ModelsDiscovered',
          `discovered ${models.length} model${models.length === 1 ? '' : 's'}${capped}`,
        )
      : cond('ModelsDiscovered', false, 'NoModelsFound', 'the provider listed no models');
  } else {
    modelsCondition = cond('ModelsDiscovered', false, discovery.reason, discovery.message);
  }
  const ready =
    secretCondition.status === 'True' && discovered
      ? cond('Ready', true, 'Ready', `${models.length} model${models.length === 1 ? '' : 's'} available`)
      : secretCondition.status !== 'True'
        ? cond('Ready', false, secretCondition.reason, secretCondition.message)
        : cond('Ready', false, modelsCondition.reason, modelsCondition.message);

  const conditions = observedConditions(parent);
  const status: Record<string, unknown> = {
    observedGeneration: generation,
    conditions: [
      withTransitionTime(conditions, ready, opts.now),
      withTransitionTime(conditions, secretCondition, opts.now),
      withTransitionTime(conditions, modelsCondition, opts.now),
      withTransitionTime(
        conditions,
        { ...unsupportedCondition(describeUnsupported('ModelProviderConfig', parent)), observedGeneration: generation },
        opts.now,
      ),
    ],
    // On failure the last good list stays (with Ready=False saying why), as for a RemoteMCPServer's tools.
    discoveredModels: models,
    modelCount: models.length,
  };
  // The time of the last successful discovery that found something new: a changed list, a changed spec, or the
  // first. A periodic discovery that lists the same models keeps it, so a steady provider costs no status write.
  const changed =
    discovery.ok &&
    (typeof observed.lastDiscoveryTime !== 'string' ||
      observed.observedGeneration !== generation ||
      !sameList(previousModels, models));
  if (changed) status.lastDiscoveryTime = opts.now;
  else if (typeof observed.lastDiscoveryTime === 'string') status.lastDiscoveryTime = observed.lastDiscoveryTime;
  if ('hashInput' in secret && secret.ok && secret.hashInput) status.secretHash = hashValues(secret.hashInput);
  else if (!secret.ok && typeof observed.secretHash === 'string') status.secretHash = observed.secretHash;
  return {
    status,
    children: [],
    resyncAfterSeconds: refreshAfterSeconds(discovery.ok && secret.ok, opts.refreshSeconds),
  };
}

function specType(parent: KubeObject): string {
  return String((parent.spec as { type?: unknown } | undefined)?.type ?? '');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
