import { timingSafeEqual } from 'node:crypto';
import type { Hono, MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';
import { type AuthEnv, currentUser, requireRole } from './auth.ts';
import { type RateLimiter, tooMany } from './rate-limit.ts';
import { ROUTE_TABLE, type RouteRule } from './route-table.ts';
import { guardWrites } from './write-guards.ts';

export interface AccessDeps {
  /** Limits state-changing actions per user; without it there is no limit. */
  actionLimiter?: RateLimiter;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

/** Installs each row's guards before any handler is registered, so no handler runs unguarded. */
export function installAccessGuards(app: Hono<AuthEnv>, deps: AccessDeps, table = ROUTE_TABLE): void {
  for (const rule of table) for (const guard of guardsFor(rule, deps)) app.on(rule.method, rule.path, guard);
}

/**
 * Called once every handler is registered: a handler whose method and path have no row in the table would be
 * reachable by anyone, so the app refuses to start instead.
 */
export function assertEveryRouteListed(app: Hono<AuthEnv>, table = ROUTE_TABLE): void {
  const listed = new Set(table.map((rule) => `${rule.method} ${rule.path}`));
  const unlisted = app.routes
    .filter((route) => route.method !== 'ALL' && !listed.has(`${route.method} ${route.path}`))
    .map((route) => `${route.method} ${route.path}`);
  if (unlisted.length > 0)
    throw new Error(`routes without a row in server/http/route-table.ts: ${[...new Set(unlisted)].join(', ')}`);
}

function guardsFor(rule: RouteRule, deps: AccessDeps): MiddlewareHandler<AuthEnv>[] {
  const guards: MiddlewareHandler<AuthEnv>[] = [];
  if (rule.method !== 'GET') guards.push(guardWrites({ csrf: !rule.withoutCsrf }));
  if (rule.access === 'metrics') {
    if (deps.metricsToken) guards.push(requireBearer(deps.metricsToken));
  } else if (rule.access !== 'public') guards.push(requireRole(rule.access));
  if (rule.rateLimited && deps.actionLimiter) guards.push(limitRate(deps.actionLimiter));
  return guards;
}

function limitRate(limiter: RateLimiter): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const verdict = limiter.take(currentUser(c).name);
    if (!verdict.ok) throw tooMany('actions', verdict.retryAfterSeconds);
    return next();
  };
}

function requireBearer(token: string): MiddlewareHandler<AuthEnv> {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (c, next) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new ApiError(401, 'metrics need Authorization: Bearer <RECON_METRICS_TOKEN>', {
        headers: { 'www-authenticate': 'Bearer realm="Recon metrics"' },
      });
    return next();
  };
}
