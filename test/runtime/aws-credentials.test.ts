// Bedrock's AWS credentials beyond static keys (the AWS SDK's providers), against real HTTP fakes of STS and of a container credentials agent:
// IRSA web identity (the token file read for each exchange, credentials cached until shortly before they expire),
// EKS Pod Identity / ECS container credentials, EC2 instance metadata (IMDSv2), and their failures — which name the
// source but never a token.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsCredentialSource } from '../../runtime/models/aws-credentials.js';
import { createModel } from '../../runtime/models/registry.js';
import { signV4 } from '../../runtime/models/sigv4.js';
import { startFakeHttp, type FakeAnswer, type FakeHttp, type SeenRequest } from '../mocks/fake-http.js';

type Seen = SeenRequest;

const fakes: FakeHttp[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const f of fakes.splice(0)) await f.close();
});

/** The SDK's IMDS provider reads its endpoint from the process environment, as in a pod. */
const imdsAt = (url: string) => {
  vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', url);
  return { AWS_EC2_METADATA_SERVICE_ENDPOINT: url };
};

async function fake(answer: (req: Seen) => FakeAnswer | undefined): Promise<FakeHttp> {
  const f = await startFakeHttp(answer);
  fakes.push(f);
  return f;
}

const stsAnswer = (id: string, expires: Date) => ({
  type: 'text/xml',
  body: `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>${id}</AccessKeyId><SecretAccessKey>secret&amp;${id}</SecretAccessKey><SessionToken>session-${id}</SessionToken><Expiration>${expires.toISOString()}</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
});

async function tokenFile(content: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'irsa-')), 'token');
  await writeFile(file, content);
  return file;
}

/** A Bedrock Converse fake that answers "ok"; returns what it saw. */
async function bedrock() {
  return fake(() => ({
    body: JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
      usage: { inputTokens: 1, outputTokens: 1 },
    }),
  }));
}
const ask = (model: Awaited<ReturnType<typeof createModel>>) =>
  model.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [], signal: AbortSignal.timeout(5_000) });

/** The signature the request should carry with these credentials (the server side of SigV4). */
async function expectSignedWith(
  base: string,
  got: Seen,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  const d = String(got.headers['x-amz-date']);
  const now = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  const expected = await signV4({
    method: 'POST',
    url: `${base}${got.url}`,
    headers: { 'content-type': 'application/json' },
    body: got.body,
    region: 'eu-west-1',
    service: 'bedrock',
    credentials,
    now,
  });
  expect(got.headers.authorization).toBe(expected.authorization);
  expect(got.headers['x-amz-security-token']).toBe(credentials.sessionToken);
}

describe('IRSA web identity', () => {
  it('exchanges the token with STS and signs Bedrock calls with the temporary credentials, once per validity', async () => {
    const sts = await fake(() => stsAnswer('ASIA1', new Date(Date.now() + 3600_000)));
    const br = await bedrock();
    const env = {
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/agent',
      AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile('jwt-token-1'),
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_REGION: 'eu-west-1',
    };
    const model = await createModel(
      { type: 'bedrock', model: 'anthropic.claude', region: 'eu-west-1', base_url: br.url },
      env,
    );
    await Promise.all([ask(model), ask(model)]);
    await ask(model);
    expect(sts.seen).toHaveLength(1); // shared by the concurrent calls, then cached
    const form = new URLSearchParams(sts.seen[0].body);
    expect(Object.fromEntries(form)).toMatchObject({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: env.AWS_ROLE_ARN,
      WebIdentityToken: 'jwt-token-1',
    });
    expect(form.get('RoleSessionName')).toMatch(/^metagent-\d+$/);
    expect(br.seen).toHaveLength(3);
    for (const got of br.seen)
      await expectSignedWith(br.url, got, {
        accessKeyId: 'ASIA1',
        secretAccessKey: 'secret&ASIA1',
        sessionToken: 'session-ASIA1',
      });
  });

  it('exchanges again five minutes before expiry, reading the (rotated) token file again', async () => {
    let n = 0;
    const sts = await fake(() => stsAnswer(`ASIA${++n}`, new Date(Date.UTC(2026, 0, 1, 1, 0, 0))));
    const file = await tokenFile('first');
    let clock = Date.UTC(2026, 0, 1, 0, 0, 0);
    const source = awsCredentialSource(
      { AWS_ROLE_ARN: 'arn:r', AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ENDPOINT_URL_STS: sts.url },
      () => clock,
    )!;
    expect((await source.get()).accessKeyId).toBe('ASIA1');
    clock = Date.UTC(2026, 0, 1, 0, 54, 0);
    expect((await source.get()).accessKeyId).toBe('ASIA1');
    await writeFile(file, 'second');
    clock = Date.UTC(2026, 0, 1, 0, 56, 0);
    expect((await source.get()).accessKeyId).toBe('ASIA2');
    expect(sts.seen.map((s) => new URLSearchParams(s.body).get('WebIdentityToken'))).toEqual(['first', 'second']);
  });

  it("an STS refusal fails the call with STS's code and message, never the token", async () => {
    const sts = await fake(() => ({
      status: 403,
      type: 'text/xml',
      body: '<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>',
    }));
    const br = await bedrock();
    const model = await createModel(
      { type: 'bedrock', model: 'm', region: 'eu-west-1', base_url: br.url },
      {
        AWS_ROLE_ARN: 'arn:r',
        AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile('very-secret-jwt'),
        AWS_ENDPOINT_URL_STS: sts.url,
      },
    );
    const err = await ask(model).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /^bedrock: web identity \(AWS_ROLE_ARN arn:r, token file .*\): AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity/,
    );
    expect((err as Error).message).not.toContain('very-secret-jwt');
    expect(br.seen).toHaveLength(0);
  });

  it('a missing token file is named in the error', async () => {
    const source = awsCredentialSource({
      AWS_ROLE_ARN: 'arn:r',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/token',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1',
    })!;
    await expect(source.get()).rejects.toThrow(/token file \/nonexistent\/token\): ENOENT: no such file or directory/);
  });
});

describe('container credentials (EKS Pod Identity, ECS)', () => {
  it('fetches credentials with the authorization token file and signs with them', async () => {
    const agent = await fake(() => ({
      body: JSON.stringify({
        AccessKeyId: 'ASIAPOD',
        SecretAccessKey: 'pod-secret',
        Token: 'pod-session',
        Expiration: new Date(Date.now() + 3600_000).toISOString(),
      }),
    }));
    const br = await bedrock();
    const env = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: await tokenFile('pod-identity-token'),
    };
    const model = await createModel({ type: 'bedrock', model: 'm', region: 'eu-west-1', base_url: br.url }, env);
    await ask(model);
    expect(agent.seen[0]).toMatchObject({ method: 'GET', url: '/v1/credentials' });
    expect(agent.seen[0].headers.authorization).toBe('pod-identity-token');
    await expectSignedWith(br.url, br.seen[0], {
      accessKeyId: 'ASIAPOD',
      secretAccessKey: 'pod-secret',
      sessionToken: 'pod-session',
    });
  });

  it('refuses to send a token over plain HTTP to anything but a local agent', async () => {
    const source = awsCredentialSource({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://credentials.example.com/creds',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 't',
    })!;
    await expect(source.get()).rejects.toThrow(
      /container credentials \(AWS_CONTAINER_CREDENTIALS_FULL_URI\): URL not accepted\. It must either be HTTPS or match one of the following:/,
    );
  });

  it('an endpoint error is reported with its status', async () => {
    const agent = await fake(() => ({ status: 401, body: '{}' }));
    const source = awsCredentialSource({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/creds` })!;
    await expect(source.get()).rejects.toThrow(
      /container credentials \(AWS_CONTAINER_CREDENTIALS_FULL_URI\): Server responded with status: 401/,
    );
  });
});

