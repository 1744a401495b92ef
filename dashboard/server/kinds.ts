// What the dashboard reads and writes through the Kubernetes API, derived from crds/ (one source of truth): every
// kagent.dev kind metagent serves, plus the core objects a page needs. Anything not in this table is refused, so the
// backend is never a general-purpose proxy for the user's credentials.
import { GROUP, KINDS, VERSION, type KindDef } from '../../crds/index.js';
import { PROVIDER_FIELDS } from '../../crds/schema/modelconfig.js';

export interface RelayedKind {
  kind: string;
  plural: string;
  /** The API path prefix of the kind, without namespace: `/apis/kagent.dev/v1alpha2` or `/api/v1`. */
  base: string;
  namespaced: true;
  /** Verbs the dashboard may use on it. */
  verbs: ReadonlySet<'list' | 'watch' | 'get' | 'apply' | 'delete'>;
}

const kagent = (def: KindDef): RelayedKind => ({
  kind: def.kind,
  plural: def.plural,
  base: `/apis/${GROUP}/${VERSION}`,
  namespaced: true,
  verbs: new Set(['list', 'watch', 'get', 'apply', 'delete']),
});

export const RELAYED: Record<string, RelayedKind> = Object.fromEntries(
  Object.values(KINDS).map((d) => [d.plural, kagent(d)]),
);

/** The meta the SPA renders from: kinds with their printer columns, and the providers a ModelConfig may name. */
export function dashboardMeta() {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kinds: Object.values(KINDS).map((d) => ({ kind: d.kind, plural: d.plural, printerColumns: d.printerColumns })),
    providers: Object.entries(PROVIDER_FIELDS).map(([provider, field]) => ({ provider, field })),
  };
}

/** The Kubernetes API path of a kind's collection (all namespaces when `namespace` is empty) or one object. */
export function kindPath(k: RelayedKind, namespace: string, name?: string): string {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${k.base}${ns}/${k.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A namespace or object name from the URL; a bad one is refused before it reaches the API server's path. */
export function checkName(what: 'namespace' | 'name', value: string): string | undefined {
  const re = what === 'namespace' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!value || value.length > 253 || !re.test(value))
    return `${what} "${value}" is not a valid Kubernetes ${what === 'namespace' ? 'namespace (DNS label)' : 'object name'}`;
  return undefined;
}
