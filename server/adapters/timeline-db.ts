import type pg from 'pg';
import type {
  OrderHistory,
  OrderHistoryDispatch,
  OrderHistoryOrder,
  OrderHistoryOutboxRow,
  TimelinePort,
} from '../../reconcilers/ports/timeline.ts';
import type { Mapping } from '../config.ts';
import { orNoneForForeignKey } from './no-such-key.ts';
import { quoteIdent as q } from './postgres.ts';
import { epochMs, toDate } from './sql-time.ts';

type Row = Record<string, unknown>;

/**
 * An order's rows across both databases through the configured mapping: each mapped column read by its configured
 * name (times as epoch milliseconds, like the cycle reads them), and the row whole (`to_jsonb`) for display. The
 * order id is compared in each key column's own type, so its index is used; an id that type cannot hold matches none.
 */
export function createTimelineDb(pools: { orders: pg.Pool; dispatch: pg.Pool }, mapping: Mapping): TimelinePort {
  const { orders: o, outbox: x, dispatches: d } = mapping;
  const sql = {
    order: `SELECT to_jsonb(t) AS columns, t.${q(o.id)}::text AS id, t.${q(o.status)}::text AS status,
        ${epochMs(`t.${q(o.createdAt)}`)} AS created_at, ${epochMs(`t.${q(o.updatedAt)}`)} AS updated_at
      FROM ${q(o.table)} t WHERE t.${q(o.id)} = $1`,
    outbox: `SELECT to_jsonb(t) AS columns, t.${q(x.messageId)}::text AS message_id, t.${q(x.eventType)}::text AS event_type,
        ${epochMs(`t.${q(x.createdAt)}`)} AS created_at, ${epochMs(`t.${q(x.publishedAt)}`)} AS published_at,
        ${epochMs(`t.${q(x.confirmedAt)}`)} AS confirmed_at, t.${q(x.attempts)}::int AS attempts
      FROM ${q(x.table)} t WHERE t.${q(x.aggregateId)} = $1 ORDER BY t.${q(x.createdAt)}`,
    dispatches: `SELECT to_jsonb(t) AS columns, t.${q(d.id)}::text AS id, t.${q(d.messageId)}::text AS message_id,
        t.${q(d.status)}::text AS status, ${epochMs(`t.${q(d.createdAt)}`)} AS created_at,
        ${epochMs(`t.${q(d.updatedAt)}`)} AS updated_at
      FROM ${q(d.table)} t WHERE t.${q(d.orderId)} = $1 ORDER BY t.${q(d.createdAt)}`,
  };
  const read = (pool: pg.Pool, text: string, orderId: string) =>
    orNoneForForeignKey(async () => (await pool.query<Row>(text, [orderId])).rows, []);
  // An optional column the configuration names: read from the whole row, so a table without it is no error.
  const courierOf = (columns: Row) => {
    const value = d.courier === null ? undefined : columns[d.courier];
    return typeof value === 'string' ? value : null;
  };

  return {
    async orderHistory(orderId) {
      const [order, outbox, dispatches] = await Promise.allSettled([
        read(pools.orders, sql.order, orderId),
        read(pools.orders, sql.outbox, orderId),
        read(pools.dispatch, sql.dispatches, orderId),
      ]);
      if (order.status === 'rejected' || outbox.status === 'rejected' || dispatches.status === 'rejected') {
        const ordersDown = order.status === 'rejected' || outbox.status === 'rejected';
        return {
          unavailable: [
            ...(ordersDown ? ['orders' as const] : []),
            ...(dispatches.status === 'rejected' ? ['dispatch' as const] : []),
          ],
        };
      }
      const history: OrderHistory = {
        order: order.value[0] ? toOrder(order.value[0]) : null,
        outbox: outbox.value.map(toOutboxRow),
        dispatches: dispatches.value.map((r) => toDispatch(r, courierOf(r.columns as Row))),
      };
      return history;
    },
  };
}

const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

const toOrder = (r: Row): OrderHistoryOrder => ({
  id: String(r.id),
  status: textOrNull(r.status),
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
  columns: r.columns as Row,
});

const toOutboxRow = (r: Row): OrderHistoryOutboxRow => ({
  messageId: textOrNull(r.message_id),
  eventType: textOrNull(r.event_type),
  createdAt: toDate(r.created_at),
  publishedAt: toDate(r.published_at),
  confirmedAt: toDate(r.confirmed_at),
  attempts: typeof r.attempts === 'number' ? r.attempts : null,
  columns: r.columns as Row,
});

const toDispatch = (r: Row, courier: string | null): OrderHistoryDispatch => ({
  id: String(r.id),
  messageId: textOrNull(r.message_id),
  status: textOrNull(r.status),
  courier,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
  columns: r.columns as Row,
});
