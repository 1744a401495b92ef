// Amazon Bedrock through its Converse API (ConverseStream when the caller streams), authenticated with a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) or SigV4
// with AWS credentials: kagent's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), IRSA web identity or
// the container credentials endpoint (aws-credentials.ts). A call without any fails with a message saying what to
// set; the agent still starts.
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, ProviderFactory } from './types.js';
import type { ModelConfig } from '../../contract/config.js';
import { converseBlocks } from './attachments.js';
import { BedrockAuth, BedrockError } from './bedrock-auth.js';
import { decodeEventStream, type EventStreamMessage } from './aws-event-stream.js';

type Block = Record<string, unknown>;

function toConverse(messages: ChatMessage[]) {
  const system = messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
  const turns: Array<{ role: 'user' | 'assistant'; content: Block[] }> = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', converseBlocks(m));
    else if (m.role === 'tool')
      push('user', [{ toolResult: { toolUseId: m.toolCallId, content: [{ text: m.content }] } }]);
    else if (m.role === 'assistant') {
      const blocks: Block[] = m.content ? [{ text: m.content }] : [];
      for (const tc of m.toolCalls ?? []) {
        let input: unknown = {};
        try {
          input = JSON.parse(tc.arguments || '{}');
        } catch {
          /* the model produced invalid JSON; send an empty object */
        }
        blocks.push({ toolUse: { toolUseId: tc.id, name: tc.name, input } });
      }
      if (blocks.length) push('assistant', blocks);
    }
  }
  return { system, turns };
}

// ConverseStream's exception events, with the HTTP status AWS documents for each, so retry.ts treats them like the
// same errors answered before the stream began. modelStreamErrorException is documented as 424 but "retry your
// request": 502 (the model's stream failed upstream) makes retry.ts retry it. Unknown types carry no status: retried
// like a network failure, since the service said something went wrong mid-answer.
const EXCEPTION_STATUS: Readonly<Record<string, number>> = Object.freeze({
  throttlingException: 429,
  serviceUnavailableException: 503,
  internalServerException: 500,
  modelStreamErrorException: 502,
  modelTimeoutException: 408,
  modelNotReadyException: 429,
  validationException: 400,
  accessDeniedException: 403,
  resourceNotFoundException: 404,
  serviceQuotaExceededException: 400,
});

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** An `exception` (modelled) or `error` (unmodelled) message of the stream as a BedrockError. */
function streamException(msg: EventStreamMessage): BedrockError {
  const h = msg.headers;
  const type = String(
    h[':message-type'] === 'exception' ? h[':exception-type'] : (h[':error-code'] ?? 'unknown error'),
  );
  let text = typeof h[':error-message'] === 'string' ? (h[':error-message'] as string) : '';
  try {
    const body = JSON.parse(new TextDecoder().decode(msg.payload)) as { message?: unknown; Message?: unknown };
    const m = body.message ?? body.Message;
    if (typeof m === 'string') text = m;
  } catch {
    /* no JSON payload: the header's message, if any */
  }
  return new BedrockError(
    `bedrock: ConverseStream ${type}${text ? `: ${text.slice(0, 300)}` : ''}`,
    EXCEPTION_STATUS[lowerFirst(type)],
  );
}

interface StreamEvents {
  contentBlockStart: { contentBlockIndex?: number; start?: { toolUse?: { toolUseId?: string; name?: string } } };
  contentBlockDelta: { contentBlockIndex?: number; delta?: { text?: string; toolUse?: { input?: string } } };
  messageStop: { stopReason?: string };
  metadata: { usage?: { inputTokens?: number; outputTokens?: number } };
}

