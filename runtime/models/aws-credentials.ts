// AWS credentials for Bedrock through the AWS SDK's own credential providers (@aws-sdk/credential-providers), chosen in
// the order the SDKs' default chain uses: static keys in the environment; the shared config files (~/.aws/credentials
// and ~/.aws/config, or AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE; profile AWS_PROFILE, else default — static
// keys, assumed roles, credential_process, SSO, as the SDK reads them; fromIni), when AWS_PROFILE is set or one of the
// files exists (a pod usually has none, so it falls through); a web-identity token (IRSA on EKS: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) exchanged with STS
// (fromTokenFile); the container credentials endpoint (EKS Pod Identity, ECS: AWS_CONTAINER_CREDENTIALS_FULL_URI /
// _RELATIVE_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE); fromHttp, which also enforces that a token travels in
// clear text only to a loopback or link-local agent); last, the EC2 instance metadata service (IMDSv2,
// fromInstanceMetadata; AWS_EC2_METADATA_DISABLED=true turns it off). The choice reads the runtime's environment;
// temporary credentials are cached until five minutes before they expire, and the token file is read again for every
// exchange (the kubelet rotates it). Errors name the source, never a key or a token.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromHttp, fromIni, fromInstanceMetadata, fromTokenFile } from '@aws-sdk/credential-providers';
import type { AwsCredentials } from './sigv4.js';
import { expiringCache } from './expiring-cache.js';

export interface CredentialSource {
  /** What the credentials come from, for messages ("web identity (AWS_ROLE_ARN ...)"). */
  readonly name: string;
  get(): Promise<AwsCredentials>;
}

/** Each IMDS request: the SDKs' 1 s, so a pod that cannot reach it fails fast. */
const IMDS_TIMEOUT_MS = 1000;
/** Credentials without an expiry (a container endpoint may omit it) are fetched again after this long. */
const NO_EXPIRY_TTL_MS = 15 * 60_000;
/** What to do when no source works, for the messages (here and bedrock-auth.ts). */
export const HOW_TO_CONFIGURE =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK, or give the pod an IAM role (IRSA: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE; EKS Pod Identity)';

type SdkProvider = () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}>;

/** One SDK provider behind our cache; its failure is reported as `bedrock: <name>: <the SDK's reason>`. */
function cached(name: string, provider: SdkProvider, now: () => number, last = false): CredentialSource {
  const get = expiringCache(async () => {
    let got: Awaited<ReturnType<SdkProvider>>;
    try {
      got = await provider();
    } catch (err) {
      // The SDK's error names carry STS's and the endpoints' own codes (AccessDenied, ...); its generic ones do not.
      const { name: code, message } = err as Error;
      const why = /^(Error|CredentialsProviderError|ProviderError)$/.test(code) ? message : `${code}: ${message}`;
      throw new Error(
        last ? `bedrock: no AWS credentials: ${name}: ${why}; ${HOW_TO_CONFIGURE}` : `bedrock: ${name}: ${why}`,
        { cause: err },
      );
    }
    const { accessKeyId, secretAccessKey, sessionToken } = got;
    return {
      value: { accessKeyId, secretAccessKey, sessionToken },
      expiresAt: got.expiration?.getTime() ?? now() + NO_EXPIRY_TTL_MS,
    };
  }, now);
  return { name, get };
}

/**
 * The first source the environment configures, else instance metadata, or undefined when that is disabled too. Static
 * keys win, as in the SDKs. `now` is injectable for tests.
 */
export function awsCredentialSource(
  env: NodeJS.ProcessEnv,
  now: () => number = Date.now,
): CredentialSource | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
    };
    return { name: 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY', get: () => Promise.resolve(credentials) };
  }
  const home = env.HOME || homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  if (env.AWS_PROFILE || existsSync(credentialsFile) || existsSync(configFile)) {
    const profile = env.AWS_PROFILE || 'default';
    return cached(
      `shared config files (profile ${profile} in ${credentialsFile}, ${configFile})`,
      fromIni({
        profile,
        filepath: credentialsFile,
        configFilepath: configFile,
        // A profile's assumed role asks STS; AWS_ENDPOINT_URL_STS overrides its address, as for web identity.
        clientConfig: {
          region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
          ...(env.AWS_ENDPOINT_URL_STS ? { endpoint: env.AWS_ENDPOINT_URL_STS } : {}),
        },
      }),
      now,
    );
  }
  if (env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE) {
    const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
    return cached(
      `web identity (AWS_ROLE_ARN ${env.AWS_ROLE_ARN}, token file ${env.AWS_WEB_IDENTITY_TOKEN_FILE})`,
      fromTokenFile({
        roleArn: env.AWS_ROLE_ARN,
        webIdentityTokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE,
        roleSessionName: env.AWS_ROLE_SESSION_NAME || `metagent-${now()}`,
        // AWS_ENDPOINT_URL_STS is the SDKs' own override (private endpoints, tests); else the regional endpoint.
        clientConfig: { region, ...(env.AWS_ENDPOINT_URL_STS ? { endpoint: env.AWS_ENDPOINT_URL_STS } : {}) },
      }),
      now,
    );
  }
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) {
    const variable = env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
      : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
    return cached(
      `container credentials (${variable})`,
      fromHttp({
        awsContainerCredentialsFullUri: env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
        awsContainerCredentialsRelativeUri: env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
        awsContainerAuthorizationToken: env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
        awsContainerAuthorizationTokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
        maxRetries: 1,
      }),
      now,
    );
  }
  if (env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true') return undefined;
  // The endpoint (AWS_EC2_METADATA_SERVICE_ENDPOINT) is read by the SDK from the process environment.
  const endpoint = env.AWS_EC2_METADATA_SERVICE_ENDPOINT || 'http://169.254.169.254';
  return cached(
    `EC2 instance metadata (IMDSv2 at ${endpoint})`,
    fromInstanceMetadata({ timeout: IMDS_TIMEOUT_MS, maxRetries: 0 }),
    now,
    true,
  );
}
