import type { Pool } from 'pg';
import type { DispatchRepairPort } from '../../reconcilers/ports/repair.ts';
import type { Mapping } from '../config.ts';
import { orNoneForForeignKey } from './no-such-key.ts';
import { quoteIdent as q } from './postgres.ts';

/** What repairs read and write in the dispatch database. Cancelling is conditional on the row still being live. */
export function createDispatchRepairDb(pool: Pool, mapping: Mapping): DispatchRepairPort {
  const d = mapping.dispatches;
  const [cancelledStatus] = d.cancelledStatuses;
  const isLive = `(${q(d.status)} IS NULL OR ${q(d.status)}::text <> ALL($2::text[]))`;
  const live = `SELECT ${q(d.id)}::text AS id, ${q(d.orderId)}::text AS order_id, ${q(d.createdAt)} AS created_at,
      ${q(d.orderSnapshot)} AS order_snapshot
    FROM ${q(d.table)} WHERE ${q(d.orderId)} = $1 AND ${isLive} ORDER BY ${q(d.createdAt)}, ${q(d.id)}`;
  // Zero rows changed means someone else got there first: the repair reports superseded, never success.
  const cancel = `UPDATE ${q(d.table)} SET ${q(d.status)} = $4, ${q(d.updatedAt)} = now()
    WHERE ${q(d.orderId)} = $1 AND ${isLive} AND ${q(d.id)}::text = ANY($3::text[])`;
  const inbox = mapping.inbox;
  // Compared as the column's own type, so its primary key is used.
  const processed = inbox && `SELECT 1 FROM ${q(inbox.table)} WHERE ${q(inbox.messageId)} = $1`;

  return {
    liveDispatches: (orderId) =>
      orNoneForForeignKey(async () => {
        const { rows } = await pool.query(live, [orderId, d.cancelledStatuses]);
        return rows.map((r) => ({
          id: String(r.id),
          orderId: String(r.order_id),
          createdAt: r.created_at as Date,
          orderSnapshot: r.order_snapshot,
        }));
      }, []),
    async cancelDispatches(orderId, dispatchIds) {
      if (dispatchIds.length === 0) return 0;
      return orNoneForForeignKey(async () => {
        const args = [orderId, d.cancelledStatuses, [...dispatchIds], cancelledStatus];
        return (await pool.query(cancel, args)).rowCount ?? 0;
      }, 0);
    },
    async isProcessed(messageId) {
      if (!processed) return null;
      // A uuid column cannot hold an id of another shape, so the inbox does not have it.
      return orNoneForForeignKey(async () => (await pool.query(processed, [messageId])).rowCount === 1, false);
    },
  };
}
