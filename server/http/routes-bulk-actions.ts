import { Hono } from 'hono';
import { z } from 'zod';
import { ACTION_NAMES, FINDING_KINDS, type Finding } from '../../reconcilers/registry.ts';
import { BULK_INTERRUPTED_AFTER_MS, type BulkActions } from '../actions/bulk-actions.ts';
import type { BulkRecord, BulkStore } from '../store/bulk-store.ts';
import type { ReconStore } from '../store/types.ts';
import { ApiError } from './api-error.ts';
import { asJson } from './as-json.ts';
import { type AuthEnv, currentUser } from './auth.ts';
import { BODY_LIMIT_BYTES, limitBody } from './body-limits.ts';
import { badRequest, optionalText, parseOrThrow, withoutEmpty } from './validate.ts';
import type {
  BulkCancelJson,
  BulkPlanJson,
  BulkProgressJson,
  BulkSelectionJson,
  BulkStartedJson,
  BulkStatusJson,
} from './wire.ts';

/** The most findings one bulk may take; a filter that matches more is refused, not silently cut. */
export const MAX_BULK_ITEMS = 10_000;
export const MAX_FINDING_ID_LENGTH = 600;
/** Room for the most findings with the longest ids (each quoted, with a comma), and the rest of the body. */
export const BULK_BODY_LIMIT_BYTES = MAX_BULK_ITEMS * (MAX_FINDING_ID_LENGTH + 3) + BODY_LIMIT_BYTES;

export const bulkBody = z
  .object({
    action: z.enum(ACTION_NAMES),
    reason: z.string().trim().min(3, 'a reason of at least 3 characters is required').max(1_000),
    findingIds: z.array(z.string().max(MAX_FINDING_ID_LENGTH)).min(1).max(MAX_BULK_ITEMS).optional(),
    filter: z.object({ kind: z.enum(FINDING_KINDS).optional(), q: optionalText(200) }).optional(),
    dryRun: z.boolean().default(false),
    ratePerSecond: z.number().min(0.1).max(500).default(20),
  })
  .refine((b) => (b.findingIds === undefined) !== (b.filter === undefined), 'give either findingIds or filter');

/** GET /api/bulk-selection: the same filter a bulk takes, to count it before any dry run. */
export const selectionQuery = z.object({ kind: z.enum(FINDING_KINDS).optional(), q: optionalText(200) });

