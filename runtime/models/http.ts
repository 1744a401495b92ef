// One HTTP stack per configured model, carrying kagent's TLS options (skip verify, a custom CA file, no system CAs) in
// one undici Agent, and the fetch every SDK (openai, @anthropic-ai/sdk) and our own Bedrock and Vertex calls go
// through. It is the installed undici's fetch on that Agent: Node's bundled fetch may be a different undici version
// than the dispatcher's, and one Agent per model keeps its connection pool (keep-alive) across calls.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Agent } from 'undici';
import type { ModelConfig } from '../../contract/config.js';
import { ModelSetupError } from './model-error.js';

type Undici = typeof import('undici');

export interface Connected {
  undici: Undici;
  dispatcher: Agent;
}

export interface ModelHttp {
  /** undici and the model's Agent, built on first use (see below); every call goes through this one Agent. */
  connect(): Promise<Connected>;
  /** fetch over the same Agent, for SDKs that take a fetch. */
  fetch: typeof fetch;
}

export function modelHttp(cfg: ModelConfig): ModelHttp {
  const skipVerify = cfg.tls_insecure_skip_verify === true || cfg.tls_disable_verify === true;
  const caPath = cfg.tls_ca_cert_path;
  const noSystemCas = cfg.tls_disable_system_cas === true;
  const tls = skipVerify || !!caPath || noSystemCas;
  // Built on first use: undici is only imported by an agent that calls a model, and the CA file is a separately
  // mounted Secret that may not exist yet — a missing file must fail LLM calls with a clear message, not keep the agent
  // (its card, health, metrics) from starting.
  let connected: Connected | undefined;
  const connect = async (): Promise<Connected> => {
    if (connected) return connected;
    const undici = await import('undici');
    let ca: string[] | undefined;
    if (caPath || noSystemCas) {
      const custom: string[] = [];
      if (caPath) {
        try {
          custom.push(readFileSync(caPath, 'utf8'));
        } catch (err) {
          throw new ModelSetupError(
            `model.tls_ca_cert_path: cannot read ${caPath} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
            { cause: err },
          );
        }
      }
      ca = noSystemCas ? custom : [...rootCertificates, ...custom];
    }
    const dispatcher = new undici.Agent(
      tls ? { connect: { rejectUnauthorized: !skipVerify, ...(ca ? { ca } : {}) } } : {},
    );
    connected = { undici, dispatcher };
    return connected;
  };
  const modelFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const { undici, dispatcher } = await connect();
    return undici.fetch(input as never, { ...(init as object), dispatcher } as never);
  }) as unknown as typeof fetch;
  return { connect, fetch: modelFetch };
}

/** The fetch alone (tests, benchmarks). */
export function modelFetch(cfg: ModelConfig): typeof fetch {
  return modelHttp(cfg).fetch;
}
