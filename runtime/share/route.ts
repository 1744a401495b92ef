// GET /api/shares/{token}: a share link's transcript for its visitor — 200 {contextId, readOnly, messages}, 404 for
// an unknown or revoked token alike. Whoever holds the token may read (as kagent's share links); never cached.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ConversationStore } from '../store/index.js';
import type { ShareStore } from './types.js';
import { isShareToken } from './token.js';
import { transcriptOf } from './transcript.js';

export const SHARE_READ_PATH = '/api/shares/:token';

export function shareReadRoute(shares: ShareStore, conversations: ConversationStore, log: Logger): RequestHandler {
  return async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    const token = String(req.params.token ?? '');
    try {
      const grant = isShareToken(token) ? await shares.resolve(token) : undefined;
      if (!grant) {
        res.status(404).json({ error: 'share link not found (unknown or revoked)' });
        return;
      }
      const messages = transcriptOf(await conversations.load(grant.contextId));
      res.json({ contextId: grant.contextId, readOnly: grant.readOnly, messages });
    } catch (err) {
      // The token is never logged: it is the credential.
      log.error({ err: (err as Error)?.message?.slice(0, 300) }, 'reading a shared conversation failed');
      res.status(500).json({ error: 'internal error' });
    }
  };
}
