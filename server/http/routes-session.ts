import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { SessionStore } from '../store/session-store.ts';
import type { SignInStore } from '../store/sign-in-store.ts';
import { ApiError } from './api-error.ts';
import { type AuthEnv, refusalOf, SESSION_COOKIE } from './auth.ts';
import { clientAddress } from './client-address.ts';
import type { CredentialChecker } from './credentials.ts';
import { setSessionCookie } from './session-cookie.ts';
import { parseOrThrow } from './validate.ts';
import type { SessionJson } from './wire.ts';

export interface SessionDeps {
  /** Shared with HTTP Basic, so both paths share their limits (per name and client, per client). */
  checkCredentials: CredentialChecker;
  sessions: SessionStore;
  ttlMs: number;
  isReadOnly: boolean;
  /** `auto`: Secure when the request came over HTTPS (directly or per X-Forwarded-Proto). */
  secureCookies: boolean | 'auto';
  /** Audits each sign-in; without it sign-ins are not audited. */
  signIns?: SignInStore;
}

export const signInBody = z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) });

/** Signing in and out of the browser session; who is signed in, with the CSRF token the UI must send back. */
export function sessionRoutes(deps: SessionDeps) {
  const app = new Hono<AuthEnv>();

  app.get('/api/session', (c) => {
    const user = c.get('user');
    if (!user) throw new ApiError(401, 'not signed in');
    return c.json<SessionJson>({ user, csrfToken: c.get('csrfToken'), readOnly: deps.isReadOnly });
  });

  app.post('/api/session', async (c) => {
    const body = parseOrThrow(signInBody, await c.req.json().catch(() => undefined), 'body');
    const check = await deps.checkCredentials(body.name, body.password, clientAddress(c));
    if (check.status === 'wrong') throw new ApiError(401, 'wrong user name or password');
    if (check.status !== 'ok') throw refusalOf(check, body.name);
    const { token, session } = await deps.sessions.create(check.user.name, deps.ttlMs);
    await deps.signIns?.auditSignIn({ ...session.user, how: 'password' });
    setSessionCookie(c, token, deps);
    return c.json<SessionJson>({ user: session.user, csrfToken: session.csrfToken, readOnly: deps.isReadOnly });
  });

  app.delete('/api/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await deps.sessions.end(token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}
