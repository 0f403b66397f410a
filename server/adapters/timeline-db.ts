import type pg from 'pg';
import type { Mapping } from '../config.ts';
import type { TimelinePort } from '../http/timeline.ts';
import { quoteIdent as q } from './postgres.ts';

/** An order's rows across both databases, whole (`to_jsonb`), for the timeline view. */
export function createTimelineDb(pools: { orders: pg.Pool; dispatch: pg.Pool }, mapping: Mapping): TimelinePort {
  const { orders: o, outbox: x, dispatches: d } = mapping;
  const sql = {
    order: `SELECT to_jsonb(t) AS row FROM ${q(o.table)} t WHERE ${q(o.id)}::text = $1`,
    outbox: `SELECT to_jsonb(t) AS row FROM ${q(x.table)} t WHERE ${q(x.aggregateId)}::text = $1 ORDER BY ${q(x.createdAt)}`,
    dispatches: `SELECT to_jsonb(t) AS row FROM ${q(d.table)} t WHERE ${q(d.orderId)}::text = $1 ORDER BY ${q(d.createdAt)}`,
  };
  const rows = (result: pg.QueryResult) => result.rows.map((r) => r.row as Record<string, unknown>);

  return {
    async order(orderId) {
      const [order, outbox, dispatches] = await Promise.allSettled([
        pools.orders.query(sql.order, [orderId]),
        pools.orders.query(sql.outbox, [orderId]),
        pools.dispatch.query(sql.dispatches, [orderId]),
      ]);
      const unavailable = [
        ...(order.status === 'rejected' || outbox.status === 'rejected' ? ['orders'] : []),
        ...(dispatches.status === 'rejected' ? ['dispatch'] : []),
      ];
      if (order.status === 'rejected' || outbox.status === 'rejected' || dispatches.status === 'rejected')
        return { unavailable };
      return { order: rows(order.value)[0] ?? null, outbox: rows(outbox.value), dispatches: rows(dispatches.value) };
    },
  };
}
