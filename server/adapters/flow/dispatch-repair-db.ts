import type pg from 'pg';
import type { KeyFamily } from '../../../reconcilers/keys.ts';
import type { DispatchRepairPort } from '../../../reconcilers/ports/repair.ts';
import type { DatabaseSource, Flow } from '../../watched-system/model.ts';
import { quoteIdent as q } from '../postgres.ts';
import { readColumns } from '../sql/catalog.ts';
import { keyColumn, textArray, timeColumn } from '../sql/columns.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { toDate } from '../sql-time.ts';
import { createInboxDb } from './inbox-db.ts';

const KEY = 'flows[0].dispatch';

/**
 * What repairs read and write in the dispatch database. Cancelling writes the first cancelled status into the
 * configured status column (and the update time only where there is an update-time column), conditional on the row
 * still being live: a second cancel changes nothing. An order id the reference column cannot hold has no dispatch.
 */
export function createDispatchRepairDb(
  pools: { dispatch: pg.Pool; inbox: pg.Pool | null },
  flow: Flow,
  database: DatabaseSource,
  keyFamily: () => Promise<KeyFamily>,
): DispatchRepairPort {
  const d = flow.dispatch;
  const statements = onFirstUse(async () => {
    const [columns, family] = await Promise.all([
      readColumns(pools.dispatch, d.table, `${KEY}.table`, [
        { column: d.id, configKey: `${KEY}.id` },
        { column: d.orderId, configKey: `${KEY}.orderId` },
        { column: d.createdAt, configKey: `${KEY}.createdAt` },
        ...(d.status ? [{ column: d.status, configKey: `${KEY}.status` }] : []),
        ...(d.updatedAt ? [{ column: d.updatedAt, configKey: `${KEY}.updatedAt` }] : []),
        ...(d.orderSnapshot ? [{ column: d.orderSnapshot, configKey: `${KEY}.orderSnapshot` }] : []),
      ]),
      keyFamily(),
    ]);
    const ref = keyColumn('t', columns.get(d.orderId)!, family, `${KEY}.orderId`);
    const created = timeColumn('t', columns.get(d.createdAt)!, database.timeZone, `${KEY}.createdAt`);
    const status = d.status ? `t.${q(d.status)}::text` : null;
    const isLive =
      status && d.cancelledStatuses.length > 0
        ? `(${status} IS NULL OR ${status} <> ALL(${textArray(d.cancelledStatuses.map(String))}))`
        : 'true';
    const snapshot = d.orderSnapshot ? `t.${q(d.orderSnapshot)}` : 'NULL';
    const touched = d.updatedAt
      ? `, ${q(d.updatedAt)} = ${timeColumn('t', columns.get(d.updatedAt)!, database.timeZone, KEY).now}`
      : '';
    return {
      ref,
      live: `SELECT t.${q(d.id)}::text AS id, ${ref.text} AS order_id, ${created.epochMs} AS created_at,
          ${snapshot} AS order_snapshot
        FROM ${q(d.table)} t WHERE ${ref.ref} = $1 AND ${isLive} ORDER BY ${created.ref}, t.${q(d.id)}`,
      // Zero rows changed means someone else got there first: the repair reports superseded, never success.
      cancel:
        d.status && d.cancelledStatuses.length > 0
          ? `UPDATE ${q(d.table)} t SET ${q(d.status)} = $2${touched}
            WHERE ${ref.ref} = $1 AND ${isLive} AND t.${q(d.id)}::text = ANY($3::text[])`
          : null,
    };
  });
  const inbox = flow.inbox && pools.inbox ? createInboxDb(pools.inbox, flow.inbox) : null;

  return {
    async liveDispatches(orderId) {
      const sql = await statements();
      if (!sql.ref.canHold(orderId)) return [];
      const { rows } = await pools.dispatch.query(sql.live, [orderId]);
      return rows.map((r) => ({
        id: String(r.id),
        orderId: String(r.order_id),
        createdAt: toDate(r.created_at),
        orderSnapshot: r.order_snapshot,
      }));
    },
    async cancelDispatches(orderId, dispatchIds) {
      const sql = await statements();
      if (!sql.cancel || dispatchIds.length === 0 || !sql.ref.canHold(orderId)) return 0;
      // The cancelled status as text: PostgreSQL reads it in the column's own type (a number for an integer column).
      const { rowCount } = await pools.dispatch.query(sql.cancel, [
        orderId,
        String(d.cancelledStatuses[0]),
        [...dispatchIds],
      ]);
      return rowCount ?? 0;
    },
    isProcessed: async (messageId) => (inbox ? inbox.isProcessed(messageId) : null),
  };
}
