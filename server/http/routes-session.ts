import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { SessionStore } from '../store/session-store.ts';
import type { UserStore } from '../store/user-store.ts';
import { ApiError } from './api-error.ts';
import { type AuthEnv, passwordChecker, SESSION_COOKIE } from './auth.ts';
import { createRateLimiter, tooMany } from './rate-limit.ts';
import { parseOrThrow } from './validate.ts';
import type { SessionJson } from './wire.ts';

export interface SessionDeps {
  users: UserStore;
  sessions: SessionStore;
  ttlMs: number;
  isReadOnly: boolean;
  /** `auto`: Secure when the request came over HTTPS (directly or per X-Forwarded-Proto). */
  secureCookies: boolean | 'auto';
  /** Sign-in attempts per user name per minute, so a password cannot be guessed at scrypt speed. */
  signInsPerMinute?: number;
}

const signInBody = z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) });

/** Signing in and out of the browser session; who is signed in, with the CSRF token the UI must send back. */
export function sessionRoutes(deps: SessionDeps) {
  const app = new Hono<AuthEnv>();
  const checkPassword = passwordChecker(deps.users);
  const signIns = createRateLimiter({ perMinute: deps.signInsPerMinute ?? 10 });

  app.get('/api/session', (c) => {
    const user = c.get('user');
    if (!user) throw new ApiError(401, 'not signed in');
    return c.json<SessionJson>({ user, csrfToken: c.get('csrfToken'), readOnly: deps.isReadOnly });
  });

  app.post('/api/session', async (c) => {
    const body = parseOrThrow(signInBody, await c.req.json().catch(() => undefined), 'body');
    const verdict = signIns.take(body.name.toLowerCase());
    if (!verdict.ok) throw tooMany(`sign-in attempts for ${body.name}`, verdict.retryAfterSeconds);
    const user = await checkPassword(body);
    if (!user) throw new ApiError(401, 'wrong user name or password');
    const { token, session } = await deps.sessions.create(user.name, deps.ttlMs);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: Math.floor(deps.ttlMs / 1000),
      secure:
        deps.secureCookies === 'auto' ? isHttps(c.req.url, c.req.header('x-forwarded-proto')) : deps.secureCookies,
    });
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

const isHttps = (url: string, forwardedProto: string | undefined) =>
  new URL(url).protocol === 'https:' || forwardedProto?.split(',')[0]?.trim() === 'https';
