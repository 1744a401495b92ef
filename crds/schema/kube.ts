// The core/v1 and meta/v1 structures kagent embeds in its API. The small ones are declared field by field so that
// mistakes are caught at admission; the large ones (Volume, Affinity, Container) are kept free-form because
// Kubernetes validates them in full when the agent's Deployment is created — copying thousands of lines of core/v1
// schema here would add no safety.
//
// Each node's TS type (builders.ts `TypeOf`) is @kubernetes/client-node's model where one fits: the annotation
// `Schema<Json<V1X>>` compiles only when the schema's own type is assignable to the model. ResourceRequirements and
// metav1 Condition keep the schema's type: client-node's are narrower than what the API accepts here (a quantity may
// be an integer; a status condition needs only type and status).
import type {
  V1Affinity,
  V1AppArmorProfile,
  V1Container,
  V1EnvFromSource,
  V1EnvVar,
  V1LabelSelector,
  V1LocalObjectReference,
  V1ObjectFieldSelector,
  V1PodSecurityContext,
  V1ResourceFieldSelector,
  V1SELinuxOptions,
  V1SeccompProfile,
  V1SecurityContext,
  V1Sysctl,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
  V1WindowsSecurityContextOptions,
} from '@kubernetes/client-node';
import { arr, bool, freeform, int64, intOrString, map, obj, str, strEnum, type Json, type Schema } from './builders.js';

export const localObjectReference = (description: string): Schema<Json<V1LocalObjectReference>> =>
  obj(description, { name: str('Name of the referent in the same namespace.') });

const keySelector = (what: string) =>
  obj(
    `Selects a key of a ${what}.`,
    {
      name: str(`Name of the ${what}.`),
      key: str(`The key to select.`),
      optional: bool(`Whether the ${what} or its key may be missing.`),
    },
    ['key'],
  );

export const configMapKeySelector = keySelector('ConfigMap');

export const envVar: Schema<Json<V1EnvVar>> = obj(
  'An environment variable for a container.',
  {
    name: str('Name of the environment variable.'),
    value: str('Literal value of the variable.'),
    valueFrom: obj('Source for the variable value; cannot be used with value.', {
      secretKeyRef: keySelector('Secret'),
      configMapKeyRef: keySelector('ConfigMap'),
      fieldRef: freeform<V1ObjectFieldSelector>('Selects a field of the pod (core/v1 ObjectFieldSelector).'),
      resourceFieldRef: freeform<V1ResourceFieldSelector>(
        'Selects a resource of the container (core/v1 ResourceFieldSelector).',
      ),
      fileKeyRef: obj(
        'Selects a key of an env file on a volume (core/v1 FileKeySelector; needs the EnvFiles feature gate).',
        {
          volumeName: str('The name of the volume mount containing the env file.'),
          path: str('The path of the env file within the volume; relative, without "..".'),
          key: str('The key within the env file.'),
          optional: bool('Whether the file or its key may be missing (the variable is then not set).'),
        },
        ['key', 'path', 'volumeName'],
      ),
    }),
  },
  ['name'],
);

const envFromRef = (what: string) =>
  obj(`The ${what} to select from.`, {
    name: str(`Name of the ${what}.`),
    optional: bool(`Whether the ${what} may be missing.`),
  });

export const envFromSource: Schema<Json<V1EnvFromSource>> = obj(
  'A source of a set of environment variables (core/v1 EnvFromSource).',
  {
    configMapRef: envFromRef('ConfigMap'),
    secretRef: envFromRef('Secret'),
    prefix: str("Text prepended to the name of each variable; any printable ASCII except '='."),
  },
);

export const resourceRequirements = obj('Compute resources (core/v1 ResourceRequirements).', {
  limits: map('Maximum amount of compute resources allowed, e.g. cpu: 500m, memory: 1Gi.', intOrString('A quantity.')),
  requests: map('Minimum amount of compute resources required.', intOrString('A quantity.')),
  claims: arr('Dynamically allocated resources (core/v1 ResourceClaim).', freeform('A resource claim.')),
});

export const toleration: Schema<Json<V1Toleration>> = obj('A toleration of a node taint (core/v1 Toleration).', {
  key: str('The taint key the toleration applies to; empty matches all keys.'),
  operator: str('Exists or Equal (default Equal).'),
  value: str('The taint value the toleration matches.'),
  effect: str('NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.'),
  tolerationSeconds: int64('How long a NoExecute taint is tolerated.'),
});

