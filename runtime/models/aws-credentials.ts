// AWS credentials for Bedrock, looked up in the order the AWS SDKs use (minus shared config files): static keys in the
// environment; a web-identity token (IRSA on EKS: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, which EKS injects into
// pods whose ServiceAccount names a role) exchanged with STS AssumeRoleWithWebIdentity; the container credentials
// endpoint (EKS Pod Identity, ECS: AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI); last, as boto3 under kagent's
// runtime does, the EC2 instance metadata service (IMDSv2: the node's role, when the node lets pods reach it;
// AWS_EC2_METADATA_DISABLED=true turns it off). Temporary credentials are cached until five minutes before they
// expire; the token file is read again for every exchange (the kubelet rotates it). Nothing read here is logged.
import { readFile } from 'node:fs/promises';
import type { AwsCredentials } from './sigv4.js';
import { expiringCache } from './expiring-cache.js';

export interface CredentialSource {
  /** What the credentials come from, for messages ("web identity (AWS_ROLE_ARN ...)"). */
  readonly name: string;
  get(): Promise<AwsCredentials>;
}

const ECS_HOST = 'http://169.254.170.2';
const IMDS_ENDPOINT = 'http://169.254.169.254';
/** Each IMDS request: the SDKs' 1 s, so a pod that cannot reach it fails fast. */
const IMDS_TIMEOUT_MS = 1000;
/** What to do when no source works, for the messages (here and bedrock-auth.ts). */
export const HOW_TO_CONFIGURE =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK, or give the pod an IAM role (IRSA: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE; EKS Pod Identity)';

