import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { SessionStore } from '../store/session-store.ts';
import type { UserStore } from '../store/user-store.ts';
import { type AuthEnv, SESSION_COOKIE } from './auth.ts';

/** Asked again before each event of a long response: would the request's credentials still be accepted? */
export type SignedInCheck = () => Promise<boolean>;

/**
 * For a response that outlives its request (the event stream), whose credentials were checked once, at the start.
 * A cookie: its session is still live — not signed out, not expired, not ended by a new password (a deleted user's
 * sessions go with it). Basic: the user still exists with the password hash it had when the response began. Every
 * role may read the stream, so a demotion alone never ends one. When Recon's own database cannot be read the answer
 * is yes: the stream already tells the page that nothing can be read, and no new data leaves through it.
 */
export function signedInWatcher(users?: UserStore, sessions?: SessionStore) {
  return async (c: Context<AuthEnv>): Promise<SignedInCheck> => {
    const user = c.get('user');
    if (!user || !users) return async () => false;
    const whenUnreadable = () => true;
    if (c.req.header('authorization')) {
      // Unreadable now: no hash to compare, so the stream ends at the first check that can read (the page reconnects).
      const hashAtStart = (await users.getUser(user.name).catch(() => undefined))?.passwordHash;
      return () =>
        users.getUser(user.name).then((now) => now !== undefined && now.passwordHash === hashAtStart, whenUnreadable);
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (!token || !sessions) return async () => false;
    return () => sessions.find(token).then((session) => session !== undefined, whenUnreadable);
  };
}
