// Amazon Bedrock embeddings through InvokeModel (`POST {base}/model/{modelId}/invoke`), addressed and authenticated
// as the Bedrock chat model is (models/bedrock-auth.ts): the regional endpoint of memory.embedding.base_url, else
// AWS_REGION / AWS_DEFAULT_REGION (kagent's memory block carries no region: the pod gets AWS_REGION from the Bedrock
// ModelConfig's env), and a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) or SigV4 with the AWS credential sources.
// InvokeModel bodies are per model family, so the model id picks a row of FAMILIES; an id no row knows is a startup
// error rather than an agent whose every memory call fails with a 400.
import { BedrockAuth, BedrockError } from '../../models/bedrock-auth.js';
import { joinUrl } from '../../models/openai-compatible.js';
import type { EmbedderFactory } from '../embedding-client.js';
import type { Embedder, EmbeddingPurpose } from '../types.js';

interface Family {
  /** For messages: what the row is. */
  readonly name: string;
  /** Texts one call takes (Titan embeds one text per call; it has no batch form). */
  readonly batch: number;
  body(texts: string[], purpose: EmbeddingPurpose): unknown;
  /** The vectors of the answer (one per text, in order) and the input tokens it reports, if any. */
  read(res: Record<string, unknown>): { vectors: unknown[]; inputTokens?: number };
}

const titan = (name: string, body: (text: string) => unknown): Family => ({
  name,
  batch: 1,
  body: ([text]) => body(text),
  read: (res) => ({
    vectors: [res.embedding],
    inputTokens: typeof res.inputTextTokenCount === 'number' ? res.inputTextTokenCount : undefined,
  }),
});

/**
 * The InvokeModel body of each embedding family, by model id prefix. Titan v2 offers 256, 512 or 1024 dimensions:
 * 1024 is asked and fitVector truncates it to 768 and normalises again. Titan v1 (and its older G1 id) answers 1536,
 * Cohere v3 1024, Cohere v4 1536 by default. Cohere embeds what is saved as `search_document` and what is searched
 * with as `search_query`, as its retrieval models expect.
 */
const FAMILIES: ReadonlyArray<readonly [prefix: string, family: Family]> = [
  [
    'amazon.titan-embed-text-v2',
    titan('Amazon Titan Text Embeddings v2', (inputText) => ({ inputText, dimensions: 1024, normalize: true })),
  ],
  ['amazon.titan-embed-text-v1', titan('Amazon Titan Text Embeddings v1', (inputText) => ({ inputText }))],
  ['amazon.titan-embed-g1-text', titan('Amazon Titan Embeddings G1 - Text', (inputText) => ({ inputText }))],
  [
    'cohere.embed-',
    {
      name: 'Cohere Embed',
      batch: 96,
      body: (texts, purpose) => ({ texts, input_type: purpose === 'query' ? 'search_query' : 'search_document' }),
      // v3 answers `embeddings: [[...]]`; v4 (and v3 when embedding_types is given) `embeddings: {float: [[...]]}`.
      read: (res) => {
        const e = res.embeddings as unknown;
        const list = Array.isArray(e) ? e : (e as { float?: unknown } | null)?.float;
        return { vectors: Array.isArray(list) ? list : [] };
      },
    },
  ],
];

/** Cross-region inference profiles prefix the model id with a geography (`us.cohere.embed-v4:0`). */
const GEOGRAPHY = /^(?:us|eu|apac|us-gov|global|jp|au|ca)\./;

/** The family of a model id, a foundation-model or inference-profile ARN (its last path segment), or undefined. */
export function bedrockEmbeddingFamily(model: string): Family | undefined {
  const id = model.slice(model.lastIndexOf('/') + 1).replace(GEOGRAPHY, '');
  return FAMILIES.find(([prefix]) => id.startsWith(prefix))?.[1];
}

/** The message of an error answer: AWS's `{"message"}` with its x-amzn-ErrorType, else the start of the body. */
function errorText(res: Response, text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: unknown; Message?: unknown };
    const m = body.message ?? body.Message;
    if (typeof m === 'string') message = m;
  } catch {
    /* not JSON: the body as is */
  }
  const type = res.headers.get('x-amzn-errortype')?.split(':')[0];
  return `${type ? `${type}: ` : ''}${message}`.slice(0, 300);
}

class BedrockEmbedder implements Embedder {
  readonly provider = 'bedrock';
  private readonly url: string;

  constructor(
    readonly model: string,
    private readonly family: Family,
    private readonly auth: BedrockAuth,
    private readonly fetchImpl: typeof fetch,
  ) {
    // Checked here: a base_url that is no http(s) URL fails at startup.
    this.url = joinUrl(auth.base, `/model/${encodeURIComponent(model)}/invoke`).href;
  }

  async embed(
    texts: string[],
    signal: AbortSignal,
    apiKey?: string,
    purpose: EmbeddingPurpose = 'document',
  ): Promise<{ vectors: number[][]; inputTokens: number }> {
    const vectors: number[][] = [];
    let inputTokens = 0;
    for (let i = 0; i < texts.length; i += this.family.batch) {
      const chunk = texts.slice(i, i + this.family.batch);
      const out = await this.invoke(chunk, signal, apiKey, purpose);
      vectors.push(...out.vectors);
      inputTokens += out.inputTokens;
    }
    return { vectors, inputTokens };
  }

  private async invoke(
    texts: string[],
    signal: AbortSignal,
    apiKey: string | undefined,
    purpose: EmbeddingPurpose,
  ): Promise<{ vectors: number[][]; inputTokens: number }> {
    const payload = JSON.stringify(this.family.body(texts, purpose));
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const auth = await this.auth.headers(this.url, headers, payload, apiKey);
    const res = await this.fetchImpl(this.url, {
      method: 'POST',
      headers: { ...headers, ...auth },
      body: payload,
      signal,
    });
    const text = await res.text();
    // The status travels on the error, so the retry policy retries 429 (throttling), 408 and 5xx as for chat calls.
    if (!res.ok) throw new BedrockError(`bedrock InvokeModel: ${errorText(res, text)}`, res.status);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new BedrockError(`bedrock InvokeModel: the ${this.family.name} answer is not JSON: ${text.slice(0, 100)}`);
    }
    const { vectors, inputTokens } = this.family.read(body ?? {});
    if (vectors.length !== texts.length) {
      throw new BedrockError(
        `bedrock InvokeModel: the ${this.family.name} answer holds ${vectors.length} embeddings for ${texts.length} input(s)`,
      );
    }
    // Bedrock reports the input tokens of every InvokeModel call in a header; Titan also in the body.
    const header = Number(res.headers.get('x-amzn-bedrock-input-token-count'));
    return { vectors: vectors as number[][], inputTokens: inputTokens ?? (Number.isFinite(header) ? header : 0) };
  }
}

export const createBedrockEmbedder: EmbedderFactory = (cfg, env, http) => {
  const family = bedrockEmbeddingFamily(cfg.model);
  if (!family) {
    const known = FAMILIES.map(([prefix]) => `${prefix}*`).join(', ');
    throw Object.assign(
      new Error(
        `"${cfg.model}" is not a Bedrock embedding model the runtime knows the InvokeModel body of (known: ${known})`,
      ),
      {
        field: 'memory.embedding.model',
      },
    );
  }
  // A region in the memory block (not one kagent writes) wins over the pod's AWS_REGION.
  const region = typeof cfg.region === 'string' && cfg.region ? cfg.region : undefined;
  return new BedrockEmbedder(cfg.model, family, new BedrockAuth({ region, base_url: cfg.base_url }, env), http.fetch);
};
