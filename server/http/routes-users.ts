import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { saveUserWithPassword } from '../auth/save-user.ts';
import { MIN_PASSWORD_LENGTH, ROLES, USER_NAME, USER_NAME_RULE } from '../auth/user-rules.ts';
import { sessionTokenHash } from '../store/session-store.ts';
import { FederatedUserError, type UserStore } from '../store/user-store.ts';
import { ApiError } from './api-error.ts';
import { type AuthEnv, currentUser, SESSION_COOKIE } from './auth.ts';
import { parseOrThrow } from './validate.ts';
import type { UserDeletedJson, UserJson, UserListJson } from './wire.ts';

export const userBody = z.object({
  name: z.string().regex(USER_NAME, USER_NAME_RULE),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

const userParams = z.object({ name: userBody.shape.name });

/**
 * Admins list users, create or update one (its role and password) and delete one. Every change is in the audit log;
 * a new password ends the user's sessions, but the one of an admin changing their own password; a deletion ends all.
 */
export function usersRoutes(users: UserStore, log: { info?(context: object, message: string): void }) {
  const app = new Hono<AuthEnv>();

  app.get('/api/users', async (c) => c.json<UserListJson>({ users: await users.listUsers() }));

  app.post('/api/users', async (c) => {
    const body = parseOrThrow(userBody, await c.req.json().catch(() => undefined), 'body');
    const author = currentUser(c);
    // Basic has no session to keep; a cookie (the browser) only signs the request when there is no Basic header.
    const token = c.req.header('authorization') ? undefined : getCookie(c, SESSION_COOKIE);
    const change = await saveUserWithPassword(users, body, {
      actor: author.name,
      role: author.role,
      keepSessionHash: token && sessionTokenHash(token),
    }).catch((error: unknown) => {
      if (error instanceof FederatedUserError) throw new ApiError(409, error.message);
      throw error;
    });
    log.info?.({ by: author.name, user: body.name, role: body.role, ...change }, 'user saved');
    return c.json<UserJson>({ name: body.name, role: body.role }, change.oldRole === null ? 201 : 200);
  });

  // Offboarding: the user can no longer sign in, and every open session (and live stream) of theirs ends now. A user
  // of the OpenID provider whose groups still grant a role comes back at their next sign-in: remove them there.
  app.delete('/api/users/:name', async (c) => {
    const { name } = parseOrThrow(userParams, c.req.param(), 'path parameter');
    const author = currentUser(c);
    if (name === author.name) throw new ApiError(409, 'you cannot delete yourself: ask another admin');
    const result = await users.deleteUser(name, { actor: author.name, role: author.role });
    if (result.status === 'not-found') throw new ApiError(404, `no user ${name}`);
    if (result.status === 'last-admin') throw new ApiError(409, `${name} is the last admin: make another admin first`);
    log.info?.({ by: author.name, user: name, ...result }, 'user deleted');
    return c.json<UserDeletedJson>({ name, sessionsEnded: result.sessionsEnded });
  });

  return app;
}
