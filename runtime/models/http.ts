// One HTTP stack per configured model, carrying kagent's TLS options (skip verify, a custom CA file, no system CAs) in
// one undici Agent (lib/tls-fetch.ts), and the fetch every SDK (openai, @anthropic-ai/sdk) and our own Bedrock and
// Vertex calls go through.
import { readFileSync } from 'node:fs';
import type { ModelConfig } from '../../contract/config.js';
import { tlsHttp, type TlsHttp } from '../../lib/tls-fetch.js';
import { ModelSetupError } from './model-error.js';

export type ModelHttp = TlsHttp;
export type Connected = Awaited<ReturnType<TlsHttp['connect']>>;

export function modelHttp(cfg: ModelConfig): ModelHttp {
  // Read on first use: undici is only imported by an agent that calls a model, and the CA file is a separately
  // mounted Secret that may not exist yet — a missing file must fail LLM calls with a clear message, not keep the agent
  // (its card, health, metrics) from starting.
  return tlsHttp(
    () => {
      const caPath = cfg.tls_ca_cert_path;
      let ca: string[] | undefined;
      if (caPath) {
        try {
          ca = [readFileSync(caPath, 'utf8')];
        } catch (err) {
          throw new ModelSetupError(
            `model.tls_ca_cert_path: cannot read ${caPath} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
            { cause: err },
          );
        }
      }
      return {
        skipVerify: cfg.tls_insecure_skip_verify === true || cfg.tls_disable_verify === true,
        ca,
        systemCas: cfg.tls_disable_system_cas !== true,
      };
    },
    { connectMs: seconds(cfg.connect_timeout), readMs: seconds(cfg.read_timeout) },
  );
}

/** kagent's timeouts are whole seconds (the CRD's minimum is 1); anything else leaves undici's default. */
const seconds = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v * 1000 : undefined;

/** The fetch alone (tests, benchmarks). */
export function modelFetch(cfg: ModelConfig): typeof fetch {
  return modelHttp(cfg).fetch;
}
