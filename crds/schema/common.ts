// Structures shared by several kagent kinds (kagent's go/api/v1alpha2/common_types.go and TLSConfig).
import { arr, bool, obj, str, strEnum } from './builders.js';
import { described, labelSelector } from './kube.js';

export const valueSource = obj(
  'A value read from a key of a ConfigMap or Secret in the same namespace.',
  {
    type: strEnum('Whether the value comes from a ConfigMap or a Secret.', ['ConfigMap', 'Secret']),
    name: str('The name of the ConfigMap or Secret.', { maxLength: 253 }),
    key: str('The key of the ConfigMap or Secret.', { maxLength: 253 }),
  },
  ['type', 'name', 'key'],
);

export const valueRef = (what: string) =>
  obj(
    `A ${what}: exactly one of value or valueFrom.`,
    {
      name: str(`The ${what} name.`),
      value: str('A literal value.'),
      valueFrom: { ...valueSource, description: 'Read the value from a ConfigMap or Secret in the same namespace.' },
    },
    ['name'],
  );

export const headersFrom = (description: string) => arr(description, valueRef('header'));

export const allowedNamespaces = (what: string) =>
  obj(
    `Which namespaces may reference this ${what} (Gateway API style cross-namespace handshake). ` +
      'When unset, only objects in the same namespace may reference it.',
    {
      from: strEnum(
        'Where references may come from: All namespaces, the Same namespace, or namespaces matching selector.',
        ['All', 'Same', 'Selector'],
        { default: 'Same' },
      ),
      selector: described(labelSelector, 'Namespaces whose labels match may reference it; used when from is Selector.'),
    },
  );

export const tlsConfig = (what: string) =>
  obj(`TLS settings for outbound HTTPS connections to the ${what}.`, {
    disableVerify: bool('Disable certificate verification entirely. Only for development and testing environments.', {
      default: false,
    }),
    caCertSecretRef: str(
      'Name of a Secret in the same namespace holding PEM CA certificate(s) used to verify the upstream.',
    ),
    caCertSecretKey: str(
      'Key within caCertSecretRef holding the PEM CA certificate(s); required with caCertSecretRef.',
    ),
    disableSystemCAs: bool('Trust only the CA from caCertSecretRef, not the system CA bundle.', { default: false }),
  });
