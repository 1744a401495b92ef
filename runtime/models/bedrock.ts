// Amazon Bedrock through its Converse API, authenticated with a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) or SigV4
// with AWS credentials: kagent's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), IRSA web identity or
// the container credentials endpoint (aws-credentials.ts). A call without any fails with a message saying what to
// set; the agent still starts.
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, ProviderFactory } from './types.js';
import type { ModelConfig } from '../config/types.js';
import { signV4 } from './sigv4.js';
import { awsCredentialSource, type CredentialSource } from './aws-credentials.js';

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
    if (m.role === 'user') push('user', [{ text: m.content }]);
    else if (m.role === 'tool') push('user', [{ toolResult: { toolUseId: m.toolCallId, content: [{ text: m.content }] } }]);
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

class HttpStatusError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

class BedrockModel implements ChatModel {
  readonly provider = 'bedrock';
  private readonly credentials: CredentialSource | undefined;
  constructor(
    readonly model: string,
    private readonly cfg: ModelConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly fetchImpl: typeof fetch,
  ) {
    this.credentials = awsCredentialSource(env, fetchImpl);
  }

  async complete(req: ChatRequest): Promise<ChatResult> {
    const token = req.apiKey || this.env.AWS_BEARER_TOKEN_BEDROCK;
    if (!token && !this.credentials) {
      throw new Error(
        'bedrock: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK, or give the pod an IAM role (IRSA: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE; EKS Pod Identity)',
      );
    }
    const region = this.cfg.region || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || 'us-east-1';
    const base = this.cfg.base_url || `https://bedrock-runtime.${region}.amazonaws.com`;
    const { system, turns } = toConverse(req.messages);
    const body = {
      messages: turns,
      ...(system.length ? { system } : {}),
      inferenceConfig: {
        ...(this.cfg.max_tokens !== undefined ? { maxTokens: this.cfg.max_tokens } : {}),
        ...(this.cfg.temperature !== undefined ? { temperature: this.cfg.temperature } : {}),
        ...(this.cfg.top_p !== undefined ? { topP: this.cfg.top_p } : {}),
      },
      ...(req.tools.length
        ? { toolConfig: { tools: req.tools.map((t) => ({ toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.parameters } } })) } }
        : {}),
    };
    const url = `${base}/model/${encodeURIComponent(this.model)}/converse`;
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(this.cfg.headers ?? {}) };
    const auth = token
      ? { authorization: `Bearer ${token}` }
      : signV4({ method: 'POST', url, headers, body: payload, region, service: 'bedrock', credentials: await this.credentials!.get() });
    const res = await this.fetchImpl(url, { method: 'POST', headers: { ...headers, ...auth }, body: payload, signal: req.signal });
    if (!res.ok) throw new HttpStatusError(res.status, `bedrock: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const out = (await res.json()) as {
      output?: { message?: { content?: Array<{ text?: string; toolUse?: { toolUseId: string; name: string; input: unknown } }> } };
      usage?: { inputTokens?: number; outputTokens?: number };
    };
    let text = '';
    const toolCalls = [];
    for (const block of out.output?.message?.content ?? []) {
      if (block.text) text += block.text;
      if (block.toolUse) toolCalls.push({ id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) });
    }
    if (text && req.onText) req.onText(text);
    return { text, toolCalls, usage: { input: out.usage?.inputTokens ?? 0, output: out.usage?.outputTokens ?? 0 } };
  }
}

export const createBedrock: ProviderFactory = (cfg, env, http) => new BedrockModel(cfg.model, cfg, env, http.fetch);
