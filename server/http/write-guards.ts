import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';
import type { AuthEnv } from './auth.ts';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * Every state-changing route: JSON only (hono's csrf() checks form content types only, and a cross-site form can
 * post text/plain), no foreign Origin, and, when the browser's session cookie signs the request, the session's CSRF
 * token in a header. A JSON body from another site needs a CORS preflight Recon never grants; the token also covers
 * a same-site attacker (a sibling subdomain) that the Origin check lets through.
 */
export function guardWrites({ csrf }: { csrf: boolean }): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType))
      throw new ApiError(415, 'Content-Type must be application/json');
    const origin = c.req.header('origin');
    if (origin !== undefined && !isSameOrigin(origin, c.req.url, c.req.header('host')))
      throw new ApiError(403, `cross-origin request from ${origin} refused`);
    if (c.req.header('sec-fetch-site') === 'cross-site') throw new ApiError(403, 'cross-site request refused');
    const expected = c.get('csrfToken');
    if (csrf && expected !== null && !tokensEqual(c.req.header(CSRF_HEADER), expected))
      throw new ApiError(403, `missing or wrong ${CSRF_HEADER} header: reload the page`);
    return next();
  };
}

function tokensEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isSameOrigin(origin: string, requestUrl: string, host: string | undefined): boolean {
  try {
    const from = new URL(origin);
    return from.host === (host ?? new URL(requestUrl).host);
  } catch {
    return false;
  }
}