export const progressQuery = z.object({
  /** A previous page's `nextAfter`. */
  after: z.coerce.number().int().min(-1).default(-1),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export interface BulkRouteDeps {
  bulk: BulkActions;
  bulks: BulkStore;
  findings: ReconStore;
  /** Operators may act on at most this many findings at once; more needs an admin. */
  operatorMaxItems: number;
  /** RECON_READ_ONLY: every bulk is refused before anything is planned or queued. */
  isReadOnly: boolean;
}

export function bulkActionsRoutes({ bulk, bulks, findings, operatorMaxItems, isReadOnly }: BulkRouteDeps) {
  const app = new Hono<AuthEnv>();

  // Its body is read here, after authentication, up to the bulk's own limit (server/http/body-limits.ts).
  app.post('/api/bulk-actions', limitBody(BULK_BODY_LIMIT_BYTES), async (c) => {
    const user = currentUser(c);
    // Refused as a single action is: each item would only fail.
    if (isReadOnly)
      throw new ApiError(403, 'Recon is read-only (RECON_READ_ONLY): actions are refused', { code: 'read-only' });
    const body = parseOrThrow(bulkBody, await c.req.json().catch(() => undefined), 'body');
    const findingIds = body.findingIds
      ? [...new Set(body.findingIds)]
      : (await select(findings, body.filter ?? {})).map((f) => f.id);
    if (findingIds.length > operatorMaxItems && user.role !== 'admin')
      throw new ApiError(403, `more than ${operatorMaxItems} findings at once needs the admin role`);
    if (body.dryRun) {
      const items = await bulk.plan(body.action, findingIds);
      return c.json<BulkPlanJson>({
        action: body.action,
        total: items.length,
        willAct: items.filter((i) => i.plan === 'act').length,
        items,
      });
    }
    const idempotencyKey = c.req.header('idempotency-key')?.trim();
    if (!idempotencyKey || idempotencyKey.length > 200)
      throw badRequest('header', [{ parameter: 'Idempotency-Key', message: 'required to execute, 1–200 characters' }]);
    const { dryRun: _, ...asked } = body;
    const { kind, id } = await bulk.start({
      action: body.action,
      reason: body.reason,
      findingIds,
      selection: body.findingIds ? { findingIds: body.findingIds.length } : { filter: body.filter },
      ratePerSecond: body.ratePerSecond,
      actor: user.name,
      role: user.role,
      idempotencyKey,
      asked,
    });
    const href = `/api/bulk-actions/${id}`;
    if (kind === 'key-reused')
      throw new ApiError(422, 'this Idempotency-Key was used for a different request', { details: { id, href } });
    return c.json<BulkStartedJson>({ id, href, total: findingIds.length, isReplay: kind === 'replayed' }, 202);
  });

  // What "every open finding matching the filter" is, before the dry run: how many, of which kinds, and which actions
  // each kind's findings allow, so the dialog offers only those. The same selection the bulk itself makes.
  app.get('/api/bulk-selection', async (c) => {
    const filter = parseOrThrow(selectionQuery, withoutEmpty(c.req.query()), 'query parameter');
    const selected = await select(findings, filter);
    return c.json<BulkSelectionJson>({ total: selected.length, kinds: toKindCounts(selected) });
  });

  app.get('/api/bulk-actions/:id', async (c) => {
    const record = await bulks.get(c.req.param('id'));
    if (!record) throw new ApiError(404, 'no such bulk action');
    const query = parseOrThrow(progressQuery, c.req.query(), 'query');
    const [counts, items, resolved] = await Promise.all([
      bulks.counts(record.id),
      bulks.items(record.id, query.after, query.limit),
      bulks.resolvedCount(record.id),
    ]);
    return c.json<BulkProgressJson>(
      asJson({
        ...record,
        status: statusOf(record, counts),
        counts,
        resolved,
        items,
        nextAfter: items.length === query.limit ? items.at(-1)!.position : null,
      }),
    );
  });

  app.post('/api/bulk-actions/:id/cancel', async (c) => {
    const record = await bulks.get(c.req.param('id'));
    if (!record) throw new ApiError(404, 'no such bulk action');
    if (!(await bulk.cancel(record.id)))
      throw new ApiError(409, 'only a running bulk action can be cancelled', {
        details: { id: record.id, status: record.status },
      });
    return c.json<BulkCancelJson>({ id: record.id, cancelling: true, status: 'cancelling' }, 202);
  });

  return app;
}

/** Open findings matching the filter, all of them or a refusal: a bulk never acts on a silently cut selection. */
async function select(findings: ReconStore, filter: { kind?: (typeof FINDING_KINDS)[number]; q?: string }) {
  const ids: Array<Pick<Finding, 'id' | 'kind' | 'actions'>> = [];
  let cursor: string | undefined;
  do {
    const page = await findings.listFindings({ ...filter, state: 'open', limit: 500, cursor });
    ids.push(...page.items.map(({ id, kind, actions }) => ({ id, kind, actions })));
    if (ids.length > MAX_BULK_ITEMS)
      throw badRequest('body', [{ parameter: 'filter', message: `matches more than ${MAX_BULK_ITEMS} findings` }]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** Per kind, in the registry's order: how many findings, and every action any of them allows. */
function toKindCounts(selected: ReadonlyArray<Pick<Finding, 'kind' | 'actions'>>): BulkSelectionJson['kinds'] {
  return FINDING_KINDS.flatMap((kind) => {
    const ofKind = selected.filter((f) => f.kind === kind);
    if (ofKind.length === 0) return [];
    const allowed = new Set<string>(ofKind.flatMap((f) => f.actions));
    return [{ kind, count: ofKind.length, actions: ACTION_NAMES.filter((a) => allowed.has(a)) }];
  });
}

/** Computed when read: an in-doubt item the sweeper settled later changes what the bulk amounts to. */
function statusOf(record: BulkRecord, counts: Record<string, number>): BulkStatusJson {
  if (record.status === 'running' && Date.now() - record.heartbeatAt.getTime() > BULK_INTERRUPTED_AFTER_MS)
    return 'interrupted';
  if (record.status === 'running' || record.status === 'cancelling' || record.status === 'cancelled')
    return record.status;
  if ((counts['in-doubt'] ?? 0) + (counts.pending ?? 0) > 0) return 'settling';
  return Object.keys(counts).every((o) => o === 'done' || o === 'superseded') ? 'completed' : 'completed-with-failures';
}
