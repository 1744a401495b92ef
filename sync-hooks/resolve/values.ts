// kagent's ValueSource / ValueRef: a value taken from a ConfigMap or Secret key in a given namespace.
import type { ValueRef, ValueSource } from '../../crds/types.js';
import { ResolutionError } from './errors.js';
import type { SecretReader } from './related.js';

export function resolveValueSource(related: SecretReader, namespace: string, src: ValueSource, why: string): string {
  switch (src.type) {
    case 'Secret':
      return related.secretValue(namespace, src.name, src.key, why);
    case 'ConfigMap':
      return related.configMapValue(namespace, src.name, src.key, why);
    default:
      throw new ResolutionError(
        'InvalidSpec',
        `${why}: unknown value source type "${String((src as ValueSource).type)}"`,
      );
  }
}

/** Resolve headersFrom-style lists into a header map (later entries win, as in kagent). */
export function resolveValueRefs(
  related: SecretReader,
  namespace: string,
  refs: ValueRef[] | undefined,
  why: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of refs ?? []) {
    if (ref.value) out[ref.name] = ref.value;
    else if (ref.valueFrom)
      out[ref.name] = resolveValueSource(related, namespace, ref.valueFrom, `${why} header ${ref.name}`);
    else out[ref.name] = '';
  }
  return out;
}
