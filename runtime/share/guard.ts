// A visitor continuing a shared conversation: an A2A message that carries a share token (header
// x-metagent-share-token) is accepted only when the token is live, belongs to the message's contextId and is not
// read-only. The message then joins that context's conversation (which is kept per agent and contextId), while the
// visitor's task is stored under the visitor's own user id, as every task is. A message without the header is not
// affected.
import type { SendMessageRequest } from '@a2a-js/sdk';
import { UnsupportedOperationError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { ShareStore } from './types.js';
import { isShareToken } from './token.js';

export const SHARE_TOKEN_HEADER = 'x-metagent-share-token';

type Headers = Record<string, string | string[] | undefined>;

function tokenHeader(context: ServerCallContext): string | undefined {
  const v = (context.state?.get('headers') as Headers | undefined)?.[SHARE_TOKEN_HEADER];
  const token = (Array.isArray(v) ? v[0] : v)?.trim();
  return token || undefined;
}

/** Throws the A2A error the client gets when the message's share token does not let it send. */
export async function checkShareToken(
  store: ShareStore,
  params: SendMessageRequest,
  context: ServerCallContext,
): Promise<void> {
  const token = tokenHeader(context);
  if (token === undefined) return;
  const contextId = params.message?.contextId ?? '';
  if (!contextId)
    throw new UnsupportedOperationError(
      `a message with ${SHARE_TOKEN_HEADER} must carry the shared conversation's contextId`,
    );
  const grant = isShareToken(token) ? await store.resolve(token) : undefined;
  // Unknown, revoked and another context's tokens get the same answer: a token's existence is not revealed.
  if (!grant || grant.contextId !== contextId)
    throw new UnsupportedOperationError(`share link not found for context ${contextId} (unknown or revoked token)`);
  if (grant.readOnly)
    throw new UnsupportedOperationError('this share link is read-only: it does not allow sending messages');
}