/** Reads ConverseStream's events into a ChatResult, text deltas to `onText` as they arrive. */
async function readConverseStream(
  body: ReadableStream<Uint8Array>,
  onText: (delta: string) => void,
  signal: AbortSignal,
): Promise<ChatResult> {
  let text = '';
  const tools = new Map<number, { id: string; name: string; arguments: string }>();
  const usage = { input: 0, output: 0 };
  let stopped = false;
  for await (const msg of decodeEventStream(body)) {
    signal.throwIfAborted();
    const kind = msg.headers[':message-type'];
    if (kind === 'exception' || kind === 'error') throw streamException(msg);
    if (kind !== 'event') continue;
    const type = msg.headers[':event-type'];
    if (type !== 'contentBlockStart' && type !== 'contentBlockDelta' && type !== 'messageStop' && type !== 'metadata')
      continue; // messageStart, contentBlockStop, future events
    let ev: StreamEvents[typeof type];
    try {
      ev = JSON.parse(new TextDecoder().decode(msg.payload));
    } catch {
      throw new BedrockError(`bedrock: ConverseStream ${type} event has a payload that is not JSON`);
    }
    if (type === 'contentBlockStart') {
      const e = ev as StreamEvents['contentBlockStart'];
      const tu = e.start?.toolUse;
      if (tu) tools.set(e.contentBlockIndex ?? 0, { id: tu.toolUseId ?? '', name: tu.name ?? '', arguments: '' });
    } else if (type === 'contentBlockDelta') {
      const e = ev as StreamEvents['contentBlockDelta'];
      if (typeof e.delta?.text === 'string' && e.delta.text) {
        text += e.delta.text;
        onText(e.delta.text);
      }
      const input = e.delta?.toolUse?.input;
      if (typeof input === 'string') {
        const index = e.contentBlockIndex ?? 0;
        const call = tools.get(index);
        if (!call)
          throw new BedrockError(
            `bedrock: ConverseStream contentBlockDelta for block ${index} carries tool input, but no contentBlockStart named its tool`,
          );
        call.arguments += input;
      }
    } else if (type === 'messageStop') {
      stopped = true;
    } else {
      const u = (ev as StreamEvents['metadata']).usage;
      usage.input = u?.inputTokens ?? usage.input;
      usage.output = u?.outputTokens ?? usage.output;
    }
  }
  // A stream that closed cleanly between frames but before messageStop was cut short (no status: retried, unless
  // text already went out).
  if (!stopped) throw new BedrockError('bedrock: ConverseStream ended before its messageStop event');
  const toolCalls = [...tools.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) => ({ ...c, arguments: c.arguments || '{}' }));
  return { text, toolCalls, usage };
}

/**
 * What kagent's Bedrock fields add to a Converse request: `guardrail` {identifier, version, trace} as guardrailConfig,
 * `prompt_caching` (with `cache_ttl`, "5m" or "1h") as a cache point block, `additional_model_request_fields` as is.
 */
export function converseExtras(cfg: ModelConfig): {
  guardrailConfig?: Record<string, string>;
  cachePoint?: Block;
  additionalModelRequestFields?: Record<string, unknown>;
} {
  const out: ReturnType<typeof converseExtras> = {};
  const g = cfg.guardrail as { identifier?: unknown; version?: unknown; trace?: unknown } | undefined;
  if (g && typeof g === 'object' && typeof g.identifier === 'string' && g.identifier) {
    out.guardrailConfig = {
      guardrailIdentifier: g.identifier,
      guardrailVersion: typeof g.version === 'string' ? g.version : '',
      ...(typeof g.trace === 'string' && g.trace ? { trace: g.trace } : {}),
    };
  }
  if (cfg.prompt_caching === true) {
    const ttl = typeof cfg.cache_ttl === 'string' && cfg.cache_ttl ? cfg.cache_ttl : undefined;
    out.cachePoint = { cachePoint: { type: 'default', ...(ttl ? { ttl } : {}) } };
  }
  const extra = cfg.additional_model_request_fields;
  if (extra && typeof extra === 'object' && !Array.isArray(extra) && Object.keys(extra).length)
    out.additionalModelRequestFields = extra as Record<string, unknown>;
  return out;
}