describe('EC2 instance metadata (IMDSv2), the last source', () => {
  const credentials = (id: string) => ({
    Code: 'Success',
    Type: 'AWS-HMAC',
    AccessKeyId: id,
    SecretAccessKey: `secret-${id}`,
    Token: `session-${id}`,
    Expiration: new Date(Date.now() + 3600_000).toISOString(),
  });
  /** An IMDS that hands out a session token, then (only with it) the role and its credentials. */
  async function imds(role = 'node-role') {
    return fake((req) => {
      if (req.method === 'PUT' && req.url === '/latest/api/token')
        return { type: 'text/plain', body: 'imds-session-token' };
      if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-session-token') return { status: 401, body: '' };
      if (req.url === '/latest/meta-data/iam/security-credentials/')
        return role ? { type: 'text/plain', body: `${role}\n` } : { status: 404, body: '' };
      if (req.url === `/latest/meta-data/iam/security-credentials/${role}`)
        return { type: 'text/plain', body: JSON.stringify(credentials('ASIANODE')) };
      return { status: 404, body: '' };
    });
  }

  it('gets a session token, then the role and its credentials, signs with them, and reuses them until they expire', async () => {
    const md = await imds();
    const br = await bedrock();
    const model = await createModel(
      { type: 'bedrock', model: 'm', region: 'eu-west-1', base_url: br.url },
      imdsAt(md.url),
    );
    await Promise.all([ask(model), ask(model)]);
    await ask(model);
    expect(md.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /latest/api/token',
      'GET /latest/meta-data/iam/security-credentials/',
      'GET /latest/meta-data/iam/security-credentials/node-role',
    ]);
    expect(md.seen[0].headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
    for (const seen of br.seen)
      await expectSignedWith(br.url, seen, {
        accessKeyId: 'ASIANODE',
        secretAccessKey: 'secret-ASIANODE',
        sessionToken: 'session-ASIANODE',
      });
  });

  it('unreachable, it fails the call quickly, saying what to configure', async () => {
    const closed = await fake(() => ({ body: '' }));
    const url = closed.url;
    await closed.close();
    const source = awsCredentialSource(imdsAt(url))!;
    await expect(source.get()).rejects.toThrow(
      /^bedrock: no AWS credentials: EC2 instance metadata \(IMDSv2 at http:\/\/127\.0\.0\.1:\d+\): Unable to connect to instance metadata service; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK, or give the pod an IAM role/,
    );
  });

  it('silent, it gives up after 1 s', async () => {
    const silent = await fake(() => undefined); // never answers
    const started = Date.now();
    await expect(awsCredentialSource(imdsAt(silent.url))!.get()).rejects.toThrow(
      /EC2 instance metadata \(IMDSv2 at .*\): TimeoutError from instance metadata service; set AWS_ACCESS_KEY_ID/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an instance without a role is named as such', async () => {
    const md = await imds('');
    await expect(awsCredentialSource(imdsAt(md.url))!.get()).rejects.toThrow(
      /EC2 instance metadata \(IMDSv2 at .*\): Error response received from instance metadata service/,
    );
  });
});

describe('shared config files (~/.aws, fromIni)', () => {
  async function awsFiles(credentials: string, config = '') {
    const dir = await mkdtemp(join(tmpdir(), 'aws-'));
    await writeFile(join(dir, 'credentials'), credentials);
    await writeFile(join(dir, 'config'), config);
    return { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
  }

  it("reads AWS_PROFILE's keys from the credentials file and signs Bedrock calls with them", async () => {
    const files = await awsFiles(
      '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n' +
        '[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\naws_session_token = dev-session\n',
    );
    const br = await bedrock();
    const model = await createModel(
      { type: 'bedrock', model: 'anthropic.claude-3-haiku', base_url: br.url },
      { ...files, AWS_PROFILE: 'dev', AWS_REGION: 'eu-west-1' },
    );
    expect((await ask(model)).text).toBe('ok');
    expect(String(br.seen[0].headers.authorization)).toMatch(/Credential=AKIDDEV\//);
    await expectSignedWith(br.url, br.seen[0], {
      accessKeyId: 'AKIDDEV',
      secretAccessKey: 'dev-secret',
      sessionToken: 'dev-session',
    });
    // Without AWS_PROFILE, the default profile.
    expect(await awsCredentialSource(files)!.get()).toEqual({
      accessKeyId: 'AKIDDEFAULT',
      secretAccessKey: 'default-secret',
      sessionToken: undefined,
    });
  });

  it("a profile's role is assumed through STS with the source profile's keys", async () => {
    const sts = await fake((req) => {
      const form = new URLSearchParams(req.body);
      if (form.get('Action') !== 'AssumeRole') return { status: 400, body: 'unexpected' };
      return {
        type: 'text/xml',
        body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-session</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/bedrock/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
      };
    });
    const files = await awsFiles(
      '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n',
      '[profile bedrock]\nrole_arn = arn:aws:iam::1:role/bedrock\nsource_profile = base\n',
    );
    const source = awsCredentialSource({ ...files, AWS_PROFILE: 'bedrock', AWS_ENDPOINT_URL_STS: sts.url })!;
    expect(source.name).toMatch(/^shared config files \(profile bedrock in /);
    expect(await source.get()).toEqual({
      accessKeyId: 'ASIAROLE',
      secretAccessKey: 'role-secret',
      sessionToken: 'role-session',
    });
    expect(new URLSearchParams(sts.seen[0].body).get('RoleArn')).toBe('arn:aws:iam::1:role/bedrock');
    expect(String(sts.seen[0].headers.authorization)).toMatch(/Credential=AKIDBASE\//);
  });

  it('a profile the files do not have is an error naming it, and no key', async () => {
    const files = await awsFiles('[default]\naws_access_key_id = AKIDX\naws_secret_access_key = hidden-secret\n');
    const err = (await awsCredentialSource({ ...files, AWS_PROFILE: 'missing' })!
      .get()
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^bedrock: shared config files \(profile missing in .*\): .*missing/);
    expect(err.message).not.toContain('hidden-secret');
  });
});

describe('the order of sources', () => {
  it('static keys, then shared config files, then web identity, then container credentials, then instance metadata unless disabled', () => {
    expect(
      awsCredentialSource({
        AWS_PROFILE: 'p',
        AWS_ROLE_ARN: 'r',
        AWS_WEB_IDENTITY_TOKEN_FILE: 'f',
        HOME: '/nonexistent',
      })?.name,
    ).toBe('shared config files (profile p in /nonexistent/.aws/credentials, /nonexistent/.aws/config)');
    expect(awsCredentialSource({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_PROFILE: 'p' })?.name).toBe(
      'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY',
    );
    expect(
      awsCredentialSource({
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
        AWS_ROLE_ARN: 'r',
        AWS_WEB_IDENTITY_TOKEN_FILE: 'f',
      })?.name,
    ).toBe('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY');
    expect(
      awsCredentialSource({
        AWS_ROLE_ARN: 'r',
        AWS_WEB_IDENTITY_TOKEN_FILE: 'f',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/x',
      })?.name,
    ).toMatch(/^web identity/);
    expect(awsCredentialSource({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/x' })?.name).toBe(
      'container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)',
    );
    expect(awsCredentialSource({ AWS_ROLE_ARN: 'r' })?.name).toBe(
      'EC2 instance metadata (IMDSv2 at http://169.254.169.254)',
    );
    expect(awsCredentialSource({ AWS_ROLE_ARN: 'r', AWS_EC2_METADATA_DISABLED: 'true' })).toBeUndefined();
  });
});
