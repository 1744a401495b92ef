// The core/v1 and meta/v1 structures kagent embeds in its API (containers, env, volumes, affinity, tolerations,
// security contexts, resources, label selectors), field by field as the pinned kube-apiserver describes them: they
// come from crds/kube-openapi/core-v1.json, generated from its /openapi/v3 (crds/kube-openapi/generate.ts). So
// `kubectl explain` shows Kubernetes' own descriptions, and a bad toleration is refused when the Agent is applied
// rather than when its Deployment is written. Conditions are ours (looser than metav1.Condition on purpose).
//
// Each structure's TS type (builders.ts `TypeOf`) is @kubernetes/client-node's model as JSON, except that a resource
// quantity may also be an integer here (as the API accepts it; client-node types it as a string).
import type {
  V1Affinity,
  V1ConfigMapKeySelector,
  V1Container,
  V1EnvFromSource,
  V1EnvVar,
  V1LabelSelector,
  V1LocalObjectReference,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import fragmentJson from '../kube-openapi/core-v1.json' with { type: 'json' };
import type { Fragment, OpenApiNode } from '../kube-openapi/structural.js';
import { arr, int64, obj, str, strEnum, typed, type Json, type Schema } from './builders.js';

const fragment = fragmentJson as unknown as Fragment;

/** Each definition with its references inlined, built once (a structure used in several places is one object). */
const resolved = new Map<string, Schema>();
const inProgress = new Set<string>();

function inline(node: OpenApiNode, at: string): Schema {
  if (typeof node.$ref === 'string') {
    const target = definition(node.$ref);
    return node.description === undefined ? target : { ...target, description: node.description as string };
  }
  const out: Record<string, unknown> = { ...node };
  if (node.properties) {
    const props: Record<string, Schema> = {};
    for (const [name, child] of Object.entries(node.properties as Record<string, OpenApiNode>))
      props[name] = inline(child, `${at}.${name}`);
    out.properties = props;
  }
  if (node.items) out.items = inline(node.items as OpenApiNode, `${at}[]`);
  if (typeof node.additionalProperties === 'object')
    out.additionalProperties = inline(node.additionalProperties as OpenApiNode, `${at}{}`);
  return out as Schema;
}

/**
 * Fields kagent's CRDs have (built against a newer k8s.io/api) that the pinned API server does not serve, added so that
 * kagent YAML applies unchanged. They reach the Deployment as written; an older API server prunes them, so
 * crds/unsupported.ts reports them. Descriptions from kagent's CRD (Kubernetes v1.35).
 */
const NEWER_FIELDS: Record<string, Record<string, Schema>> = {
  'io.k8s.api.core.v1.PodCertificateProjection': {
    userAnnotations: {
      type: 'object',
      description:
        'userAnnotations allow pod authors to pass additional information to the signer implementation. ' +
        'Kubernetes does not restrict or validate this metadata in any way (Kubernetes v1.35; not in v1.34).',
      additionalProperties: { type: 'string' },
    },
  },
};

function definition(name: string): Schema {
  const done = resolved.get(name);
  if (done) return done;
  const raw = fragment.definitions[name];
  if (raw === undefined) throw new Error(`crds/kube-openapi/core-v1.json has no definition ${name}`);
  // A CRD cannot hold a recursive schema; core/v1 has none today, and a later one must not loop here.
  if (inProgress.has(name)) throw new Error(`crds/kube-openapi/core-v1.json: ${name} is recursive`);
  inProgress.add(name);
  const inlined = inline(raw, name);
  const extra = NEWER_FIELDS[name];
  const schema = extra ? { ...inlined, properties: { ...inlined.properties, ...extra } } : inlined;
  inProgress.delete(name);
  resolved.set(name, schema);
  return schema;
}

/**
 * Schema node → the @kubernetes/client-node model it is (`V1Toleration`, ...), for deriving TS types; kept for nodes
 * made with `described` too.
 */
export const KUBE_MODELS = new Map<Schema, string>();

function root(openApiName: string): Schema {
  if (!fragment.roots.includes(openApiName)) throw new Error(`${openApiName} is not a root of core-v1.json`);
  const schema = definition(openApiName);
  KUBE_MODELS.set(schema, `V1${openApiName.slice(openApiName.lastIndexOf('.') + 1)}`);
  return schema;
}

/** `schema` with the description of the place it is used at (its type and model entry kept). */
export function described<T>(schema: Schema<T>, description: string): Schema<T> {
  const out: Schema<T> = { ...schema, description };
  const model = KUBE_MODELS.get(schema);
  if (model !== undefined) KUBE_MODELS.set(out, model);
  return out;
}

const core = <T>(kind: string): Schema<Json<T>> => typed<Json<T>>(root(`io.k8s.api.core.v1.${kind}`));

type Quantities = Record<string, number | string>;
type ResourceRequirements = Omit<Json<V1ResourceRequirements>, 'limits' | 'requests'> & {
  limits?: Quantities;
  requests?: Quantities;
};

export const affinity = core<V1Affinity>('Affinity');
export const configMapKeySelector = core<V1ConfigMapKeySelector>('ConfigMapKeySelector');
export const container = core<V1Container>('Container');
export const envFromSource = core<V1EnvFromSource>('EnvFromSource');
export const envVar = core<V1EnvVar>('EnvVar');
export const podSecurityContext = core<V1PodSecurityContext>('PodSecurityContext');
export const resourceRequirements = typed<ResourceRequirements>(core<V1ResourceRequirements>('ResourceRequirements'));
export const securityContext = core<V1SecurityContext>('SecurityContext');
export const toleration = core<V1Toleration>('Toleration');
export const volume = core<V1Volume>('Volume');
export const volumeMount = core<V1VolumeMount>('VolumeMount');
export const labelSelector = typed<Json<V1LabelSelector>>(root('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'));
const localObjectReferenceSchema = core<V1LocalObjectReference>('LocalObjectReference');
export const localObjectReference = (description: string) => described(localObjectReferenceSchema, description);

export const condition = obj(
  'One aspect of the current state of the object (meta/v1 Condition).',
  {
    type: str('Type of the condition, e.g. Ready or Accepted.'),
    status: strEnum('Status of the condition.', ['True', 'False', 'Unknown']),
    reason: str('A CamelCase machine-readable reason for the last transition.'),
    message: str('A human-readable message about the transition.'),
    lastTransitionTime: str('When the condition last changed status (RFC 3339).'),
    observedGeneration: int64('The .metadata.generation the condition was set for.'),
  },
  ['type', 'status'],
);

export const conditions = arr('Current conditions of the object.', condition);
export const observedGeneration = int64('The most recent generation observed by the controller.');
