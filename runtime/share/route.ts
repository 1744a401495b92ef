// GET /api/shares/{token}, or GET /api/shares with the token in the x-metagent-share-token header (kept out of URLs,
// so out of proxies' and the API server's request logs; the dashboard uses it): a share link's transcript for its
// visitor — 200 {contextId, readOnly, messages}, 404 for an unknown or revoked token alike. Whoever holds the token may
// read (as kagent's share links); never cached.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ConversationStore } from '../store/index.js';
import type { ShareStore } from './types.js';
import { SHARE_TOKEN_HEADER } from './guard.js';
import { isShareToken } from './token.js';
import { transcriptOf } from './transcript.js';

export const SHARE_READ_PATHS = ['/api/shares', '/api/shares/:token'];

/** The 404 body; `reason` lets a client (the dashboard) tell it from a proxy's 404. */
export const SHARE_NOT_FOUND = { reason: 'ShareNotFound', message: 'share link not found (unknown or revoked)' };

export function shareReadRoute(shares: ShareStore, conversations: ConversationStore, log: Logger): RequestHandler {
  return async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    const header = req.headers[SHARE_TOKEN_HEADER];
    const token = String(req.params.token ?? (Array.isArray(header) ? header[0] : header) ?? '').trim();
    try {
      const grant = isShareToken(token) ? await shares.resolve(token) : undefined;
      if (!grant) {
        res.status(404).json(SHARE_NOT_FOUND);
        return;
      }
      const [stored, tokens] = await Promise.all([conversations.load(grant.contextId), shares.tokens(grant.contextId)]);
      const messages = transcriptOf(stored, tokens);
      res.json({ contextId: grant.contextId, readOnly: grant.readOnly, messages });
    } catch (err) {
      // The token is never logged: it is the credential.
      log.error({ err: (err as Error)?.message?.slice(0, 300) }, 'reading a shared conversation failed');
      res.status(500).json({ error: 'internal error' });
    }
  };
}
