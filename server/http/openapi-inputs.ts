import type { z } from 'zod';
import { actionBody, actionsQuery, findingParam } from './routes-actions.ts';
import { auditFilter, auditQuery } from './routes-audit.ts';
import { bulkBody, progressQuery, selectionQuery } from './routes-bulk-actions.ts';
import { deadLetterParams, deadLettersQuery } from './routes-dead-letters.ts';
import { findingParams, findingsQuery } from './routes-findings.ts';
import { timelineParams } from './routes-orders.ts';
import { overviewQuery } from './routes-overview.ts';
import { signInBody } from './routes-session.ts';
import { userBody } from './routes-users.ts';

/** What a route reads besides its path: the very zod schemas its handler parses with, for /api/openapi.json. */
export interface RouteInputs {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** It wants an Idempotency-Key header (to execute, for a bulk). */
  idempotencyKey?: true;
}

/** By `METHOD path` as in the route table; a route not here reads only its path (test/integration/http-openapi). */
export const ROUTE_INPUTS: Readonly<Record<string, RouteInputs>> = {
  'POST /api/session': { body: signInBody },
  'GET /api/overview': { query: overviewQuery },
  'GET /api/findings': { query: findingsQuery },
  'GET /api/findings/:id{.+}': { params: findingParams },
  'GET /api/orders/:orderId/timeline': { params: timelineParams },
  'GET /api/dead-letters': { query: deadLettersQuery },
  'GET /api/dead-letters/:id': { params: deadLetterParams },
  'GET /api/actions': { query: actionsQuery },
  'GET /api/audit': { query: auditQuery },
  'GET /api/audit.csv': { query: auditFilter },
  'GET /api/bulk-selection': { query: selectionQuery },
  'GET /api/bulk-actions/:id': { query: progressQuery },
  'POST /api/findings/:id/actions': { params: findingParam, body: actionBody, idempotencyKey: true },
  'POST /api/bulk-actions': { body: bulkBody, idempotencyKey: true },
  'POST /api/users': { body: userBody },
};
