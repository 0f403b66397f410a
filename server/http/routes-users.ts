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
import type { UserJson, UserListJson } from './wire.ts';

export const userBody = z.object({
  name: z.string().regex(USER_NAME, USER_NAME_RULE),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

/**
 * Admins list users and create or update one (its role and password). Every change is in the audit log; a new
 * password ends the user's sessions, but the one of an admin changing their own password.
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

  return app;
}
