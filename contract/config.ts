// kagent's config.json for the agent runtime (kagent-adk's AgentConfig, release/v0.10.x), as JSON on disk.
// Unknown fields are kept and ignored: the controller may be newer than the runtime.

export interface ModelConfig {
  type: string;
  model: string;
  base_url?: string;
  headers?: Record<string, string>;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  seed?: number;
  n?: number;
  reasoning_effort?: string;
  /** openai: the newer name of the output limit (o-series and GPT-5 models take only this one). */
  max_completion_tokens?: number;
  /** openai: "chatCompletions" (default) or "responses" (the Responses API). */
  api_format?: string;
  /** anthropic, gemini_anthropic, gemini_vertex_ai */
  top_k?: number;
  /** gemini_anthropic, gemini_vertex_ai: the model stops at any of these strings. */
  stop_sequences?: string[];
  /** gemini_vertex_ai: the number of candidates asked for (the agent uses the first). */
  candidate_count?: number;
  /** gemini_vertex_ai: the response's MIME type, e.g. application/json. */
  response_mime_type?: string;
  /** ollama: Ollama's model options (num_ctx, temperature, ...) as the ModelConfig's strings; typed by the runtime. */
  options?: Record<string, string>;
  /** gemini, gemini_vertex_ai: the output limit (gemini: max_tokens of the OpenAI-compatible endpoint; gemini_vertex_ai: maxOutputTokens). */
  max_output_tokens?: number;
  /** bedrock: a cache point after the system prompt and the tools; cache_ttl "5m" (default) or "1h". */
  prompt_caching?: boolean;
  cache_ttl?: string;
  /** bedrock: the Converse guardrailConfig. */
  guardrail?: { identifier: string; version: string; trace?: string };
  /** bedrock: passed as the Converse additionalModelRequestFields. */
  additional_model_request_fields?: Record<string, unknown>;
  /** Seconds. */
  timeout?: number;
  /**
   * bedrock: seconds the HTTP client waits for the answer's headers and between its body's bytes (botocore's read
   * timeout in kagent's Python runtime).
   */
  read_timeout?: number;
  /** bedrock: seconds to establish the connection (TCP and TLS). */
  connect_timeout?: number;
  tls_insecure_skip_verify?: boolean;
  /** kagent-adk's older spelling of tls_insecure_skip_verify. */
  tls_disable_verify?: boolean;
  tls_ca_cert_path?: string;
  tls_disable_system_cas?: boolean;
  api_key_passthrough?: boolean;
  /** bedrock */
  region?: string;
  /** azure_openai (kagent passes these as env vars too; the config wins when set) */
  azure_endpoint?: string;
  api_version?: string;
  azure_deployment?: string;
  [key: string]: unknown;
}

export interface McpConnectionParams {
  url: string;
  headers?: Record<string, string>;
  /** Seconds for connecting and each call. */
  timeout?: number;
  /** Seconds an SSE stream may stay silent. */
  sse_read_timeout?: number;
  terminate_on_close?: boolean;
  /**
   * metagent's extension: a projected ServiceAccount token file (kubelet rotates it) whose content the runtime sends
   * as `Authorization: Bearer` on every request to this server, re-read each time.
   */
  service_account_token_path?: string;
  /** From RemoteMCPServer.spec.tls, as kagent writes a model's: verification off, a mounted CA file, no system CAs. */
  tls_insecure_skip_verify?: boolean;
  /** kagent-adk's older spelling of tls_insecure_skip_verify. */
  tls_disable_verify?: boolean;
  tls_ca_cert_path?: string;
  tls_disable_system_cas?: boolean;
}

export interface McpServerConfig {
  params: McpConnectionParams;
  /** Only these tools are exposed; empty or absent = all. */
  tools?: string[];
  /** Tools that pause the task for a human decision before running. */
  require_approval?: string[];
  /** Headers of the incoming A2A request forwarded to this server's tool calls (names case-insensitive). */
  allowed_headers?: string[];
}

export interface RemoteAgentConfig {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** Seconds. */
  timeout?: number;
  /**
   * bedrock: seconds the HTTP client waits for the answer's headers and between its body's bytes (botocore's read
   * timeout in kagent's Python runtime).
   */
  read_timeout?: number;
  /** bedrock: seconds to establish the connection (TCP and TLS). */
  connect_timeout?: number;
  description?: string;
  isolate_sessions?: boolean;
}

export interface AgentConfig {
  description: string;
  instruction: string;
  /** null for BYO agents, whose own image serves A2A. */
  model: ModelConfig | null;
  http_tools?: McpServerConfig[];
  sse_tools?: McpServerConfig[];
  remote_agents?: RemoteAgentConfig[];
  execute_code?: boolean;
  stream?: boolean;
  /**
   * metagent's extension (the Agent's spec.declarative.shareTools): the model gets kagent's share-link tools for the
   * current session. Written only when true, so kagent's own outputs are unchanged.
   */
  share_tools?: boolean;
  [key: string]: unknown;
}

/** The agent card as kagent writes it (A2A v1.0 JSON). */
export type AgentCardJson = Record<string, unknown> & { name: string };
