// Gemini on Vertex AI: Google access tokens, by google-auth-library, from a service-account key (a JWT whose signature
// the fake token endpoint checks with the key's public half), an authorized-user file, an external_account file
// (workload identity federation through a fake STS), or the metadata server (GCE_METADATA_HOST, read by the library
// from the process environment) — cached until five minutes before they expire — sent as the bearer key to Vertex's
// OpenAI-compatible endpoint; and the failures, which name the source. No network: every Google endpoint is local.
import type { ServerResponse } from 'node:http';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { googleTokenSource } from '../../runtime/models/google-credentials.js';
import { vertexProjectBase } from '../../runtime/models/vertex.js';
import { createModel } from '../../runtime/models/registry.js';
import {
  startFakeHttp,
  startFakeMetadata,
  writeAnthropicStream,
  type FakeAnswer,
  type FakeHttp,
  type SeenRequest,
} from '../mocks/fake-http.js';

type Seen = SeenRequest;

const fakes: FakeHttp[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  for (const f of fakes.splice(0)) await f.close();
});

/** A metadata server the library finds through GCE_METADATA_HOST (it reads the process environment). */
async function metadataServer(token: string): Promise<FakeHttp> {
  const f = await startFakeMetadata(token);
  fakes.push(f);
  vi.stubEnv('GCE_METADATA_HOST', f.host);
  return f;
}
/**
 * google-auth-library sends service-account and authorized-user exchanges to Google's fixed token URL (not the file's
 * token_uri): this fetch, handed to the token source as the model's fetch would be, delivers them to the fake.
 */
const toFakeGoogle =
  (f: FakeHttp): typeof fetch =>
  (input, init) =>
    fetch(String(input instanceof Request ? input.url : input).replace('https://oauth2.googleapis.com', f.url), init);
const tokenRequests = (f: FakeHttp) => f.seen.filter((s) => s.url.includes('/service-accounts/default/token'));

