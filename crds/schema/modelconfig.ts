// kagent.dev/v1alpha2 ModelConfig: which LLM an agent talks to, with which credentials and parameters.
import { arr, bool, freeform, int, map, obj, str, strEnum, type Schema } from './builders.js';
import { tlsConfig } from './common.js';
import { conditions, configMapKeySelector, described, observedGeneration } from './kube.js';

/** Provider name -> the spec field that holds its settings. The cross-field rules read this table too. */
export const PROVIDER_FIELDS = {
  OpenAI: 'openAI',
  Anthropic: 'anthropic',
  AzureOpenAI: 'azureOpenAI',
  Ollama: 'ollama',
  Gemini: 'gemini',
  GeminiVertexAI: 'geminiVertexAI',
  AnthropicVertexAI: 'anthropicVertexAI',
  Bedrock: 'bedrock',
  SAPAICore: 'sapAICore',
  Foundry: 'foundry',
} as const;
export type ModelProvider = keyof typeof PROVIDER_FIELDS;
export const PROVIDERS = Object.keys(PROVIDER_FIELDS) as ModelProvider[];

export const OPENAI_API_FORMATS = ['chatCompletions', 'responses'] as const;

// kagent keeps sampling parameters as strings ("0.7") so that no float survives a round trip through Go.
const temperature = str('Sampling temperature, as a decimal string such as "0.7".');
const topP = str('Top-p (nucleus) sampling parameter, as a decimal string.');

const vertexBase = {
  projectID: str('The Google Cloud project ID.'),
  location: str('The Google Cloud location, e.g. us-central1.'),
  temperature,
  topP,
  topK: str('Top-k sampling parameter, as a decimal string.'),
  stopSequences: arr('Sequences at which the model stops generating.', str('A stop sequence.')),
};

