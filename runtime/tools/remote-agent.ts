// Another agent as a tool (kagent's remote_agents): the tool sends the model's request to that agent over A2A with
// the @a2a-js/sdk client and returns its answer. Unless isolate_sessions is set, calls made from one conversation
// share one context on the remote agent, so it too sees the earlier turns.
import { randomUUID } from 'node:crypto';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import type { RemoteAgentConfig } from '../../contract/config.js';
import { textOf, userMessage } from '../a2a/parts.js';
import { toolName, type Tool, type ToolContext } from './types.js';

function answerOf(result: Message | Task): { text: string; state?: TaskState } {
  if ('messageId' in result) return { text: textOf(result) };
  const task = result;
  const fromArtifacts = (task.artifacts ?? [])
    .map((a) => a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(''))
    .join('\n');
  const fromStatus = textOf(task.status?.message);
  return { text: fromArtifacts || fromStatus, state: task.status?.state };
}

/** kagent passes the caller's user id on to the agents it calls; an x-user-id configured for the agent wins. */
function withUserId(headers: Record<string, string>, userId: string | undefined): Record<string, string> {
  if (!userId || Object.keys(headers).some((k) => k.toLowerCase() === 'x-user-id')) return headers;
  return { ...headers, 'x-user-id': userId };
}

export function remoteAgentTool(cfg: RemoteAgentConfig, defaultTimeoutMs: number): Tool {
  let client: Promise<Client> | undefined;
  const contexts = new Map<string, string>();
  const getClient = () => {
    client ??= new ClientFactory().createFromUrl(cfg.url).catch((err) => {
      client = undefined; // retry the card fetch on the next call
      throw err;
    });
    return client;
  };
  const name = toolName(cfg.name);
  return {
    spec: {
      name,
      description: cfg.description || `Delegate a request to the agent ${cfg.name} and return its answer.`,
      parameters: {
        type: 'object',
        properties: { request: { type: 'string', description: 'What to ask the agent, in full.' } },
        required: ['request'],
      },
    },
    source: `agent:${cfg.name}`,
    requireApproval: false,
    timeoutMs: cfg.timeout ? cfg.timeout * 1000 : defaultTimeoutMs,
    async call(args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
      const request = typeof args.request === 'string' ? args.request : JSON.stringify(args);
      const remoteContext = cfg.isolate_sessions ? randomUUID() : (contexts.get(ctx.contextId) ?? randomUUID());
      if (!cfg.isolate_sessions) contexts.set(ctx.contextId, remoteContext);
      const c = await getClient();
      const result = await c.sendMessage(
        {
          tenant: '',
          message: userMessage(request, { contextId: remoteContext }),
          configuration: undefined,
          metadata: undefined,
        },
        { signal: ctx.signal, serviceParameters: withUserId(cfg.headers ?? {}, ctx.userId) },
      );
      const { text, state } = answerOf(result);
      if (
        state === TaskState.TASK_STATE_FAILED ||
        state === TaskState.TASK_STATE_REJECTED ||
        state === TaskState.TASK_STATE_CANCELED
      ) {
        throw new Error(`agent ${cfg.name} ended the task as ${TaskState[state]}: ${text || 'no message'}`);
      }
      if (state === TaskState.TASK_STATE_INPUT_REQUIRED) return `agent ${cfg.name} needs more input: ${text}`;
      return text;
    },
  };
}
