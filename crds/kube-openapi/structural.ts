// The Kubernetes OpenAPI v3 (kube-apiserver's /openapi/v3/api/v1) → the committed fragment of the core/v1 structures
// kagent's API embeds, in the form the API server accepts inside a CRD (a structural schema). Pure: the document in,
// the fragment out; crds/kube-openapi/generate.ts fetches the document and writes the file.
//
// What changes on the way, and why:
// - `allOf: [{$ref}]` (how the OpenAPI attaches a field description to a referenced type) becomes `{$ref, description}`
//   with the name shortened; crds/schema/kube.ts inlines the references (a CRD may not hold `$ref`), the field's
//   description replacing the type's, so each structure's own description is written once per place it is used.
// - `default`s are dropped: Kubernetes applies them when it creates the Deployment, and a CRD default would change
//   the stored Agent (and so what the sync hooks write) — an Agent is stored as written.
// - `x-kubernetes-patch-*`, `x-kubernetes-unions` and `x-kubernetes-group-version-kind` are not CRD schema fields.
// - Quantity and IntOrString become `x-kubernetes-int-or-string`; ObjectMeta (only in an ephemeral volume's claim
//   template) is kept as written, as controller-gen does, because a CRD may constrain nested `metadata` only loosely.
// - `x-kubernetes-list-type: map` is kept only when every key is required (the API server's rule, defaults dropped).
// Any other keyword fails the generation, so a new keyword in a later Kubernetes is looked at, not copied blindly.

export type OpenApiNode = Record<string, unknown>;
export interface OpenApiDocument {
  components: { schemas: Record<string, OpenApiNode> };
}

export interface Fragment {
  /** Where the definitions came from: the API server's version and path. */
  source: { kubernetesVersion: string; path: string };
  /** The types crds/schema/kube.ts exports, by their OpenAPI name. */
  roots: string[];
  /** Every definition reachable from the roots, in structural form, references as `{"$ref": name}`. */
  definitions: Record<string, OpenApiNode>;
}

const REF_PREFIX = '#/components/schemas/';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const INT_OR_STRING = [
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
];
/** resource.Quantity's grammar (its description; the same regular expression controller-gen writes). */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Keywords copied as they are. */
const KEPT = new Set([
  'type',
  'description',
  'format',
  'enum',
  'required',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
]);
/** Keywords a CRD schema does not take, or that only strategic merge patch reads. */
const DROPPED = new Set([
  'default',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-unions',
  'x-kubernetes-group-version-kind',
]);

const refName = (ref: unknown, at: string): string => {
  if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) throw new Error(`${at}: unexpected $ref ${String(ref)}`);
  return ref.slice(REF_PREFIX.length);
};

/** The referenced name of a node that is only a reference (`$ref`, or `allOf` of one `$ref`), else undefined. */
function referenceOf(node: OpenApiNode, at: string): string | undefined {
  if (node.$ref !== undefined) return refName(node.$ref, at);
  const all = node.allOf as OpenApiNode[] | undefined;
  if (all === undefined) return undefined;
  if (all.length !== 1 || all[0].$ref === undefined) throw new Error(`${at}: allOf other than one $ref`);
  return refName(all[0].$ref, at);
}

interface Context {
  schemas: Record<string, OpenApiNode>;
  /** Definitions still to convert. */
  pending: string[];
  seen: Set<string>;
}

function convert(node: OpenApiNode, at: string, ctx: Context): OpenApiNode {
  const ref = referenceOf(node, at);
  if (ref !== undefined) {
    if (!ctx.seen.has(ref)) {
      ctx.seen.add(ref);
      ctx.pending.push(ref);
    }
    return typeof node.description === 'string' ? { $ref: ref, description: node.description } : { $ref: ref };
  }
  const out: OpenApiNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEPT.has(key)) out[key] = value;
    else if (DROPPED.has(key)) continue;
    else if (key === 'properties') {
      const props: Record<string, OpenApiNode> = {};
      for (const [name, child] of Object.entries(value as Record<string, OpenApiNode>))
        props[name] = convert(child, `${at}.${name}`, ctx);
      out.properties = props;
    } else if (key === 'items') out.items = convert(value as OpenApiNode, `${at}[]`, ctx);
    else if (key === 'additionalProperties') {
      out.additionalProperties =
        typeof value === 'object' && value !== null ? convert(value as OpenApiNode, `${at}{}`, ctx) : value;
    } else throw new Error(`${at}: keyword ${key} is not handled (crds/kube-openapi/structural.ts)`);
  }
  return out;
}

/** The definition of `name` in structural form (references unresolved). */
function convertDefinition(name: string, ctx: Context): OpenApiNode {
  const raw = ctx.schemas[name];
  if (raw === undefined) throw new Error(`definition ${name} is not in the document`);
  const description = typeof raw.description === 'string' ? { description: raw.description } : {};
  if (INT_OR_STRING.includes(name)) {
    const pattern = name.endsWith('.Quantity') ? { pattern: QUANTITY_PATTERN } : {};
    return {
      ...description,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      ...pattern,
      'x-kubernetes-int-or-string': true,
    };
  }
  if (name === OBJECT_META) return { ...description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return convert(raw, name, ctx);
}

/**
 * A list-map needs each key required or defaulted. Defaults are dropped (above), so a list whose keys are not all
 * required (ContainerPort's protocol) loses its list-type and stays a plain list, as written.
 */
function fixListMaps(defs: Record<string, OpenApiNode>): void {
  const visit = (node: OpenApiNode): void => {
    if (node.properties)
      for (const child of Object.values(node.properties as Record<string, OpenApiNode>)) visit(child);
    if (node.items) visit(node.items as OpenApiNode);
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties as OpenApiNode);
    if (node['x-kubernetes-list-type'] !== 'map') return;
    const item = (node.items as OpenApiNode).$ref as string | undefined;
    const target = item === undefined ? (node.items as OpenApiNode) : defs[item];
    const required = new Set((target.required as string[] | undefined) ?? []);
    if (!(node['x-kubernetes-list-map-keys'] as string[]).every((k) => required.has(k))) {
      delete node['x-kubernetes-list-type'];
      delete node['x-kubernetes-list-map-keys'];
    }
  };
  for (const def of Object.values(defs)) visit(def);
}

/** The fragment for `roots` (OpenAPI names) of `doc`; definitions sorted by name so that the output is stable. */
export function toFragment(doc: OpenApiDocument, roots: string[], source: Fragment['source']): Fragment {
  const ctx: Context = { schemas: doc.components.schemas, pending: [...roots], seen: new Set(roots) };
  const defs: Record<string, OpenApiNode> = {};
  while (ctx.pending.length > 0) {
    const name = ctx.pending.shift()!;
    defs[name] = convertDefinition(name, ctx);
  }
  fixListMaps(defs);
  const definitions: Record<string, OpenApiNode> = {};
  for (const name of Object.keys(defs).sort()) definitions[name] = defs[name];
  return { source, roots, definitions };
}

/** The committed file's bytes. */
export const renderFragment = (f: Fragment): string => `${JSON.stringify(f, null, 2)}\n`;
