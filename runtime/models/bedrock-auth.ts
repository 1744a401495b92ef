// Addressing and authenticating Bedrock runtime calls, shared by the chat model (bedrock.ts: Converse) and the memory
// embedder (memory/embedders/bedrock.ts: InvokeModel): the regional endpoint (or base_url), and per request either a
// Bedrock API key as a bearer token (the caller's passthrough key, else AWS_BEARER_TOKEN_BEDROCK) or a SigV4 signature
// with the first AWS credential source the environment configures (aws-credentials.ts: the AWS SDK's providers).
import { signV4 } from './sigv4.js';
import { awsCredentialSource, HOW_TO_CONFIGURE, type CredentialSource } from './aws-credentials.js';

/** A failed call: `status` is the HTTP status (or the one AWS documents for a stream's exception event); retry.ts reads it. */
export class BedrockError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BedrockError';
  }
}

export const NO_CREDENTIALS_MESSAGE = `bedrock: no credentials: ${HOW_TO_CONFIGURE} (instance metadata is turned off: AWS_EC2_METADATA_DISABLED)`;

export class BedrockAuth {
  readonly region: string;
  /** `https://bedrock-runtime.{region}.amazonaws.com`, or the configured base_url. */
  readonly base: string;
  private readonly credentials: CredentialSource | undefined;

  constructor(
    cfg: { region?: string; base_url?: string },
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.region = cfg.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
    this.base = cfg.base_url || `https://bedrock-runtime.${this.region}.amazonaws.com`;
    this.credentials = awsCredentialSource(env);
  }

  /**
   * The headers that authenticate one POST of `payload` to `url` carrying `headers`. No credentials at all is an
   * error at call time (the agent still starts, as with every provider's missing key).
   */
  async headers(
    url: string,
    headers: Record<string, string>,
    payload: string,
    apiKey?: string,
  ): Promise<Record<string, string>> {
    const token = apiKey || this.env.AWS_BEARER_TOKEN_BEDROCK;
    if (token) return { authorization: `Bearer ${token}` };
    if (!this.credentials) throw new Error(NO_CREDENTIALS_MESSAGE);
    return signV4({
      method: 'POST',
      url,
      headers,
      body: payload,
      region: this.region,
      service: 'bedrock',
      credentials: await this.credentials.get(),
    });
  }
}