const providerSchemas = {
  openAI: obj('OpenAI-specific settings; only with provider OpenAI.', {
    baseUrl: str('Base URL of an OpenAI-compatible API (overrides https://api.openai.com/v1).'),
    organization: str('The OpenAI organization ID.'),
    temperature,
    maxTokens: int('Maximum tokens to generate. Mutually exclusive with maxCompletionTokens.'),
    maxCompletionTokens: int(
      'Maximum completion tokens (visible output plus reasoning), sent as max_completion_tokens; what reasoning models require. Mutually exclusive with maxTokens.',
      { minimum: 1 },
    ),
    apiFormat: strEnum(
      'Which OpenAI HTTP API the runtime uses: chatCompletions (/v1/chat/completions) or responses (/v1/responses).',
      OPENAI_API_FORMATS,
      { default: 'chatCompletions' },
    ),
    topP,
    frequencyPenalty: str('Frequency penalty, as a decimal string.'),
    presencePenalty: str('Presence penalty, as a decimal string.'),
    seed: int('Seed for deterministic sampling.'),
    n: int('Number of completions to generate.'),
    timeout: int('Request timeout in seconds.'),
    reasoningEffort: strEnum('How many reasoning tokens the model may spend.', [
      'none',
      'minimal',
      'low',
      'medium',
      'high',
      'xhigh',
    ]),
    tokenExchange: obj(
      'Acquire a bearer token by credential exchange before model calls; requires apiKeySecret (the service account secret).',
      {
        type: strEnum('The token exchange mechanism.', ['GDCHServiceAccount']),
        gdchServiceAccount: obj(
          'GDCH service account token exchange parameters.',
          { audience: str('The token exchange audience URL (the GDC inference gateway base URL).') },
          ['audience'],
        ),
      },
      ['type'],
    ),
  }),
  anthropic: obj('Anthropic-specific settings; only with provider Anthropic.', {
    baseUrl: str('Base URL of the Anthropic API (overrides the default).'),
    maxTokens: int('Maximum tokens to generate.'),
    temperature,
    topP,
    topK: int('Top-k sampling parameter.'),
  }),
  azureOpenAI: obj(
    'Azure OpenAI-specific settings; only with provider AzureOpenAI.',
    {
      azureEndpoint: str('The Azure OpenAI endpoint, e.g. https://my-resource.openai.azure.com/.'),
      apiVersion: str('The Azure OpenAI API version, e.g. 2024-10-21.'),
      azureDeployment: str('The Azure OpenAI deployment name.'),
      azureAdToken: str('An Azure AD token for authentication.'),
      temperature,
      maxTokens: int('Maximum tokens to generate.'),
      topP,
    },
    ['azureEndpoint', 'apiVersion'],
  ),
  ollama: obj('Ollama-specific settings; only with provider Ollama.', {
    host: str('The Ollama API host, e.g. http://ollama.ollama:11434.'),
    options: map('Ollama model options (num_ctx, temperature, ...), as strings.'),
  }),
  gemini: obj('Gemini-specific settings; only with provider Gemini.', {
    maxOutputTokens: int('Maximum output tokens of a single response.', { minimum: 1 }),
  }),
  geminiVertexAI: obj(
    'Gemini on Vertex AI settings; only with provider GeminiVertexAI.',
    {
      ...vertexBase,
      maxOutputTokens: int('Maximum output tokens.'),
      candidateCount: int('Number of candidates to generate.'),
      responseMimeType: str('The response MIME type.'),
    },
    ['projectID', 'location'],
  ),
  anthropicVertexAI: obj(
    'Anthropic on Vertex AI settings; only with provider AnthropicVertexAI.',
    { ...vertexBase, maxTokens: int('Maximum tokens to generate.') },
    ['projectID', 'location'],
  ),
  bedrock: obj(
    'AWS Bedrock settings; only with provider Bedrock.',
    {
      region: str('The AWS region where the model is available, e.g. us-east-1.'),
      additionalModelRequestFields: freeform(
        "Model-specific parameters forwarded as-is to the Converse API's additionalModelRequestFields.",
      ),
      promptCaching: bool('Add Bedrock prompt-cache points after the system prompt and the tool list.', {
        default: false,
      }),
      cacheTTL: strEnum('How long Bedrock keeps a cached prefix when promptCaching is on.', ['5m', '1h'], {
        default: '5m',
      }),
      guardrail: obj(
        'A Bedrock guardrail applied to every Converse call.',
        {
          identifier: str('The guardrail ID or full ARN.', { minLength: 1, maxLength: 2048 }),
          version: str('The guardrail version: a number such as "1", or "DRAFT".', { minLength: 1, maxLength: 8 }),
          trace: strEnum('Whether Bedrock returns the guardrail trace.', ['disabled', 'enabled', 'enabled_full'], {
            default: 'disabled',
          }),
        },
        ['identifier', 'version'],
      ),
      readTimeout: int('Read timeout of the Bedrock HTTP client in seconds; the runtime default when unset.', {
        minimum: 1,
      }),
      connectTimeout: int(
        'Connection-establishment timeout of the Bedrock HTTP client in seconds; the runtime default when unset.',
        { minimum: 1 },
      ),
    },
    ['region'],
  ),
  sapAICore: obj(
    'SAP AI Core settings; only with provider SAPAICore.',
    {
      baseUrl: str('Base URL of the SAP AI Core API.'),
      resourceGroup: str('The SAP AI Core resource group.', { default: 'default' }),
      authUrl: str('The OAuth2 token endpoint URL.'),
    },
    ['baseUrl'],
  ),
  foundry: obj(
    'Azure AI Foundry settings; only with provider Foundry. Exactly one of endpoint and endpointFrom.',
    {
      endpoint: str('The Foundry or Azure AI Services account endpoint.'),
      endpointFrom: described(configMapKeySelector, 'Read the endpoint from a ConfigMap key.'),
      deployment: str('The Foundry model deployment name.'),
      apiVersion: str('The Foundry OpenAI-compatible data-plane API version.', { default: '2024-10-21' }),
    },
    ['deployment'],
  ),
} satisfies Record<(typeof PROVIDER_FIELDS)[ModelProvider], Schema>;

export const modelConfigSpec = obj(
  'ModelConfigSpec defines the model an agent uses: provider, model name, credentials and parameters.',
  {
    model: str('The model name, e.g. gpt-4o or claude-sonnet-4-5.', { minLength: 1 }),
    apiKeySecret: str(
      'Name of a Secret in the same namespace that holds the API key. For SAPAICore it holds client_id and client_secret.',
    ),
    apiKeySecretKey: str('The key in apiKeySecret that holds the API key (not used for SAPAICore).'),
    apiKeyPassthrough: bool(
      'Forward the Bearer token of the incoming A2A request to the provider as the API key. Mutually exclusive with apiKeySecret.',
    ),
    defaultHeaders: map('HTTP headers sent with every request to the model provider.'),
    provider: strEnum('The model provider.', PROVIDERS, { default: 'OpenAI' }),
    ...providerSchemas,
    tls: tlsConfig('model provider'),
  },
  ['model'],
);

export const modelConfigStatus = obj('ModelConfigStatus is the observed state of the ModelConfig.', {
  conditions,
  observedGeneration,
  secretHash: str(
    'A hash of the Secrets the ModelConfig refers to, so that agents using it roll their pods when a key rotates.',
  ),
});
