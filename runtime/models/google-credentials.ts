// Google OAuth access tokens for Vertex AI through google-auth-library's Application Default Credentials, as kagent's
// Python side gets them (google.auth.default()): the JSON file GOOGLE_APPLICATION_CREDENTIALS names — a service account,
// an authorized user, an external_account (workload identity federation) or an impersonated service account — else
// gcloud's own application-default file, else the metadata server (GKE Workload Identity, GCE; GCE_METADATA_HOST
// overrides its address). Token-endpoint calls go through the model's fetch (its TLS settings); the metadata server is
// asked by the library's own client. The library caches a token and refreshes it five minutes before it expires. Nothing read
// here is logged; errors name the source and the library's reason, never a key or a token.
import { GoogleAuth } from 'google-auth-library';

export interface TokenSource {
  readonly name: string;
  get(): Promise<string>;
}

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The reason an error gives, cut short: the library's messages name the endpoint's error, not the request's body. */
function reason(err: unknown): string {
  const e = err as { message?: string; response?: { data?: { error?: string; error_description?: string } } };
  const data = e.response?.data;
  const why = data && typeof data === 'object' ? [data.error, data.error_description].filter(Boolean).join(': ') : '';
  return (why || e.message || String(err)).slice(0, 300);
}

/**
 * The token source the environment calls for. `env` decides the key file (GOOGLE_APPLICATION_CREDENTIALS); the
 * metadata server's address is read by the library from the process environment (GCE_METADATA_HOST). Note the
 * library sends service-account and authorized-user exchanges to https://oauth2.googleapis.com/token whatever the
 * file's token_uri says; external_account files are exchanged at their own token_url.
 */
export function googleTokenSource(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch = fetch): TokenSource {
  const file = env.GOOGLE_APPLICATION_CREDENTIALS;
  const name = file
    ? `GOOGLE_APPLICATION_CREDENTIALS ${file}`
    : 'Application Default Credentials (no GOOGLE_APPLICATION_CREDENTIALS: gcloud application-default file, else the metadata server)';
  const auth = new GoogleAuth({
    scopes: [SCOPE],
    ...(file ? { keyFilename: file } : {}),
    // The library looks a project up for every client it makes — last by running `gcloud` (seconds); the sync hook
    // sets GOOGLE_CLOUD_PROJECT, so that lookup is skipped.
    ...(env.GOOGLE_CLOUD_PROJECT ? { projectId: env.GOOGLE_CLOUD_PROJECT } : {}),
    clientOptions: { transporterOptions: { fetchImplementation: fetchImpl } },
  });
  return {
    name,
    async get() {
      let token: string | null | undefined;
      try {
        token = await auth.getAccessToken();
      } catch (err) {
        throw new Error(`vertex: ${name}: ${reason(err)}`, { cause: err });
      }
      if (!token) throw new Error(`vertex: ${name}: no access token was returned`);
      return token;
    },
  };
}
