import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { verifyPassword } from '../auth/passwords.ts';
import { ROLES, type Role } from '../auth/user-rules.ts';
import type { SessionStore } from '../store/session-store.ts';
import type { UserStore } from '../store/user-store.ts';
import { ApiError } from './api-error.ts';

export interface SignedInUser {
  name: string;
  role: Role;
}

/**
 * `user`: who is asking, or null. `csrfToken`: the session's token when the request came with the session cookie
 * (the browser), null otherwise: only a cookie is sent by the browser on its own, so only a cookie needs one.
 */
export type AuthEnv = { Variables: { user: SignedInUser | null; csrfToken: string | null } };

export const SESSION_COOKIE = 'recon_session';

/** A verified name+password pair is trusted this long, so a script's every request does not cost a scrypt. */
const VERIFIED_TTL_MS = 60_000;
const MAX_CACHED = 1_000;

/**
 * Sets `user` from HTTP Basic credentials (scripts) or else the session cookie (the browser), or null when there are
 * neither. Wrong Basic credentials are a 401 at once, never an anonymous request; an expired cookie is anonymous.
 */
export function authenticate(users: UserStore, sessions?: SessionStore): MiddlewareHandler<AuthEnv> {
  const checkPassword = passwordChecker(users);
  return async (c, next) => {
    c.set('user', null);
    c.set('csrfToken', null);
    const header = c.req.header('authorization');
    if (header) {
      const credentials = parseBasic(header);
      if (!credentials) throw unauthorized(c, 'malformed Authorization header: expected Basic');
      const user = await checkPassword(credentials);
      if (!user) throw unauthorized(c, 'wrong user name or password');
      c.set('user', user);
      return next();
    }
    const token = sessions && getCookie(c, SESSION_COOKIE);
    const session = token ? await sessions.find(token) : undefined;
    if (session) {
      c.set('user', session.user);
      c.set('csrfToken', session.csrfToken);
    }
    return next();
  };
}

/**
 * Verifies a name and password against the user store. Concurrent checks of the same pair share one scrypt (a
 * promise); a verified pair is remembered for a minute; a failure is not remembered, so the next try checks again.
 */
export function passwordChecker(users: UserStore) {
  const verified = new Map<string, { user: Promise<SignedInUser | null>; until: number }>();
  return async (credentials: { name: string; password: string }): Promise<SignedInUser | null> => {
    const cacheKey = createHash('sha256').update(`${credentials.name}\0${credentials.password}`).digest('hex');
    let entry = verified.get(cacheKey);
    if (!entry || entry.until <= Date.now()) {
      if (verified.size >= MAX_CACHED) verified.clear();
      entry = { user: verify(users, credentials), until: Date.now() + VERIFIED_TTL_MS };
      verified.set(cacheKey, entry);
      entry.user.then(
        (user) => user === null && verified.delete(cacheKey),
        () => verified.delete(cacheKey),
      );
    }
    return entry.user;
  };
}

/** The server enforces roles; a hidden button is not authorization. */
export function requireRole(minimum: Role): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user) throw unauthorized(c, 'sign in required');
    if (ROLES.indexOf(user.role) < ROLES.indexOf(minimum))
      throw new ApiError(403, `the ${minimum} role is required; ${user.name} is ${user.role}`);
    return next();
  };
}

export const currentUser = (c: Context<AuthEnv>): SignedInUser => {
  const user = c.get('user');
  if (!user) throw unauthorized(c, 'sign in required');
  return user;
};

async function verify(users: UserStore, credentials: { name: string; password: string }): Promise<SignedInUser | null> {
  const stored = await users.getUser(credentials.name);
  if (!stored || !(await verifyPassword(credentials.password, stored.passwordHash))) return null;
  return { name: stored.name, role: stored.role };
}

function parseBasic(header: string): { name: string; password: string } | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : null;
}

/**
 * A script gets the Basic challenge. A page's fetch (the browser sends Sec-Fetch-Mode) gets a scheme the browser does
 * not know: a Basic challenge would pop the browser's own dialog over the UI's sign-in, and the browser would then
 * send those cached credentials on its own with every request, the very thing the CSRF token guards cookies against.
 */
export const unauthorized = (c: Context, message: string) =>
  new ApiError(401, message, {
    headers: {
      'www-authenticate': c.req.header('sec-fetch-mode')
        ? 'Session realm="Recon"'
        : 'Basic realm="Recon", charset="UTF-8"',
    },
  });
