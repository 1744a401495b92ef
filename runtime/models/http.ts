// The fetch every provider SDK uses, carrying kagent's TLS options (skip verify, a custom CA file, no system CAs).
// The installed undici's own fetch is used with its Agent, because Node's bundled fetch may be a different undici
// version than the dispatcher's.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { ModelConfig } from '../config/types.js';
import { ConfigError } from '../config/load.js';

export function modelFetch(cfg: ModelConfig, configFile = 'config.json'): typeof fetch {
  const skipVerify = cfg.tls_insecure_skip_verify === true || cfg.tls_disable_verify === true;
  const caPath = cfg.tls_ca_cert_path;
  const noSystemCas = cfg.tls_disable_system_cas === true;
  if (!skipVerify && !caPath && !noSystemCas) return fetch;
  let ca: string[] | undefined;
  if (caPath || noSystemCas) {
    const custom: string[] = [];
    if (caPath) {
      try {
        custom.push(readFileSync(caPath, 'utf8'));
      } catch (err) {
        // The CA file may be mounted later than the config in some setups; fail loudly rather than trust nothing.
        throw new ConfigError(configFile, 'model.tls_ca_cert_path', `cannot read ${caPath} (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
    }
    ca = noSystemCas ? custom : [...rootCertificates, ...custom];
  }
  const dispatcher = new Agent({ connect: { rejectUnauthorized: !skipVerify, ...(ca ? { ca } : {}) } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}
