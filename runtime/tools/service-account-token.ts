// The agent's projected ServiceAccount token as a bearer token for MCP servers that act with the agent's identity
// (config.json `service_account_token_path`). kubelet rotates the file (an atomic swap of the mounted directory) well
// before the token expires, so it is read again for every request rather than once at start.
import { readFile } from 'node:fs/promises';

type Fetch = typeof fetch;

/** A fetch that adds `Authorization: Bearer <the file's content>` to every request; the token is never logged. */
export function bearerFromFile(path: string, base: Fetch = fetch): Fetch {
  return async (input, init) => {
    let token: string;
    try {
      token = (await readFile(path, 'utf8')).trim();
    } catch (err) {
      throw new Error(
        `cannot read the ServiceAccount token ${path} (service_account_token_path): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
    if (!token) throw new Error(`the ServiceAccount token ${path} (service_account_token_path) is empty`);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('authorization', `Bearer ${token}`);
    return base(input, { ...init, headers });
  };
}
