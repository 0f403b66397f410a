import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.ts';

/** Every request body but those of the routes given more room: a sign-in, an action or a user is far below. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** A body refused for its size, read no further than the limit (hono's bodyLimit stops reading there). */
export const limitBody = (maxBytes: number): MiddlewareHandler =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });

const tooLarge = (maxBytes: number) =>
  new ApiError(413, `request body too large: at most ${Math.ceil(maxBytes / 1024)} KB here`);

/**
 * Installed before authentication, so an anonymous client cannot make Recon read or parse a large body: every body
 * is at most BODY_LIMIT_BYTES, refused by its Content-Length or cut off while read. A route in `larger` ("POST
 * /api/bulk-actions") is refused here only by a declared size over its own limit; a chunked body of such a route
 * is not read until its handler's own limitBody, after authentication, so an anonymous one costs nothing.
 */
export function limitBodiesBeforeAuth(larger: Record<string, number>): MiddlewareHandler {
  const small = limitBody(BODY_LIMIT_BYTES);
  return async (c, next) => {
    const maxBytes = larger[`${c.req.method} ${c.req.path}`];
    if (maxBytes === undefined) return small(c, next);
    if (Number(c.req.header('content-length') ?? 0) > maxBytes) throw tooLarge(maxBytes);
    return next();
  };
}
