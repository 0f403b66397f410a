import type { Role } from '../auth/user-rules.ts';
import type wireSchema from './wire.schema.json';

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

/** A type of server/http/wire.ts, by name: the compiler checks it against the generated wire.schema.json. */
export type WireTypeName = keyof typeof wireSchema.definitions;
/** A JSON answer by its wire type, another body by its media type, or `null` for none. */
export type Answer = WireTypeName | `${string}/${string}` | null;

export interface RouteRule {
  method: 'GET' | 'POST' | 'DELETE';
  /** A hono path pattern, exactly as the handler is registered. */
  path: string;
  access: Access;
  /** Signing in: there is no session, so no CSRF token yet (the Origin and JSON checks still apply). */
  withoutCsrf?: true;
  /** Counted against the caller's action rate limit. */
  rateLimited?: true;
  /** What it answers on success (200), or by status; /api/openapi.json describes each route from this. */
  answers: Answer | { [S in 200 | 201 | 202 | 204 | 503]?: Answer };
  /** Its refusals' body, when it says more than ErrorJson. */
  refusals?: WireTypeName;
  /** A server-sent event stream: each event's data by event name. */
  events?: WireTypeName;
}

export const ROUTE_TABLE: readonly RouteRule[] = [
  { method: 'GET', path: '/', access: 'public', answers: 'text/html' },
  { method: 'GET', path: '/assets/*', access: 'public', answers: '*/*' },
  { method: 'GET', path: '/healthz', access: 'public', answers: 'HealthJson' },
  { method: 'GET', path: '/readyz', access: 'public', answers: { 200: 'ReadyJson', 503: 'ReadyJson' } },
  { method: 'GET', path: '/metrics', access: 'metrics', answers: 'text/plain' },
  // Describes the API only, as its source code does (no data, no settings): tools fetch it without signing in.
  { method: 'GET', path: '/api/openapi.json', access: 'public', answers: 'application/json' },

  { method: 'GET', path: '/api/session', access: 'public', answers: 'SessionJson' },
  { method: 'POST', path: '/api/session', access: 'public', withoutCsrf: true, answers: 'SessionJson' },
  { method: 'DELETE', path: '/api/session', access: 'viewer', answers: { 204: null } },
  { method: 'GET', path: '/api/sign-in-options', access: 'public', answers: 'SignInOptionsJson' },
  // The authorization code flow: the browser's redirects to and from the OpenID provider (state, nonce and PKCE
  // guard it). Each answers a redirect (302), or a page that says why there is no session.
  { method: 'GET', path: '/api/session/oidc/start', access: 'public', answers: 'text/html' },
  { method: 'GET', path: '/api/session/oidc/callback', access: 'public', answers: 'text/html' },

  { method: 'GET', path: '/api/overview', access: 'viewer', answers: 'OverviewJson' },
  { method: 'GET', path: '/api/events', access: 'viewer', answers: 'text/event-stream', events: 'EventsJson' },
  { method: 'GET', path: '/api/sources', access: 'viewer', answers: 'SourcesJson' },
  { method: 'GET', path: '/api/findings', access: 'viewer', answers: 'FindingPageJson' },
  { method: 'GET', path: '/api/findings/:id{.+}', access: 'viewer', answers: 'FindingDetailJson' },
  { method: 'GET', path: '/api/orders/:orderId/timeline', access: 'viewer', answers: 'OrderTimelineJson' },
  { method: 'GET', path: '/api/dead-letters', access: 'viewer', answers: 'DeadLetterPageJson' },
  { method: 'GET', path: '/api/dead-letters/:id', access: 'viewer', answers: 'DeadLetterJson' },
  { method: 'GET', path: '/api/actions', access: 'viewer', answers: 'ActionPageJson' },
  { method: 'GET', path: '/api/actions/:id', access: 'viewer', answers: 'ActionWithAuditJson' },
  { method: 'GET', path: '/api/audit', access: 'viewer', answers: 'AuditPageJson' },
  // The same filters as /api/audit, every matching row (streamed in pages): for a spreadsheet or an auditor.
  { method: 'GET', path: '/api/audit.csv', access: 'viewer', answers: 'text/csv' },
  { method: 'GET', path: '/api/bulk-selection', access: 'viewer', answers: 'BulkSelectionJson' },
  { method: 'GET', path: '/api/bulk-actions/:id', access: 'viewer', answers: 'BulkProgressJson' },

  {
    method: 'POST',
    path: '/api/findings/:id/actions',
    access: 'operator',
    rateLimited: true,
    answers: { 201: 'ActionJson' },
    refusals: 'ActionRefusalJson',
  },
  {
    method: 'POST',
    path: '/api/bulk-actions',
    access: 'operator',
    rateLimited: true,
    answers: { 200: 'BulkPlanJson', 202: 'BulkStartedJson' },
  },
  { method: 'POST', path: '/api/bulk-actions/:id/cancel', access: 'operator', answers: { 202: 'BulkCancelJson' } },

  { method: 'GET', path: '/api/users', access: 'admin', answers: 'UserListJson' },
  { method: 'POST', path: '/api/users', access: 'admin', answers: { 200: 'UserJson', 201: 'UserJson' } },
  { method: 'DELETE', path: '/api/users/:name', access: 'admin', answers: 'UserDeletedJson' },
];
