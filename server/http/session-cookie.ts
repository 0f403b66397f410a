import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from './auth.ts';

export interface SessionCookieOptions {
  ttlMs: number;
  /** `auto`: Secure when the request came over HTTPS (directly or per X-Forwarded-Proto). */
  secureCookies: boolean | 'auto';
}

/** The browser session's cookie, the same whichever way the user signed in (a password or an OpenID provider). */
export function setSessionCookie(c: Context, token: string, { ttlMs, secureCookies }: SessionCookieOptions): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: Math.floor(ttlMs / 1000),
    secure: isSecure(c, secureCookies),
  });
}

export const isSecure = (c: Context, secureCookies: boolean | 'auto'): boolean =>
  secureCookies === 'auto' ? isHttps(c.req.url, c.req.header('x-forwarded-proto')) : secureCookies;

const isHttps = (url: string, forwardedProto: string | undefined) =>
  new URL(url).protocol === 'https:' || forwardedProto?.split(',')[0]?.trim() === 'https';
