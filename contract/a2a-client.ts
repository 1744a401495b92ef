// How a client outside the cluster talks to an Agent over A2A, shared by `metagent invoke` (cli/lib/a2a.ts) and the
// dashboard's chat page (dashboard/web/src/chat/a2a.ts): @a2a-js/sdk's client reached through a given fetch and base
// URL (a service proxy, the dashboard's relay, or --url), and the user messages the runtime reads — text, or kagent's
// approval decision for a task paused in input-required. No Node-only and no browser-only API: both bundle it.
import { Role, type AgentCard, type Part } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';

export const AGENT_CARD_PATH = '/.well-known/agent-card.json';

/**
 * The card advertises the agent's in-cluster URL (http://NAME.NS:8080); from outside it is reached at `base`. Keep
 * each interface's path, replace everything before it, so calls go where the card came from.
 */
export function rebaseCard(card: AgentCard, base: string): AgentCard {
  const root = base.replace(/\/+$/, '');
  return {
    ...card,
    supportedInterfaces: card.supportedInterfaces.map((i) => {
      let path = '/';
      try {
        path = new URL(i.url).pathname;
      } catch {
        /* relative or malformed: serve from the root */
      }
      return { ...i, url: `${root}${path === '/' ? '/' : path}` };
    }),
  };
}

/** The card from `base`, rebased onto it, and a client of its JSON-RPC (and, with `rest`, HTTP+JSON) interface. */
export async function connectAgent(
  base: string,
  fetchImpl: typeof fetch,
  o: { rest?: boolean } = {},
): Promise<{ client: Client; card: AgentCard }> {
  const resolver = new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: true } });
  // A full URL and an empty path: the resolver joins with new URL(), which would drop a proxy path prefix.
  const card = rebaseCard(await resolver.resolve(`${base.replace(/\/+$/, '')}${AGENT_CARD_PATH}`, ''), base);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [
        new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
        ...(o.rest ? [new RestTransportFactory({ fetchImpl, legacyCompat: { enabled: true } })] : []),
      ],
    }),
  );
  return { client: await factory.createFromAgentCard(card), card };
}

/** kagent's approval reply to a task paused in input-required: `{decision_type, rejection_reason}` as a data part. */
export interface Decision {
  decision: 'approve' | 'reject';
  reason?: string;
}

/** A user message: text, or a decision about the paused task `taskId` (then `text` is not sent). */
export function userMessage(text: string, contextId?: string, taskId?: string, decision?: Decision) {
  const part = decision
    ? {
        content: {
          $case: 'data' as const,
          value: {
            decision_type: decision.decision,
            ...(decision.reason ? { rejection_reason: decision.reason } : {}),
          },
        },
        metadata: undefined,
        filename: '',
        mediaType: '',
      }
    : { content: { $case: 'text' as const, value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
  return {
    tenant: '',
    message: {
      messageId: crypto.randomUUID(),
      contextId: contextId ?? '',
      taskId: taskId ?? '',
      role: Role.ROLE_USER,
      parts: [part],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}

/** The text parts of a message or artifact, joined. */
export function partsText(parts: Part[] | undefined): string {
  return (parts ?? [])
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter(Boolean)
    .join('');
}
