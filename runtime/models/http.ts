// The fetch every provider SDK uses, carrying kagent's TLS options (skip verify, a custom CA file, no system CAs).
// The installed undici's own fetch is used with its Agent, because Node's bundled fetch may be a different undici
// version than the dispatcher's.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Agent } from 'undici';
import type { ModelConfig } from '../config/types.js';

export function modelFetch(cfg: ModelConfig): typeof fetch {
  const skipVerify = cfg.tls_insecure_skip_verify === true || cfg.tls_disable_verify === true;
  const caPath = cfg.tls_ca_cert_path;
  const noSystemCas = cfg.tls_disable_system_cas === true;
  if (!skipVerify && !caPath && !noSystemCas) return fetch;
  // Built on first use: the CA file is a separately mounted Secret that may not exist yet, and a missing file must
  // fail LLM calls with a clear message, not keep the agent (its card, health, metrics) from starting.
  let dispatcher: Agent | undefined;
  let undici: typeof import('undici') | undefined;
  const getDispatcher = async (): Promise<Agent> => {
    if (dispatcher) return dispatcher;
    undici ??= await import('undici');
    let ca: string[] | undefined;
    if (caPath || noSystemCas) {
      const custom: string[] = [];
      if (caPath) {
        try {
          custom.push(readFileSync(caPath, 'utf8'));
        } catch (err) {
          throw new Error(`model.tls_ca_cert_path: cannot read ${caPath} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
      }
      ca = noSystemCas ? custom : [...rootCertificates, ...custom];
    }
    dispatcher = new undici.Agent({ connect: { rejectUnauthorized: !skipVerify, ...(ca ? { ca } : {}) } });
    return dispatcher;
  };
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const agent = await getDispatcher();
    return undici!.fetch(input as never, { ...(init as object), dispatcher: agent } as never);
  }) as unknown as typeof fetch;
}
