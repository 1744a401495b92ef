// AWS Signature Version 4 for one Bedrock request, by the AWS SDK's own signer (@smithy/signature-v4, which runs
// AWS's published SigV4 test suite in its own tests). Returns the headers to add: authorization, x-amz-date, and
// x-amz-security-token with temporary credentials.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function signV4(req: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: AwsCredentials;
  now?: Date;
}): Promise<Record<string, string>> {
  const url = new URL(req.url);
  const signer = new SignatureV4({
    service: req.service,
    region: req.region,
    credentials: req.credentials,
    sha256: Sha256,
    // x-amz-content-sha256 is S3's; Bedrock signs the payload hash without sending it.
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const had = query[k];
    query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  const headers: Record<string, string> = { host: url.host };
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  const signed = await signer.sign(
    {
      method: req.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body: req.body,
    },
    { signingDate: req.now ?? new Date() },
  );
  const added: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (!(k in headers)) added[k] = v;
  return added;
}
