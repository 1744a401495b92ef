// An MCP server that acts with the calling agent's identity (metagent's tool server, or any server that checks tokens
// with TokenReview) is annotated with the audience it accepts; the agent pod then gets a projected ServiceAccount
// token for that audience (kubelet writes it and rotates it before it expires) and config.json tells the runtime
// which file to send as the bearer token. Servers without the annotation change nothing in the pod or the config.
import type { RemoteMCPServer } from '../../crds/types.js';
import { TOKEN_AUDIENCE_ANNOTATION, TOKEN_MOUNT_DIR } from '../../lib/service-account-token.js';
import { ResolutionError } from '../resolve/errors.js';
import type { ModelDeploymentData } from './providers/common.js';

/** The pod volume holding one token per audience. */
export const TOKEN_VOLUME = 'metagent-serviceaccount-tokens';
/** kubelet refreshes a projected token at 80% of its lifetime; an hour is Kubernetes' own default. */
const TOKEN_EXPIRATION_SECONDS = 3600;
// The audience becomes the token's file name, so it is a DNS subdomain (no '/', no '..').
const AUDIENCE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The audience the server asks for, or undefined when it asks for none. */
export function tokenAudience(server: RemoteMCPServer, what: string): string | undefined {
  const value = server.metadata.annotations?.[TOKEN_AUDIENCE_ANNOTATION];
  if (value === undefined) return undefined;
  if (value.length > 253 || !AUDIENCE.test(value)) {
    throw new ResolutionError(
      'InvalidSpec',
      `${what}: annotation ${TOKEN_AUDIENCE_ANNOTATION}: "${value}" is not a valid audience (a DNS subdomain: lowercase letters, digits, '-' and '.')`,
    );
  }
  return value;
}

/** Mount a token for `audience` (once per audience) and return the file the runtime reads it from. */
export function addTokenMount(dd: ModelDeploymentData, audience: string): string {
  let volume = dd.volumes.find((v) => v.name === TOKEN_VOLUME) as
    { name: string; projected: { sources: { serviceAccountToken: { audience: string } }[] } } | undefined;
  if (!volume) {
    // defaultMode and expirationSeconds written out: the API server would default them, and a child that differs
    // from its stored form is rewritten on every resync.
    volume = { name: TOKEN_VOLUME, projected: { defaultMode: 0o644, sources: [] } } as never;
    dd.volumes.push(volume as never);
    dd.volumeMounts.push({ name: TOKEN_VOLUME, mountPath: TOKEN_MOUNT_DIR, readOnly: true });
  }
  const sources = volume!.projected.sources;
  if (!sources.some((s) => s.serviceAccountToken.audience === audience)) {
    sources.push({
      serviceAccountToken: { audience, expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: audience },
    } as never);
  }
  return `${TOKEN_MOUNT_DIR}/${audience}`;
}
