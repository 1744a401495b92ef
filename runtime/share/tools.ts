// kagent's three share-link tools (kagent-adk's share tools): the same names and arguments, so prompts written for
// kagent work unchanged; the descriptions and answers are ours. The session is the task's contextId and the owner the
// caller (x-user-id). Failures throw; the executor hands them to the model as `Error: ...` tool results.
import type { Tool, ToolContext } from '../tools/types.js';
import type { ShareLink, ShareStore } from './types.js';

export const CREATE_SHARE_LINK = 'create_share_link';
export const LIST_SHARE_LINKS = 'list_share_links';
export const DELETE_SHARE_LINK = 'delete_share_link';

export const NO_LINKS = 'No active share links for this session.';

export interface ShareToolOptions {
  store: ShareStore;
  /** The link's path is /agents/<namespace>/<name>/chat/<session>?share=<token> (kagent's UI route). */
  namespace: string;
  name: string;
  /** KAGENT_UI_URL: put before the path (trailing slashes trimmed); unset: the path alone. */
  uiUrl?: string;
  timeoutMs: number;
}

/** The URL a visitor opens: kagent's chat route with the token, under the UI's address when it is known. */
export function shareUrl(opts: Pick<ShareToolOptions, 'namespace' | 'name' | 'uiUrl'>, session: string, token: string) {
  const path = ['agents', opts.namespace, opts.name, 'chat', session].map(encodeURIComponent).join('/');
  const base = (opts.uiUrl ?? '').trim().replace(/\/+$/, '');
  return `${base}/${path}?share=${encodeURIComponent(token)}`;
}

function sessionOf(ctx: ToolContext): string {
  const session = ctx.contextId?.trim();
  if (!session) throw new Error('this task has no session (contextId), so there is nothing to share');
  return session;
}

function readOnlyArg(args: Record<string, unknown>): boolean {
  const v = args.read_only;
  if (v === undefined || v === null) return true;
  if (typeof v !== 'boolean') throw new Error('read_only must be a boolean (true or false)');
  return v;
}

function tokenArg(args: Record<string, unknown>): string {
  const v = args.token;
  if (typeof v !== 'string' || !v.trim()) throw new Error('token is required (a non-empty string)');
  return v.trim();
}

const listLine = (l: ShareLink) =>
  `- token: ${l.token}, created_at: ${new Date(l.createdAt).toISOString()}${l.readOnly ? ' (read-only)' : ''}`;

/** The three tools for one caller. */
export function shareTools(opts: ShareToolOptions, ownerUserId: string): Tool[] {
  const base = { source: 'share', requireApproval: false, timeoutMs: opts.timeoutMs };
  const { store } = opts;
  return [
    {
      ...base,
      spec: {
        name: CREATE_SHARE_LINK,
        description:
          'Creates a link that lets someone else open this conversation. Each call makes a new token; links made earlier keep working until deleted. Returns the URL and the token.',
        parameters: {
          type: 'object',
          properties: {
            read_only: {
              type: 'boolean',
              description: 'When true (the default) the visitor can only read; when false they may also send messages.',
            },
          },
        },
      },
      async call(args, ctx) {
        const readOnly = readOnlyArg(args);
        const session = sessionOf(ctx);
        const link = await store.create(session, ownerUserId, readOnly);
        return `Share link created${readOnly ? ' (read-only)' : ''}: ${shareUrl(opts, session, link.token)}\nToken: ${link.token}`;
      },
    },
    {
      ...base,
      spec: {
        name: LIST_SHARE_LINKS,
        description: "Lists this conversation's active share links that you created: each token and when it was made.",
        parameters: { type: 'object', properties: {} },
      },
      async call(_args, ctx) {
        const links = await store.list(sessionOf(ctx), ownerUserId);
        return links.length ? `Active share links:\n${links.map(listLine).join('\n')}` : NO_LINKS;
      },
    },
    {
      ...base,
      spec: {
        name: DELETE_SHARE_LINK,
        description: 'Revokes one share link of this conversation by its token; it stops working at once.',
        parameters: {
          type: 'object',
          properties: { token: { type: 'string', description: 'The token of the link to revoke.' } },
          required: ['token'],
        },
      },
      async call(args, ctx) {
        const token = tokenArg(args);
        if (!(await store.delete(sessionOf(ctx), ownerUserId, token)))
          throw new Error('no share link with that token exists for this session (or it was made by another user)');
        return `Share link ${token} revoked.`;
      },
    },
  ];
}