const capabilities = obj('Linux capabilities to add or drop.', {
  add: arr('Capabilities to add.', str('A capability name.')),
  drop: arr('Capabilities to drop.', str('A capability name.')),
});

const seccompProfile = freeform<V1SeccompProfile>('The seccomp profile (core/v1 SeccompProfile).');
const seLinuxOptions = freeform<V1SELinuxOptions>('SELinux options (core/v1 SELinuxOptions).');
const windowsOptions = freeform<V1WindowsSecurityContextOptions>(
  'Windows-specific options (core/v1 WindowsSecurityContextOptions).',
);
const appArmorProfile = freeform<V1AppArmorProfile>('The AppArmor profile (core/v1 AppArmorProfile).');

export const securityContext: Schema<Json<V1SecurityContext>> = obj(
  'Container security settings (core/v1 SecurityContext).',
  {
    allowPrivilegeEscalation: bool('Whether a process can gain more privileges than its parent.'),
    capabilities,
    privileged: bool('Run the container in privileged mode.'),
    procMount: str('The proc mount type.'),
    readOnlyRootFilesystem: bool('Mount the root filesystem read-only.'),
    runAsGroup: int64('GID to run the entrypoint as.'),
    runAsNonRoot: bool('Require the container to run as a non-root user.'),
    runAsUser: int64('UID to run the entrypoint as.'),
    seccompProfile,
    seLinuxOptions,
    windowsOptions,
    appArmorProfile,
  },
);

export const podSecurityContext: Schema<Json<V1PodSecurityContext>> = obj(
  'Pod-level security settings (core/v1 PodSecurityContext).',
  {
    fsGroup: int64('A supplemental group applied to all containers, owning mounted volumes.'),
    fsGroupChangePolicy: str('OnRootMismatch or Always.'),
    runAsGroup: int64('GID to run container entrypoints as.'),
    runAsNonRoot: bool('Require containers to run as a non-root user.'),
    runAsUser: int64('UID to run container entrypoints as.'),
    supplementalGroups: arr('Additional groups for the first process of each container.', int64('A GID.')),
    supplementalGroupsPolicy: str('Merge or Strict.'),
    sysctls: arr('Namespaced sysctls for the pod.', freeform<V1Sysctl>('A sysctl (core/v1 Sysctl).')),
    seccompProfile,
    seLinuxOptions,
    seLinuxChangePolicy: str('How SELinux labels are applied to volumes.'),
    windowsOptions,
    appArmorProfile,
  },
);

export const volumeMount: Schema<Json<V1VolumeMount>> = obj(
  'A volume mounted into a container (core/v1 VolumeMount).',
  {
    name: str('Name of a volume of the pod.'),
    mountPath: str('Path in the container at which to mount the volume.'),
    readOnly: bool('Mount read-only.'),
    subPath: str('Path within the volume to mount instead of its root.'),
    subPathExpr: str('Like subPath, expanded with environment variables.'),
    mountPropagation: str('How mounts are propagated between host and container.'),
    recursiveReadOnly: str('Whether read-only mounts are recursively read-only.'),
  },
  ['name', 'mountPath'],
);

export const volume = freeform<Json<V1Volume>>(
  'A pod volume (core/v1 Volume), validated by Kubernetes when the Deployment is created.',
);
export const affinity = freeform<Json<V1Affinity>>(
  'Scheduling constraints (core/v1 Affinity), validated by Kubernetes with the Deployment.',
);
export const container = freeform<Json<V1Container>>(
  'A container (core/v1 Container), validated by Kubernetes with the Deployment.',
);

export const labelSelector: Schema<Json<V1LabelSelector>> = obj('A label query over objects (meta/v1 LabelSelector).', {
  matchLabels: map('Labels that must all match.'),
  matchExpressions: arr(
    'Label selector requirements; all must match.',
    obj(
      'A label selector requirement.',
      {
        key: str('The label key.'),
        operator: str('In, NotIn, Exists or DoesNotExist.'),
        values: arr('Values for In and NotIn.', str('A value.')),
      },
      ['key', 'operator'],
    ),
  ),
});

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
