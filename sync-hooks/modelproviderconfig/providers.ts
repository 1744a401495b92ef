// How each ModelProviderConfig type lists its models: one table row per provider type (kagent release/v0.10.x's
// DefaultModelProviderEndpoint and ModelDiscoverer: the endpoint used when spec.endpoint is unset, the models URL,
// the auth header, the response shape). Pure: building the request and reading the answer; discover.ts does the HTTP.
import type { ModelProvider } from '../../crds/schema/modelconfig.js';

export interface ModelsRequest {
  url: string;
  headers: Record<string, string>;
}

export interface ProviderDiscovery {
  /** kagent's default endpoint for the type; types without one need spec.endpoint. */
  defaultEndpoint?: string;
  /** Whether the type authenticates with the Secret's key (kagent: every type but Ollama). */
  requiresSecret: boolean;
  request(endpoint: string, apiKey: string | undefined): ModelsRequest;
  /** The model IDs in a parsed response body; throws a MalformedResponse naming what is missing. */
  parse(body: unknown): string[];
}

export class MalformedResponse extends Error {}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** `<endpoint>/models` when the endpoint already ends in /v1 (OpenAI's default does), else `<endpoint>/v1/models`. */
const v1Models = (endpoint: string) => {
  const e = trimSlash(endpoint);
  return e.endsWith('/v1') ? `${e}/models` : `${e}/v1/models`;
};

/** One header carrying the key, none without a key. */
const keyHeader = (name: string, value: string | undefined): Record<string, string> => (value ? { [name]: value } : {});
const bearer = (apiKey: string | undefined) => keyHeader('authorization', apiKey && `Bearer ${apiKey}`);

/** The `data[].id` list of OpenAI's (and Anthropic's) GET /v1/models. */
function parseDataIds(body: unknown): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new MalformedResponse('the response has no "data" array');
  return idsOf(data, 'id', 'data');
}

/** Entries whose `field` is a non-empty string; anything else in the list is malformed. */
function idsOf(list: unknown[], field: string, where: string): string[] {
  return list.map((m, i) => {
    const v = (m as Record<string, unknown> | null)?.[field];
    if (typeof v !== 'string' || v === '') throw new MalformedResponse(`${where}[${i}].${field} is not a string`);
    return v;
  });
}

/** OpenAI-compatible providers (OpenAI, LiteLLM, vLLM, ...): Bearer key, GET /v1/models. kagent's default branch. */
const openAICompatible = (defaultEndpoint?: string): ProviderDiscovery => ({
  defaultEndpoint,
  requiresSecret: true,
  request: (endpoint, apiKey) => ({ url: v1Models(endpoint), headers: bearer(apiKey) }),
  parse: parseDataIds,
});

const anthropic: ProviderDiscovery = {
  defaultEndpoint: 'https://api.anthropic.com',
  requiresSecret: true,
  // limit=1000 is the API's largest page: one request lists every model Anthropic has today.
  request: (endpoint, apiKey) => ({
    url: `${v1Models(endpoint)}?limit=1000`,
    headers: { ...keyHeader('x-api-key', apiKey), 'anthropic-version': '2023-06-01' },
  }),
  parse: parseDataIds,
};

// Google AI's native list (kagent sends a Bearer header and reads `data`, which this API does not return; the
// documented form is the x-goog-api-key header and `models[].name` = "models/<id>"). An OpenAI-compatible answer
// (`data[].id`, e.g. from a proxy at spec.endpoint) is read too.
const gemini: ProviderDiscovery = {
  defaultEndpoint: 'https://generativelanguage.googleapis.com',
  requiresSecret: true,
  request: (endpoint, apiKey) => {
    const e = trimSlash(endpoint);
    const url = e.includes('generativelanguage.googleapis.com') ? `${e}/v1beta/models?pageSize=1000` : v1Models(e);
    return { url, headers: keyHeader('x-goog-api-key', apiKey) };
  },
  parse: (body) => {
    const models = (body as { models?: unknown } | null)?.models;
    if (Array.isArray(models)) return idsOf(models, 'name', 'models').map((n) => n.replace(/^models\//, ''));
    return parseDataIds(body);
  },
};

const ollama: ProviderDiscovery = {
  defaultEndpoint: 'http://localhost:11434',
  requiresSecret: false,
  // Ollama needs no key; one given (an Ollama behind an authenticating proxy) is sent as a Bearer token.
  request: (endpoint, apiKey) => ({ url: `${trimSlash(endpoint)}/api/tags`, headers: bearer(apiKey) }),
  parse: (body) => {
    const models = (body as { models?: unknown } | null)?.models;
    if (!Array.isArray(models)) throw new MalformedResponse('the response has no "models" array');
    return idsOf(models, 'name', 'models');
  },
};

// Azure OpenAI's v1 API authenticates an API key with the api-key header (a Bearer header carries Entra tokens).
const azureOpenAI: ProviderDiscovery = {
  requiresSecret: true,
  request: (endpoint, apiKey) => {
    const e = trimSlash(endpoint);
    const url = e.endsWith('/openai/v1') || e.endsWith('/v1') ? `${e}/models` : `${e}/openai/v1/models`;
    return { url, headers: keyHeader('api-key', apiKey) };
  },
  parse: parseDataIds,
};

/** Every provider type of the schema's enum (a missing row does not compile). */
export const PROVIDER_DISCOVERY: Readonly<Record<ModelProvider, ProviderDiscovery>> = {
  OpenAI: openAICompatible('https://api.openai.com/v1'),
  Anthropic: anthropic,
  AzureOpenAI: azureOpenAI,
  Ollama: ollama,
  Gemini: gemini,
  // Vertex AI, Bedrock, SAP AI Core and Foundry have no default endpoint (kagent: user-specific); at spec.endpoint
  // they are asked as kagent asks them: the OpenAI-compatible way, Anthropic's headers for AnthropicVertexAI.
  GeminiVertexAI: openAICompatible(),
  AnthropicVertexAI: { ...anthropic, defaultEndpoint: undefined },
  Bedrock: openAICompatible(),
  SAPAICore: openAICompatible(),
  Foundry: openAICompatible(),
};

export function providerDiscovery(type: unknown): ProviderDiscovery | undefined {
  return typeof type === 'string' && Object.hasOwn(PROVIDER_DISCOVERY, type)
    ? PROVIDER_DISCOVERY[type as ModelProvider]
    : undefined;
}
