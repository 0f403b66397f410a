import { Hono } from 'hono';
import { z } from 'zod';
import { ACTION_NAMES } from '../../reconcilers/registry.ts';
import type { ActionAnswer, ActionService } from '../actions/action-service.ts';
import type { ActionRecord, ActionStore } from '../store/action-types.ts';
import { toActionJson, toAuditJson } from './action-json.ts';
import { ApiError, errorJson } from './api-error.ts';
import { type AuthEnv, currentUser } from './auth.ts';
import { badRequest, parseOrThrow, withoutEmpty } from './validate.ts';
import type { ActionJson, ActionPageJson, ActionRefusalJson, ActionWithAuditJson, ErrorCode } from './wire.ts';

const MAX_REASON = 1_000;
const MAX_KEY = 200;

export const actionBody = z.object({
  action: z.enum(ACTION_NAMES),
  reason: z.string().trim().min(3, 'a reason of at least 3 characters is required').max(MAX_REASON),
  /** Runs again after the named action settled (failed): a retry is said, never inferred from timing. */
  retryOf: z.uuid('must be the id of the action this retries').optional(),
});
const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the seq of an earlier item')
    .optional(),
};
export const actionsQuery = z.object({
  status: z.enum(['pending', 'in-doubt', 'done', 'failed', 'superseded', 'needs-attention']).optional(),
  findingId: z.string().max(600).optional(),
  bulkId: z.uuid().optional(),
  ...page,
});
export const findingParam = z.object({ id: z.string().min(1).max(600) });

/** POST an action on a finding; list actions (the audit log: routes-audit.ts). Roles: server/http/route-table.ts. */
export function actionsRoutes(service: ActionService, actions: ActionStore) {
  const app = new Hono<AuthEnv>();

  app.post('/api/findings/:id/actions', async (c) => {
    const user = currentUser(c);
    const idempotencyKey = c.req.header('idempotency-key')?.trim();
    if (!idempotencyKey || idempotencyKey.length > MAX_KEY)
      throw badRequest('header', [{ parameter: 'Idempotency-Key', message: `required, 1–${MAX_KEY} characters` }]);
    const { id: findingId } = parseOrThrow(findingParam, c.req.param(), 'path parameter');
    const body = parseOrThrow(actionBody, await c.req.json().catch(() => undefined), 'body');
    const answer = await service.request({
      findingId,
      action: body.action,
      reason: body.reason,
      retryOf: body.retryOf,
      idempotencyKey,
      actor: user.name,
      role: user.role,
    });
    const { status, json } = toResponse(answer);
    if (answer.kind === 'settled') await service.saveResponse(answer.action.id, { status, json });
    if (answer.kind === 'replayed') c.header('Idempotent-Replayed', 'true');
    return c.json(json, status);
  });

  app.get('/api/actions', async (c) => {
    const query = parseOrThrow(actionsQuery, withoutEmpty(c.req.query()), 'query');
    const items = await actions.list(query);
    return c.json<ActionPageJson>({
      items: items.map(toActionJson),
      nextBefore: items.length === query.limit ? items.at(-1)!.seq : null,
    });
  });

  app.get('/api/actions/:id', async (c) => {
    const action = await actions.get(c.req.param('id'));
    if (!action) throw new ApiError(404, 'no such action');
    const audit = await actions.audit({ actionId: action.id, limit: 500 });
    return c.json<ActionWithAuditJson>({ ...toActionJson(action), audit: audit.reverse().map(toAuditJson) });
  });

  return app;
}

/** Kept with the action, and sent again as it was to a replay of the same Idempotency-Key. */
type ActionResponse = { status: 201; json: ActionJson } | { status: 403 | 404 | 409 | 422; json: ActionRefusalJson };

function toResponse(answer: ActionAnswer): ActionResponse {
  switch (answer.kind) {
    case 'settled':
      return { status: 201, json: toActionJson(answer.action) };
    case 'replayed':
      // Saved by the handler above, from this very function.
      return answer.response as ActionResponse;
    case 'key-reused':
      return refused(422, 'unprocessable', 'this Idempotency-Key was used for a different request', answer.action);
    case 'in-progress':
      return refused(409, 'conflict', 'a request with this Idempotency-Key is still running', answer.action);
    case 'conflict':
      return refused(409, 'conflict', conflictMessage(answer.action), answer.action);
    case 'resolved': {
      const at = answer.resolvedAt?.toISOString() ?? 'an unknown time';
      return refused(409, 'conflict', `the finding resolved at ${at}: nothing to repair`);
    }
    case 'not-found':
      return refused(404, 'not-found', 'no such finding');
    case 'not-applicable':
      return refused(422, 'unprocessable', answer.detail);
    case 'read-only':
      return refused(403, 'read-only', 'Recon is read-only (RECON_READ_ONLY): actions are refused');
  }
}

/** What the action in the way is doing, from its status as read under the target's lock: never "running" when it is not. */
function conflictMessage(action: ActionRecord): string {
  const at = action.settledAt?.toISOString() ?? 'an unknown time';
  switch (action.status) {
    case 'pending':
    case 'in-doubt':
      return `another action on the same target is still running (${action.status})`;
    case 'done':
      return `an action on the same target is done (at ${at}); its effect is on its way and the next cycles confirm it`;
    default:
      return (
        `the last action on the same target ${action.status === 'failed' ? 'failed' : `ended ${action.status}`} ` +
        `at ${at}; to run it again, send "retryOf": "${action.id}"`
      );
  }
}

/** The one error shape, plus the action that stands in the way, when there is one, for the UI to link to. */
function refused(
  status: 403 | 404 | 409 | 422,
  code: ErrorCode,
  message: string,
  action?: ActionRecord,
): ActionResponse {
  const json = errorJson(code, message);
  return { status, json: action ? { ...json, action: toActionJson(action) } : json };
}
