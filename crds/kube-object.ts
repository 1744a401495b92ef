// Any Kubernetes object as JSON, and the meta/v1 structures every kind shares: @kubernetes/client-node's models as
// they appear on the wire (`Json<T>`: timestamps are RFC 3339 strings, not client-node's `Date`). The one
// definition: the kagent kinds (types.ts), the sync hooks' Metacontroller protocol and the CLI's manifest reader all
// use these.

import type {
  V1Condition,
  V1LabelSelector,
  V1ManagedFieldsEntry,
  V1ObjectMeta,
  V1OwnerReference,
} from '@kubernetes/client-node';
import type { Json } from './schema/builders.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type ObjectMeta = Json<V1ObjectMeta>;

/**
 * An object of a client-node model (`KubeManifest<V1Deployment>`) as this project builds it: plain JSON with its
 * apiVersion, kind and metadata set.
 */
export type KubeManifest<T> = Omit<Json<T>, 'apiVersion' | 'kind' | 'metadata'> & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
};
export type OwnerReference = Json<V1OwnerReference>;
export type ManagedFieldsEntry = Json<V1ManagedFieldsEntry>;
export type LabelSelector = Json<V1LabelSelector>;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** metav1.Condition as written by a controller (every field but observedGeneration is required there). */
export type Condition = Json<V1Condition> & { status: ConditionStatus };
