// Pieces every model provider shares: the base model fields, kagent's TLS fields and CA mount, float parsing of
// kagent's string-typed numbers, and the secretKeyRef env var that carries an API key (never config.json).
import type { EnvVar, ModelConfig, ModelProvider, TLSConfig, Volume, VolumeMount } from '../../../crds/types.js';
import { createHash } from 'node:crypto';
import { ResolutionError } from '../../resolve/errors.js';
import type { SecretReader } from '../../resolve/related.js';

/** What a model adds to the agent's pod: env vars, volumes and mounts. */
export interface ModelDeploymentData {
  env: EnvVar[];
  volumes: Volume[];
  volumeMounts: VolumeMount[];
}

export interface ProviderInput {
  mc: ModelConfig;
  /** Namespace of the ModelConfig (and of its Secrets). */
  namespace: string;
  /** The ModelConfig's Secrets as its published view (resolve/view.ts), or the sources themselves in render. */
  related: SecretReader;
}

export interface ProviderOutput {
  /** The `model` block of config.json. */
  model: Record<string, unknown>;
  deployment: ModelDeploymentData;
}

export interface ProviderModule {
  provider: ModelProvider;
  translate(input: ProviderInput): ProviderOutput;
}

export function emptyDeploymentData(): ModelDeploymentData {
  return { env: [], volumes: [], volumeMounts: [] };
}

/** A decimal number, or undefined when empty or malformed (kagent's utils.ParseStringToFloat64). */
function parseFloatField(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return undefined;
  return Number(s);
}

/** The user's InvalidSpec for one field of the ModelConfig (`field` below spec), with what is wrong. */
function invalidField(input: ProviderInput, field: string, what: string): ResolutionError {
  const { mc, namespace } = input;
  return new ResolutionError('InvalidSpec', `ModelConfig ${namespace}/${mc.metadata.name}: spec.${field}: ${what}`);
}

/**
 * A decimal-string field kagent itself never sends (so no kagent behaviour to match): absent when unset or empty, and
 * a value that is not a finite decimal number is refused, naming the field, instead of being dropped quietly.
 */
export function decimalField(input: ProviderInput, field: string, s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const n = parseFloatField(s);
  if (n === undefined || !Number.isFinite(n))
    throw invalidField(input, field, `${JSON.stringify(s)} is not a decimal number`);
  return n;
}

/** A count (a token limit, top-k): absent when unset; anything but a whole number of at least 1 is refused. */
export function countField(input: ProviderInput, field: string, n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n) || n < 1) throw invalidField(input, field, `${n} is not a whole number of at least 1`);
  return n;
}

/** Set a key only when the value is defined, so config.json matches Go's omitempty. */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

export function baseModel(type: string, mc: ModelConfig, model = mc.spec.model): Record<string, unknown> {
  const out: Record<string, unknown> = { type, model };
  const headers = mc.spec.defaultHeaders;
  if (headers && Object.keys(headers).length > 0) out.headers = { ...headers };
  return out;
}

const TLS_CA_MOUNT_ROOT = '/etc/ssl/certs/custom';
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** kagent's tlsCAPaths: a per-Secret volume name and mount path (hashed when the name is not a DNS label). */
export function tlsCAPaths(
  secretName: string,
  key: string,
): { volumeName: string; mountPath: string; certPath: string } {
  const candidate = `tls-ca-${secretName}`;
  let id = secretName;
  if (candidate.length > 63 || !DNS1123_LABEL.test(candidate))
    id = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  const mountPath = `${TLS_CA_MOUNT_ROOT}/${id}`;
  return { volumeName: `tls-ca-${id}`, mountPath, certPath: `${mountPath}/${key}` };
}

function tlsIsEmpty(tls: TLSConfig | undefined): boolean {
  return !tls || (!tls.disableVerify && !tls.caCertSecretRef && !tls.caCertSecretKey && !tls.disableSystemCAs);
}

/** kagent's deriveTLSFields: nothing for an empty TLS block, else all three fields (the path only with a CA). */
export function tlsFields(tls: TLSConfig | undefined): Record<string, unknown> {
  if (tlsIsEmpty(tls)) return {};
  const out: Record<string, unknown> = { tls_insecure_skip_verify: tls!.disableVerify ?? false };
  if (tls!.caCertSecretRef && tls!.caCertSecretKey)
    out.tls_ca_cert_path = tlsCAPaths(tls!.caCertSecretRef, tls!.caCertSecretKey).certPath;
  out.tls_disable_system_cas = tls!.disableSystemCAs ?? false;
  return out;
}

/** Mount a TLS CA Secret (read-only, mode 0444) once per Secret; the Secret must exist with its key. */
export function addTLSMount(
  dd: ModelDeploymentData,
  tls: TLSConfig | undefined,
  namespace: string,
  related: SecretReader,
  why: string,
): void {
  if (!tls?.caCertSecretRef || !tls.caCertSecretKey) return;
  related.requireSecretKey(namespace, tls.caCertSecretRef, tls.caCertSecretKey, `${why} TLS CA`);
  const { volumeName, mountPath } = tlsCAPaths(tls.caCertSecretRef, tls.caCertSecretKey);
  if (dd.volumes.some((v) => v.name === volumeName)) return;
  dd.volumes.push({ name: volumeName, secret: { secretName: tls.caCertSecretRef, defaultMode: 0o444 } });
  dd.volumeMounts.push({ name: volumeName, mountPath, readOnly: true });
}

export function secretKeyEnv(name: string, secretName: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/**
 * The usual API-key wiring: unless passthrough is on, an env var from the ModelConfig's Secret. The Secret and key
 * must exist (a missing one would leave the pod in CreateContainerConfigError), and its content feeds the pod hash.
 */
export function addApiKeyEnv(dd: ModelDeploymentData, input: ProviderInput, envName: string): void {
  const { mc, namespace, related } = input;
  if (mc.spec.apiKeyPassthrough || !mc.spec.apiKeySecret) return;
  const key = mc.spec.apiKeySecretKey ?? '';
  related.requireSecretKey(
    namespace,
    mc.spec.apiKeySecret,
    key,
    `API key of ModelConfig ${namespace}/${mc.metadata.name}`,
  );
  dd.env.push(secretKeyEnv(envName, mc.spec.apiKeySecret, key));
}

export function commonModelTail(model: Record<string, unknown>, mc: ModelConfig): void {
  Object.assign(model, tlsFields(mc.spec.tls));
  if (mc.spec.apiKeyPassthrough) model.api_key_passthrough = true;
}
