// Share tokens: 192 random bits as base64url (32 characters), so they can be neither guessed nor enumerated, and fit a
// URL's query without escaping.
import { randomBytes } from 'node:crypto';

const TOKEN_BYTES = 24;
/** What a token looks like; anything else is refused before a store lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function newShareToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function isShareToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_SHAPE.test(value);
}