/** The text of one XML element (STS answers are flat enough for this). */
function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function webIdentity(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch, now: () => number): CredentialSource {
  const roleArn = env.AWS_ROLE_ARN!;
  const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE!;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  // AWS_ENDPOINT_URL_STS is the SDKs' own override (private endpoints, tests); else the regional endpoint.
  const endpoint = env.AWS_ENDPOINT_URL_STS || `https://sts.${region}.amazonaws.com`;
  const name = `web identity (AWS_ROLE_ARN ${roleArn}, token file ${tokenFile})`;
  const get = expiringCache(async (signal) => {
    let token: string;
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch (err) {
      throw new Error(
        `bedrock: ${name}: cannot read the token file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        { cause: err },
      );
    }
    const form = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: env.AWS_ROLE_SESSION_NAME || `metagent-${now()}`,
      WebIdentityToken: token,
    });
    const res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/xml' },
      body: form.toString(),
      signal,
    });
    const xml = await res.text();
    if (!res.ok) {
      const why = [xmlText(xml, 'Code'), xmlText(xml, 'Message')].filter(Boolean).join(': ');
      throw new Error(
        `bedrock: ${name}: STS AssumeRoleWithWebIdentity answered HTTP ${res.status}${why ? ` (${why.slice(0, 300)})` : ''}`,
      );
    }
    const accessKeyId = xmlText(xml, 'AccessKeyId');
    const secretAccessKey = xmlText(xml, 'SecretAccessKey');
    const sessionToken = xmlText(xml, 'SessionToken');
    const expiration = Date.parse(xmlText(xml, 'Expiration') ?? '');
    if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration)) {
      throw new Error(`bedrock: ${name}: the STS answer has no complete Credentials element`);
    }
    return { value: { accessKeyId, secretAccessKey, sessionToken }, expiresAt: expiration };
  }, now);
  return { name, get };
}

/** Plain-HTTP hosts the SDKs accept for the container endpoint: loopback, ECS's and EKS Pod Identity's agents. */
const LOCAL_CREDENTIAL_HOSTS = new Set([
  '127.0.0.1',
  'localhost',
  '[::1]',
  '169.254.170.2',
  '169.254.170.23',
  '[fd00:ec2::23]',
]);

function containerCredentials(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch, now: () => number): CredentialSource {
  const variable = env.AWS_CONTAINER_CREDENTIALS_FULL_URI
    ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
    : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
  const url = env.AWS_CONTAINER_CREDENTIALS_FULL_URI || `${ECS_HOST}${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}`;
  const name = `container credentials (${variable})`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Credentials must not travel in clear text to anything but a local agent (the SDKs' rule).
  const problem = !parsed
    ? 'is not a URL'
    : parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOCAL_CREDENTIAL_HOSTS.has(parsed.hostname))
      ? undefined
      : 'must be https, or http to a loopback or link-local credentials agent';
  const get = expiringCache(async (signal) => {
    if (problem) throw new Error(`bedrock: ${name}: ${variable} ${problem}`);
    let authorization = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) {
      try {
        authorization = (await readFile(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8')).trim();
      } catch (err) {
        throw new Error(
          `bedrock: ${name}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
          { cause: err },
        );
      }
    }
    const res = await fetchImpl(url, {
      headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
      signal,
    });
    if (!res.ok) throw new Error(`bedrock: ${name}: the endpoint answered HTTP ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as {
      AccessKeyId?: string;
      SecretAccessKey?: string;
      Token?: string;
      Expiration?: string;
    };
    const expiresAt = body.Expiration ? Date.parse(body.Expiration) : now() + 15 * 60_000;
    if (!body.AccessKeyId || !body.SecretAccessKey || Number.isNaN(expiresAt))
      throw new Error(`bedrock: ${name}: the answer has no AccessKeyId/SecretAccessKey`);
    return {
      value: { accessKeyId: body.AccessKeyId, secretAccessKey: body.SecretAccessKey, sessionToken: body.Token },
      expiresAt,
    };
  }, now);
  return { name, get };
}

function instanceMetadata(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch, now: () => number): CredentialSource {
  const base = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT || IMDS_ENDPOINT).replace(/\/+$/, '');
  const name = `EC2 instance metadata (IMDSv2 at ${base})`;
  const get = expiringCache(async (signal) => {
    const call = async (path: string, init: RequestInit): Promise<Response> => {
      let res: Response;
      try {
        res = await fetchImpl(`${base}${path}`, {
          ...init,
          signal: AbortSignal.any([signal, AbortSignal.timeout(IMDS_TIMEOUT_MS)]),
        });
      } catch (err) {
        const why =
          (err as Error).name === 'TimeoutError'
            ? 'no answer within 1 s'
            : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
        throw new Error(`bedrock: no AWS credentials: ${name} is not reachable (${why}); ${HOW_TO_CONFIGURE}`, {
          cause: err,
        });
      }
      if (!res.ok)
        throw new Error(
          `bedrock: ${name}: ${path} answered HTTP ${res.status}${res.status === 404 ? ' (the instance has no IAM role)' : ''}`,
        );
      return res;
    };
    const token = (
      await (
        await call('/latest/api/token', { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } })
      ).text()
    ).trim();
    const headers = { 'x-aws-ec2-metadata-token': token };
    const role = (await (await call('/latest/meta-data/iam/security-credentials/', { headers })).text())
      .split('\n')[0]
      .trim();
    if (!role) throw new Error(`bedrock: ${name}: the instance has no IAM role`);
    const body = (await (
      await call(`/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`, { headers })
    )
      .json()
      .catch(() => ({}))) as {
      Code?: string;
      AccessKeyId?: string;
      SecretAccessKey?: string;
      Token?: string;
      Expiration?: string;
    };
    const expiresAt = Date.parse(body.Expiration ?? '');
    if (body.Code !== 'Success' || !body.AccessKeyId || !body.SecretAccessKey || Number.isNaN(expiresAt)) {
      throw new Error(
        `bedrock: ${name}: role ${role} has no usable credentials${body.Code && body.Code !== 'Success' ? ` (${body.Code})` : ''}`,
      );
    }
    return {
      value: { accessKeyId: body.AccessKeyId, secretAccessKey: body.SecretAccessKey, sessionToken: body.Token },
      expiresAt,
    };
  }, now);
  return { name, get };
}

/**
 * The first source the environment configures, else instance metadata, or undefined when that is disabled too. Static
 * keys win, as in the SDKs.
 * `fetchImpl` is the model's (its TLS settings); `now` is injectable for tests.
 */
export function awsCredentialSource(
  env: NodeJS.ProcessEnv,
  fetchImpl: typeof fetch,
  now: () => number = Date.now,
): CredentialSource | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
    };
    return { name: 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY', get: async () => credentials };
  }
  if (env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE) return webIdentity(env, fetchImpl, now);
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    return containerCredentials(env, fetchImpl, now);
  if (env.AWS_EC2_METADATA_DISABLED?.toLowerCase() !== 'true') return instanceMetadata(env, fetchImpl, now);
  return undefined;
}