async function fake(answer: (req: Seen, res: ServerResponse) => FakeAnswer | undefined): Promise<FakeHttp> {
  const f = await startFakeHttp(answer);
  fakes.push(f);
  return f;
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

async function keyFile(content: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'gcp-')), 'key.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A workload identity federation file: its subject token in a file, exchanged at the fake STS `sts`. */
async function externalAccountFile(sts: FakeHttp): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gcp-'));
  await writeFile(join(dir, 'subject'), 'oidc-subject-token');
  return keyFile({
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${sts.url}/v1/token`,
    credential_source: { file: join(dir, 'subject') },
  });
}

/** A token endpoint that checks the service-account JWT and answers tokens tok-1, tok-2, ... */
async function tokenEndpoint() {
  let n = 0;
  return fake((req) => {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') === 'refresh_token')
      return { body: { access_token: `user-tok-${++n}`, expires_in: 3599 } };
    const [h, c, sig] = (form.get('assertion') ?? '').split('.');
    const valid = createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, sig, 'base64url');
    if (!valid) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
    return { body: { access_token: `tok-${++n}`, expires_in: 3599, token_type: 'Bearer' } };
  });
}

const vertexAnswer = {
  body: {
    id: 'c',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello from vertex' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 4 },
  },
};
const ask = (model: Awaited<ReturnType<typeof createModel>>) =>
  model.complete({ messages: [{ role: 'user', content: 'hi' }], tools: [], signal: AbortSignal.timeout(5_000) });

describe('gemini_vertex_ai', () => {
  it('exchanges an external_account subject token at its token_url, sends the token to the OpenAI-compatible endpoint, and reuses it', async () => {
    const sts = await fake(() => ({
      body: {
        access_token: 'fed-1',
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        expires_in: 3600,
      },
    }));
    const vertex = await fake(() => vertexAnswer);
    const file = await externalAccountFile(sts);
    const model = await createModel(
      {
        type: 'gemini_vertex_ai',
        model: 'gemini-2.5-pro',
        base_url: `${vertex.url}/v1/projects/p/locations/europe-west4/endpoints/openapi`,
      },
      { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: 'p' },
    );
    expect((await ask(model)).text).toBe('hello from vertex');
    await ask(model);
    expect(sts.seen).toHaveLength(1);
    expect(vertex.seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/v1/projects/p/locations/europe-west4/endpoints/openapi/chat/completions', 'Bearer fed-1'],
      ['/v1/projects/p/locations/europe-west4/endpoints/openapi/chat/completions', 'Bearer fed-1'],
    ]);
    // Vertex's OpenAI-compatible endpoint names Gemini models "google/<model>".
    expect(JSON.parse(vertex.seen[0].body).model).toBe('google/gemini-2.5-pro');
  });

  it('builds the regional and the global endpoint from GOOGLE_CLOUD_PROJECT / _LOCATION, and refuses to start without them', async () => {
    expect(vertexProjectBase('my-proj', 'us-central1')).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1',
    );
    expect(vertexProjectBase('my-proj', 'global')).toBe(
      'https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global',
    );
    await expect(
      createModel({ type: 'gemini_vertex_ai', model: 'gemini-2.5-pro' }, { GOOGLE_CLOUD_PROJECT: 'p' }),
    ).rejects.toThrow(/config\.json: model: gemini_vertex_ai needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION/);
  });

  it('without a key file, asks the metadata server (GKE Workload Identity)', async () => {
    const metadata = await metadataServer('wi-token');
    const vertex = await fake(() => vertexAnswer);
    const model = await createModel(
      { type: 'gemini_vertex_ai', model: 'google/gemini-2.0-flash', base_url: vertex.url },
      { GOOGLE_CLOUD_PROJECT: 'p' },
    );
    await ask(model);
    const [tokenCall] = tokenRequests(metadata);
    expect(tokenCall.method).toBe('GET');
    expect(new URL(tokenCall.url, 'http://x').pathname).toBe(
      '/computeMetadata/v1/instance/service-accounts/default/token',
    );
    expect(new URL(tokenCall.url, 'http://x').searchParams.get('scopes')).toBe(
      'https://www.googleapis.com/auth/cloud-platform',
    );
    expect(tokenCall.headers['metadata-flavor']).toBe('Google');
    expect(vertex.seen[0].headers.authorization).toBe('Bearer wi-token');
    expect(JSON.parse(vertex.seen[0].body).model).toBe('google/gemini-2.0-flash');
  });
});

describe('Google token sources (google-auth-library)', () => {
  it('a service-account key: a JWT signed with its key is exchanged for a token, which is reused', async () => {
    const tokens = await tokenEndpoint();
    const file = await keyFile({
      type: 'service_account',
      client_email: 'agent@p.iam.gserviceaccount.com',
      private_key: privateKey,
    });
    const source = googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }, toFakeGoogle(tokens));
    expect(await source.get()).toBe('tok-1');
    expect(await source.get()).toBe('tok-1');
    expect(tokens.seen).toHaveLength(1);
    const form = new URLSearchParams(tokens.seen[0].body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = JSON.parse(Buffer.from(form.get('assertion')!.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      iss: 'agent@p.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: 'https://oauth2.googleapis.com/token',
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('an authorized-user file uses its refresh token; a token is fetched again five minutes before it expires', async () => {
    const tokens = await tokenEndpoint();
    const file = await keyFile({
      type: 'authorized_user',
      client_id: 'cid',
      client_secret: 'cs',
      refresh_token: 'rt',
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const source = googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }, toFakeGoogle(tokens));
    expect(await source.get()).toBe('user-tok-1');
    vi.setSystemTime(start + (3599 - 301) * 1000);
    expect(await source.get()).toBe('user-tok-1');
    vi.setSystemTime(start + (3599 - 299) * 1000);
    expect(await source.get()).toBe('user-tok-2');
    expect(Object.fromEntries(new URLSearchParams(tokens.seen[0].body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'cs',
      refresh_token: 'rt',
    });
  });

  it('an external_account file (workload identity federation) exchanges its subject token at the STS token_url', async () => {
    const sts = await fake((req) => {
      const form = new URLSearchParams(req.body);
      if (form.get('subject_token') !== 'oidc-subject-token')
        return { status: 400, body: { error: 'invalid_grant', error_description: 'bad subject token' } };
      return {
        body: {
          access_token: 'federated-token',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        },
      };
    });
    const file = await externalAccountFile(sts);
    expect(await googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }).get()).toBe('federated-token');
    const form = Object.fromEntries(new URLSearchParams(sts.seen[0].body));
    expect(form).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k8s',
      subject_token: 'oidc-subject-token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
  });

  it.each([
    ['a missing file', undefined, /GOOGLE_APPLICATION_CREDENTIALS \/nonexistent\/key\.json: .*ENOENT/],
    ['not JSON', 'not json', /GOOGLE_APPLICATION_CREDENTIALS .*key\.json: .*JSON/],
    // The library reads a file of unknown type as a service account.
    ['an unknown type', { type: 'no_such_type' }, /GOOGLE_APPLICATION_CREDENTIALS .*key\.json: .*client_email/],
    [
      'a service account without a key',
      { type: 'service_account', client_email: 'a@b' },
      /GOOGLE_APPLICATION_CREDENTIALS .*key\.json: .*private_key/,
    ],
  ])('%s is an error naming the file', async (_name, content, message) => {
    const file = content === undefined ? '/nonexistent/key.json' : await keyFile(content);
    await expect(googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }).get()).rejects.toThrow(message);
  });

  it('a key that is not RSA fails with the file named and no key in the message', async () => {
    const file = await keyFile({ type: 'service_account', client_email: 'a@b', private_key: 'not-a-key' });
    const err = (await googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file })
      .get()
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^vertex: GOOGLE_APPLICATION_CREDENTIALS .*key\.json: /);
    expect(err.message).not.toContain('not-a-key');
  });

  it("a refused exchange carries the endpoint's reason, not the key", async () => {
    const tokens = await fake(() => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    }));
    const file = await keyFile({
      type: 'service_account',
      client_email: 'a@b',
      private_key: privateKey,
    });
    const err = (await googleTokenSource({ GOOGLE_APPLICATION_CREDENTIALS: file }, toFakeGoogle(tokens))
      .get()
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/key\.json: invalid_grant: Invalid JWT Signature\./);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(err.message).not.toContain(new URLSearchParams(tokens.seen[0].body).get('assertion'));
  });

  it('with no key file and no reachable metadata server, the error says no credentials were found', async () => {
    vi.stubEnv('GCE_METADATA_HOST', '127.0.0.1:1');
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '');
    vi.stubEnv('CLOUDSDK_CONFIG', await mkdtemp(join(tmpdir(), 'gcloud-')));
    await expect(googleTokenSource({}).get()).rejects.toThrow(
      /^vertex: Application Default Credentials .*: (Could not load the default credentials|.*ECONNREFUSED)/,
    );
  });
});

describe('gemini_anthropic (Claude on Vertex)', () => {
  it("re-addresses the SDK's Messages calls to rawPredict / streamRawPredict with Vertex's anthropic_version and a Google token", async () => {
    const metadata = await metadataServer('wi-token');
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'from claude on vertex' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 5 },
    };
    const vertex = await fake((req, res) => {
      if (!JSON.parse(req.body).stream) return { body: message };
      writeAnthropicStream(res, message, ['from claude ', 'on vertex'], { input: 7, output: 5 });
      return undefined;
    });
    const base = `${vertex.url}/v1/projects/p/locations/us-east5`;
    const seen = vertex.seen;
    const model = await createModel(
      { type: 'gemini_anthropic', model: 'claude-sonnet-4@20250514', base_url: base, max_tokens: 256 },
      { GOOGLE_CLOUD_PROJECT: 'p' },
    );
    const req = {
      messages: [
        { role: 'system' as const, content: 'sys' },
        { role: 'user' as const, content: 'hi' },
      ],
      tools: [],
      signal: AbortSignal.timeout(5_000),
    };
    const expected = { text: 'from claude on vertex', toolCalls: [], usage: { input: 7, output: 5 } };
    expect(await model.complete(req)).toEqual(expected);
    const deltas: string[] = [];
    expect(await model.complete({ ...req, onText: (d) => deltas.push(d) })).toEqual(expected);
    expect(deltas).toEqual(['from claude ', 'on vertex']);
    expect(seen.map((s) => s.url)).toEqual([
      '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4%4020250514:rawPredict',
      '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4%4020250514:streamRawPredict',
    ]);
    for (const s of seen) {
      expect(s.headers.authorization).toBe('Bearer wi-token');
      expect(s.headers['x-api-key']).toBeUndefined();
      const body = JSON.parse(s.body);
      expect(body.model).toBeUndefined();
      expect(body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', system: 'sys', max_tokens: 256 });
    }
    expect(tokenRequests(metadata)).toHaveLength(1);
  });

  it('refuses to start without GOOGLE_CLOUD_PROJECT / _LOCATION', async () => {
    await expect(
      createModel({ type: 'gemini_anthropic', model: 'claude' }, { GOOGLE_CLOUD_LOCATION: 'us-east5' }),
    ).rejects.toThrow(/gemini_anthropic needs GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION/);
  });
});
