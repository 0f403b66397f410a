import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { verifyPassword } from '../auth/passwords.ts';
import { ROLES, type Role, type UserStore } from '../store/user-store.ts';

export interface SignedInUser {
  name: string;
  role: Role;
}

export type AuthEnv = { Variables: { user: SignedInUser | null } };

/** A verified name+password pair is trusted this long, so a script's every request does not cost a scrypt. */
const VERIFIED_TTL_MS = 60_000;
const MAX_CACHED = 1_000;

/**
 * Reads HTTP Basic credentials (for scripts; the browser session comes with the UI) and sets `user`, or null when
 * there are none. Wrong credentials are a 401 at once, never an anonymous request.
 */
export function authenticate(users: UserStore): MiddlewareHandler<AuthEnv> {
  // Concurrent requests with the same credentials share one verification (a promise), not one scrypt each.
  const verified = new Map<string, { user: Promise<SignedInUser | null>; until: number }>();
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      c.set('user', null);
      return next();
    }
    const credentials = parseBasic(header);
    if (!credentials) throw unauthorized('malformed Authorization header: expected Basic');
    const cacheKey = createHash('sha256').update(`${credentials.name}\0${credentials.password}`).digest('hex');
    let entry = verified.get(cacheKey);
    if (!entry || entry.until <= Date.now()) {
      if (verified.size >= MAX_CACHED) verified.clear();
      entry = { user: verify(users, credentials), until: Date.now() + VERIFIED_TTL_MS };
      verified.set(cacheKey, entry);
      // A failure (wrong password, database down) is not remembered: the next request checks again.
      entry.user.then(
        (user) => user === null && verified.delete(cacheKey),
        () => verified.delete(cacheKey),
      );
    }
    const user = await entry.user;
    if (!user) throw unauthorized('wrong user name or password');
    c.set('user', user);
    return next();
  };
}

/** The server enforces roles; a hidden button is not authorization. */
export function requireRole(minimum: Role): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user) throw unauthorized('sign in required');
    if (ROLES.indexOf(user.role) < ROLES.indexOf(minimum))
      throw new HTTPException(403, {
        res: jsonError(403, `the ${minimum} role is required; ${user.name} is ${user.role}`),
      });
    return next();
  };
}

export const currentUser = (c: Context<AuthEnv>): SignedInUser => {
  const user = c.get('user');
  if (!user) throw unauthorized('sign in required');
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

const unauthorized = (message: string) =>
  new HTTPException(401, {
    res: new Response(JSON.stringify({ error: message }), {
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="Recon", charset="UTF-8"' },
    }),
  });

const jsonError = (status: number, message: string) =>
  new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json' } });
