import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/**
 * Every state-changing route: JSON only (hono's csrf() checks form content types only, and a cross-site form can
 * post text/plain), and no foreign Origin. A JSON body from another site needs a CORS preflight Recon never grants.
 */
export const guardWrites: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType))
    throw new HTTPException(415, {
      res: Response.json({ error: 'Content-Type must be application/json' }, { status: 415 }),
    });
  const origin = c.req.header('origin');
  if (origin !== undefined && !isSameOrigin(origin, c.req.url, c.req.header('host')))
    throw new HTTPException(403, {
      res: Response.json({ error: `cross-origin request from ${origin} refused` }, { status: 403 }),
    });
  if (c.req.header('sec-fetch-site') === 'cross-site')
    throw new HTTPException(403, { res: Response.json({ error: 'cross-site request refused' }, { status: 403 }) });
  return next();
};

function isSameOrigin(origin: string, requestUrl: string, host: string | undefined): boolean {
  try {
    const from = new URL(origin);
    return from.host === (host ?? new URL(requestUrl).host);
  } catch {
    return false;
  }
}
