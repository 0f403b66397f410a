import type { Role } from '../auth/user-rules.ts';

/**
 * Who may call what: the one table the server enforces roles from (server/http/access.ts installs a guard per row
 * before any handler, and createApp refuses to start when a handler has no row). The role × route test is generated
 * from it.
 *
 * - `public`: anyone; the UI shell, health probes and signing in.
 * - `metrics`: anyone unless RECON_METRICS_TOKEN is set, then `Authorization: Bearer <token>`.
 * - a role: that role or a higher one (viewer < operator < admin).
 * Every non-GET row is state-changing: JSON only, same Origin, and the CSRF token when the session cookie is used.
 */
export type Access = 'public' | 'metrics' | Role;

export interface RouteRule {
  method: 'GET' | 'POST' | 'DELETE';
  /** A hono path pattern, exactly as the handler is registered. */
  path: string;
  access: Access;
  /** Signing in: there is no session, so no CSRF token yet (the Origin and JSON checks still apply). */
  withoutCsrf?: true;
  /** Counted against the caller's action rate limit. */
  rateLimited?: true;
}

export const ROUTE_TABLE: readonly RouteRule[] = [
  { method: 'GET', path: '/', access: 'public' },
  { method: 'GET', path: '/assets/*', access: 'public' },
  { method: 'GET', path: '/healthz', access: 'public' },
  { method: 'GET', path: '/readyz', access: 'public' },
  { method: 'GET', path: '/metrics', access: 'metrics' },

  { method: 'GET', path: '/api/session', access: 'public' },
  { method: 'POST', path: '/api/session', access: 'public', withoutCsrf: true },
  { method: 'DELETE', path: '/api/session', access: 'viewer' },

  { method: 'GET', path: '/api/overview', access: 'viewer' },
  { method: 'GET', path: '/api/events', access: 'viewer' },
  { method: 'GET', path: '/api/sources', access: 'viewer' },
  { method: 'GET', path: '/api/findings', access: 'viewer' },
  { method: 'GET', path: '/api/findings/:id{.+}', access: 'viewer' },
  { method: 'GET', path: '/api/orders/:orderId/timeline', access: 'viewer' },
  { method: 'GET', path: '/api/dead-letters', access: 'viewer' },
  { method: 'GET', path: '/api/dead-letters/:id', access: 'viewer' },
  { method: 'GET', path: '/api/actions', access: 'viewer' },
  { method: 'GET', path: '/api/actions/:id', access: 'viewer' },
  { method: 'GET', path: '/api/audit', access: 'viewer' },
  { method: 'GET', path: '/api/bulk-actions/:id', access: 'viewer' },

  { method: 'POST', path: '/api/findings/:id/actions', access: 'operator', rateLimited: true },
  { method: 'POST', path: '/api/bulk-actions', access: 'operator', rateLimited: true },
  { method: 'POST', path: '/api/bulk-actions/:id/cancel', access: 'operator' },

  { method: 'GET', path: '/api/users', access: 'admin' },
  { method: 'POST', path: '/api/users', access: 'admin' },
];