class BedrockModel implements ChatModel {
  readonly provider = 'bedrock';
  private readonly auth: BedrockAuth;
  constructor(
    readonly model: string,
    private readonly cfg: ModelConfig,
    env: NodeJS.ProcessEnv,
    private readonly fetchImpl: typeof fetch,
  ) {
    this.auth = new BedrockAuth(cfg, env);
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    // Streaming callers get ConverseStream; the same request body, signed the same way, at another path.
    const stream = req.onText !== undefined;
    const res = await this.send(req, stream ? 'converse-stream' : 'converse');
    if (!res.ok) throw new BedrockError(`bedrock: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`, res.status);
    if (stream) {
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('application/vnd.amazon.eventstream') || !res.body) {
        // Read, not cancelled: the error names what the server sent instead, and the connection is left reusable.
        const text = await res.text().catch(() => '');
        throw new BedrockError(
          `bedrock: ConverseStream answered content-type "${type.slice(0, 100)}", not application/vnd.amazon.eventstream: ${text.slice(0, 200)}`,
        );
      }
      return readConverseStream(res.body, req.onText!, req.signal);
    }
    const out = (await res.json()) as {
      output?: {
        message?: { content?: Array<{ text?: string; toolUse?: { toolUseId: string; name: string; input: unknown } }> };
      };
      usage?: { inputTokens?: number; outputTokens?: number };
    };
    let text = '';
    const toolCalls = [];
    for (const block of out.output?.message?.content ?? []) {
      if (block.text) text += block.text;
      if (block.toolUse)
        toolCalls.push({
          id: block.toolUse.toolUseId,
          name: block.toolUse.name,
          arguments: JSON.stringify(block.toolUse.input ?? {}),
        });
    }
    return { text, toolCalls, usage: { input: out.usage?.inputTokens ?? 0, output: out.usage?.outputTokens ?? 0 } };
  }

  /** Builds, authenticates and sends the Converse request; `operation` is the last path segment. */
  private async send(req: ChatRequest, operation: 'converse' | 'converse-stream'): Promise<Response> {
    const { system, turns } = toConverse(req.messages);
    const extras = converseExtras(this.cfg);
    const tools = req.tools.map((t): Block => ({
      toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.parameters } },
    }));
    // Prompt caching (kagent's prompt_caching / cache_ttl): a cache point after the system prompt and after the tools,
    // the two parts that repeat unchanged from call to call.
    if (extras.cachePoint) {
      if (system.length) system.push(extras.cachePoint as { text: string });
      if (tools.length) tools.push(extras.cachePoint);
    }
    const body = {
      messages: turns,
      ...(system.length ? { system } : {}),
      inferenceConfig: {
        ...(this.cfg.max_tokens !== undefined ? { maxTokens: this.cfg.max_tokens } : {}),
        ...(this.cfg.temperature !== undefined ? { temperature: this.cfg.temperature } : {}),
        ...(this.cfg.top_p !== undefined ? { topP: this.cfg.top_p } : {}),
      },
      ...(tools.length ? { toolConfig: { tools } } : {}),
      ...(extras.guardrailConfig ? { guardrailConfig: extras.guardrailConfig } : {}),
      ...(extras.additionalModelRequestFields
        ? { additionalModelRequestFields: extras.additionalModelRequestFields }
        : {}),
    };
    const url = `${this.auth.base}/model/${encodeURIComponent(this.model)}/${operation}`;
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(this.cfg.headers ?? {}) };
    const auth = await this.auth.headers(url, headers, payload, req.apiKey);
    return this.fetchImpl(url, { method: 'POST', headers: { ...headers, ...auth }, body: payload, signal: req.signal });
  }
}

export const createBedrock: ProviderFactory = (cfg, env, http) => new BedrockModel(cfg.model, cfg, env, http.fetch);
