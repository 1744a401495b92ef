// Hex SHA-256 of a string's UTF-8 bytes, for the digests every Agent sync computes (the referenced Secret keys and
// the pod-template hash). crypto.hash (Node >= 20.12) is one native call without a Hash object — cheaper for these
// small inputs; older Node 20 releases, which lack it, take createHash. Both hash exactly the same bytes.
import * as crypto from 'node:crypto';

export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
