import { Hono } from 'hono';
import { z } from 'zod';
import { hashPassword } from '../auth/passwords.ts';
import { MIN_PASSWORD_LENGTH, ROLES, USER_NAME, USER_NAME_RULE } from '../auth/user-rules.ts';
import type { UserStore } from '../store/user-store.ts';
import { type AuthEnv, currentUser } from './auth.ts';
import { parseOrThrow } from './validate.ts';
import type { UserJson, UserListJson } from './wire.ts';

const userBody = z.object({
  name: z.string().regex(USER_NAME, USER_NAME_RULE),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

/** Admins list users and create or update one (its role and password). */
export function usersRoutes(users: UserStore, log: { info?(context: object, message: string): void }) {
  const app = new Hono<AuthEnv>();

  app.get('/api/users', async (c) => c.json<UserListJson>({ users: await users.listUsers() }));

  app.post('/api/users', async (c) => {
    const body = parseOrThrow(userBody, await c.req.json().catch(() => undefined), 'body');
    const existed = (await users.getUser(body.name)) !== undefined;
    await users.upsertUser({ name: body.name, role: body.role, passwordHash: await hashPassword(body.password) });
    log.info?.(
      { by: currentUser(c).name, user: body.name, role: body.role },
      existed ? 'user updated' : 'user created',
    );
    return c.json<UserJson>({ name: body.name, role: body.role }, existed ? 200 : 201);
  });

  return app;
}
