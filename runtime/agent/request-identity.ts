// Who is asking, read from the A2A request: the HTTP headers the server put in the call context, the bearer token,
// kagent's x-user-id, and what the model gets of the user's message.
import type { Message } from '@a2a-js/sdk';
import type { RequestContext } from '@a2a-js/sdk/server';
import type { AgentConfig } from '../../contract/config.js';
import type { Attachment } from '../models/types.js';
import { textOf } from '../a2a/parts.js';

export type RequestHeaders = Record<string, string | string[] | undefined>;

export function requestHeaders(ctx: RequestContext): RequestHeaders {
  return (ctx.context?.state.get('headers') as RequestHeaders | undefined) ?? {};
}

export function bearerToken(ctx: RequestContext): string | undefined {
  const auth = requestHeaders(ctx)['authorization'];
  const value = Array.isArray(auth) ? auth[0] : auth;
  return value?.toLowerCase().startsWith('bearer ') ? value.slice(7).trim() : undefined;
}

/** kagent's api_key_passthrough: the caller's bearer token becomes the LLM API key. */
export function passthroughKey(config: AgentConfig, ctx: RequestContext): string | undefined {
  if (config.model?.api_key_passthrough !== true) return undefined;
  return bearerToken(ctx);
}

/** The `x-user-id` the call carried, if any: what agents called as tools are given in turn. */
export function forwardedUserId(ctx: RequestContext): string | undefined {
  const header = requestHeaders(ctx)['x-user-id'];
  return (Array.isArray(header) ? header[0] : header)?.trim() || undefined;
}

/**
 * The caller's user id: kagent's `x-user-id` header (set by kagent's UI and controller, and passed from agent to
 * agent; not authenticated, as in kagent), else the A2A server's user, else "anonymous".
 */
export function callerUserId(ctx: RequestContext): string {
  return forwardedUserId(ctx) || ctx.context?.user?.userName || 'anonymous';
}

/** What the model gets of a user message: its text, and any structured data parts as JSON. */
export function userContent(message: Message): string {
  const data = message.parts.flatMap((p) => (p.content?.$case === 'data' ? [JSON.stringify(p.content.value)] : []));
  return [textOf(message), ...data].filter(Boolean).join('\n');
}

/** The message's file parts (bytes or URL) with their media type and name, for the model (models/attachments.ts). */
export function userAttachments(message: Message): Attachment[] {
  return message.parts.flatMap((p): Attachment[] => {
    const c = p.content;
    const meta = { mimeType: p.mediaType ?? '', ...(p.filename ? { name: p.filename } : {}) };
    if (c?.$case === 'raw') return [{ ...meta, data: Buffer.from(c.value).toString('base64') }];
    if (c?.$case === 'url') return [{ ...meta, uri: c.value }];
    return [];
  });
}
