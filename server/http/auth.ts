import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ROLES, type Role } from '../auth/user-rules.ts';
import type { SessionStore } from '../store/session-store.ts';
import { ApiError } from './api-error.ts';
import { clientAddress } from './client-address.ts';
import type { CredentialCheck, CredentialChecker } from './credentials.ts';
import { tooMany } from './rate-limit.ts';

export interface SignedInUser {
  name: string;
  role: Role;
}

/**
 * `user`: who is asking, or null. `csrfToken`: the session's token when the request came with the session cookie
 * (the browser), null otherwise: only a cookie is sent by the browser on its own, so only a cookie needs one.
 * `clientAddress`: the client behind any trusted proxy, for the credential limits (client-address.ts).
 */
export type AuthEnv = {
  Variables: { user: SignedInUser | null; csrfToken: string | null; clientAddress?: string };
};

export const SESSION_COOKIE = 'recon_session';

/**
 * Sets `user` from HTTP Basic credentials (scripts) or else the session cookie (the browser), or null when there are
 * neither. Wrong Basic credentials are a 401 at once, never an anonymous request; an expired cookie is anonymous.
 * Basic goes through the same checker as sign-in: the same limits, the same bounded hashing.
 */
export function authenticate(checkCredentials: CredentialChecker, sessions?: SessionStore): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('user', null);
    c.set('csrfToken', null);
    const header = c.req.header('authorization');
    if (header) {
      const credentials = parseBasic(header);
      if (!credentials) throw unauthorized(c, 'malformed Authorization header: expected Basic');
      const check = await checkCredentials(credentials.name, credentials.password, clientAddress(c));
      if (check.status === 'wrong') throw unauthorized(c, 'wrong user name or password');
      if (check.status !== 'ok') throw refusalOf(check, credentials.name);
      c.set('user', check.user);
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
 * A check that was not made, always a 429 with Retry-After: this client tried too often, or too many checks are
 * already waiting. Not a 503 for the latter: every 5xx is logged as an error, and a flood must not flood the log.
 */
export function refusalOf(check: Exclude<CredentialCheck, { status: 'ok' | 'wrong' }>, name: string): ApiError {
  const what =
    check.status === 'busy'
      ? 'password checks at once on this server'
      : check.per === 'client'
        ? 'failed sign-ins from this address'
        : `failed sign-ins for ${name}`;
  return tooMany(what, check.retryAfterSeconds);
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

/** The name may hold no control character (a NUL would reach the database): a 400 naming the header, not a 500. */
function parseBasic(header: string): { name: string; password: string } | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const name = decoded.slice(0, colon);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new ApiError(400, 'authorization header: the user name holds a control character');
  return { name, password: decoded.slice(colon + 1) };
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
