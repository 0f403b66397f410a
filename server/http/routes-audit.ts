import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { ACTION_NAMES, FINDING_KINDS } from '../../reconcilers/registry.ts';
import type { ActionStore, AuditEntry } from '../store/action-types.ts';
import { toAuditJson } from './action-json.ts';
import type { AuthEnv } from './auth.ts';
import { toCsvLine } from './csv.ts';
import { optionalText, parseOrThrow, withoutEmpty } from './validate.ts';
import type { AuditPageJson } from './wire.ts';

/** Rows per database read while a CSV streams: memory stays flat however long the log. */
const CSV_PAGE_ROWS = 500;
const CSV_COLUMNS = [
  'at',
  'event',
  'actionId',
  'bulkId',
  'findingId',
  'action',
  'target',
  'actor',
  'role',
  'outcome',
  'reason',
  'detail',
  'idempotencyKey',
  'oldRole',
  'newRole',
] as const;

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO time, e.g. 2024-01-15T16:47:05Z' });
/** The filters both routes take; every one optional, all given ones must hold. */
export const auditFilter = z.object({
  actionId: z.uuid().optional(),
  actor: optionalText(200),
  action: z.enum([...ACTION_NAMES, 'user']).optional(),
  kind: z.enum(FINDING_KINDS).optional(),
  from: isoTime.transform((t) => new Date(t)).optional(),
  to: isoTime.transform((t) => new Date(t)).optional(),
});
export const auditQuery = auditFilter.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the id of an earlier row')
    .optional(),
});

/** GET /api/audit (a page of JSON) and GET /api/audit.csv (every matching row). Roles: server/http/route-table.ts. */
export function auditRoutes(actions: ActionStore) {
  const app = new Hono<AuthEnv>();

  app.get('/api/audit', async (c) => {
    const query = parseOrThrow(auditQuery, withoutEmpty(c.req.query()), 'query');
    const items = await actions.audit(query);
    return c.json<AuditPageJson>({
      items: items.map(toAuditJson),
      nextBefore: items.length === query.limit ? items.at(-1)!.id : null,
    });
  });

  // Server-side rather than from the page's loaded rows: an export must hold every matching row, not the 100 on
  // screen, and a script can fetch it with curl. Streamed page by page in the log's own keyset order.
  app.get('/api/audit.csv', (c) => {
    const filter = parseOrThrow(auditFilter, withoutEmpty(c.req.query()), 'query');
    const stamp = new Date().toISOString().replaceAll(':', '-');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="recon-audit-${stamp}.csv"`);
    return stream(c, async (out) => {
      await out.write(toCsvLine(CSV_COLUMNS));
      let before: string | undefined;
      do {
        const rows = await actions.audit({ ...filter, limit: CSV_PAGE_ROWS, before });
        if (rows.length > 0) await out.write(rows.map(toCsvRow).join(''));
        before = rows.length === CSV_PAGE_ROWS ? rows.at(-1)!.id : undefined;
      } while (before && !out.aborted);
    });
  });

  return app;
}

const toCsvRow = (entry: AuditEntry) => {
  const json = toAuditJson(entry);
  return toCsvLine(CSV_COLUMNS.map((column) => json[column] ?? null));
};
