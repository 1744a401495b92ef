// Builds the apiextensions.k8s.io/v1 CustomResourceDefinition of each kind from crds/kinds.ts (pure; generate.ts
// writes the YAML).
import { celRulesOf, withCel } from './cel.js';
import { API_VERSION, GROUP, KIND_NAMES, KINDS, VERSION, objectSchema, type KindName } from './kinds.js';

export function crdFor(kind: KindName): Record<string, unknown> {
  const def = KINDS[kind];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/part-of': 'metagent' },
    },
    spec: {
      group: GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
        categories: ['kagent'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns,
          schema: { openAPIV3Schema: withCel(objectSchema(def), celRulesOf(kind)) },
        },
      ],
    },
  };
}

export const crdFileName = (kind: KindName): string => `${GROUP}_${KINDS[kind].plural}.yaml`;
export const allCrds = (): { file: string; crd: Record<string, unknown> }[] =>
  KIND_NAMES.map((k) => ({ file: crdFileName(k), crd: crdFor(k) }));
export { API_VERSION };
