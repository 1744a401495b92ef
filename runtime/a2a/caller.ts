// Whose tasks a request sees: kagent's `x-user-id` header names the caller, and the SDK scopes every stored task
// (save, load, ListTasks) by the user the transport gives it, so each user id has its own tasks and conversations
// list. Not authentication: the runtime believes the header, as kagent does; who may reach the agent's port (in the
// cluster: RBAC's services/proxy, a NetworkPolicy) may claim any id. Without the header the caller is the SDK's
// unauthenticated user, whose tasks are one shared scope, as before.
import { createHash } from 'node:crypto';
import { UnauthenticatedUser, type User } from '@a2a-js/sdk/server';
import type { UserBuilder } from '@a2a-js/sdk/server/express';

/** Longer ids are stored by their hash: the SQL stores' owner column is varchar(255), shared with the agent's scope. */
export const MAX_USER_ID_CHARS = 128;

class HeaderUser implements User {
  constructor(readonly userName: string) {}
  get isAuthenticated(): boolean {
    return false;
  }
}

/** The scope name for an `x-user-id` value (string or repeated header: the first), or undefined for none. */
export function userScopeName(header: string | string[] | undefined): string | undefined {
  const id = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!id) return undefined;
  return id.length <= MAX_USER_ID_CHARS ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

export const userFromHeader: UserBuilder = (req) => {
  const name = userScopeName(req.headers['x-user-id']);
  return Promise.resolve(name ? new HeaderUser(name) : new UnauthenticatedUser());
};
