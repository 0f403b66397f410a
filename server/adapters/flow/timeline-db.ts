import type pg from 'pg';
import type { KeyFamily } from '../../../reconcilers/keys.ts';
import type {
  OrderHistoryDispatch,
  OrderHistoryOrder,
  OrderHistoryOutboxRow,
  TimelinePort,
} from '../../../reconcilers/ports/timeline.ts';
import { parseJsonKeepingIntegers } from '../../watched-system/json-path.ts';
import type { DatabaseSource, Flow } from '../../watched-system/model.ts';
import { orNoneForForeignKey } from '../no-such-key.ts';
import { quoteIdent as q } from '../postgres.ts';
import { type ColumnNeed, readColumns } from '../sql/catalog.ts';
import { keyColumn, keyFamilyOf, timeColumn } from '../sql/columns.ts';
import type { Row } from '../sql/key-order-stream.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { containsPattern, valueReader } from '../sql/values.ts';
import { toDate } from '../sql-time.ts';
import { createTimelineInbox } from './timeline-inbox.ts';

/**
 * An order's rows across both databases through the configured flow: each configured column read by its name
 * (times as epoch milliseconds, in their database's zone), and the row whole (`to_jsonb`, as text: a 19-digit
 * bigint shows as its exact digits, never rounded to a JavaScript number) for display. The order id
 * is compared in each key column's own type, so its index is used; an id a column cannot hold matches nothing. An
 * outbox whose order id lives in JSON is searched by a prefilter and checked here.
 */
export function createTimelineDb(
  pools: { orders: pg.Pool; dispatch: pg.Pool; outbox: pg.Pool | null; inbox?: pg.Pool | null },
  flow: Flow,
  databases: {
    orders: DatabaseSource;
    dispatch: DatabaseSource;
    outbox: DatabaseSource | null;
    inbox?: DatabaseSource | null;
  },
  keyFamily: () => Promise<KeyFamily>,
): TimelinePort {
  const { order: o, outbox: x, dispatch: d } = flow;
  const inbox =
    flow.inbox && pools.inbox && databases.inbox ? createTimelineInbox(pools.inbox, flow.inbox, databases.inbox) : null;
  // Compared as text: a status column of any type, and the configuration's values written as numbers or words.
  const cancelled = new Set(d.cancelledStatuses.map(String));
  const need = (names: Array<string | null>, key: string): ColumnNeed[] =>
    names.flatMap((column) => (column ? [{ column, configKey: key }] : []));
  const optionalText = (name: string | null) => (name ? `t.${q(name)}::text` : 'NULL::text');

  const orderSql = onFirstUse(async () => {
    const columns = await readColumns(
      pools.orders,
      o.table,
      'flows[0].order.table',
      need([o.id, o.createdAt, o.updatedAt, o.status], 'flows[0].order'),
    );
    const time = (name: string | null) =>
      name ? timeColumn('t', columns.get(name)!, databases.orders.timeZone, 'flows[0].order').epochMs : 'NULL::float8';
    const idColumn = columns.get(o.id)!;
    return {
      id: keyColumn('t', idColumn, keyFamilyOf(idColumn, 'flows[0].order.id'), 'flows[0].order.id'),
      text: `SELECT to_jsonb(t)::text AS columns, t.${q(o.id)}::text AS id, ${optionalText(o.status)} AS status,
          ${time(o.createdAt)} AS created_at, ${time(o.updatedAt)} AS updated_at
        FROM ${q(o.table)} t WHERE t.${q(o.id)} = $1`,
    };
  });
  const orderId = x && valueReader('t', x.orderId);
  const outboxSql = onFirstUse(async () => {
    if (!x || !orderId || !pools.outbox || !databases.outbox) return null;
    const zone = databases.outbox.timeZone;
    // The confirmation time is a column only in an outbox that confirms by timestamp.
    const confirmedAt = x.pending.kind === 'column-null' ? x.pending.column : null;
    const names = [x.createdAt, x.publishedAt, confirmedAt, x.eventType, x.attempts];
    const columns = await readColumns(pools.outbox, x.table, 'flows[0].outbox.table', need(names, 'flows[0].outbox'));
    const time = (name: string | null) =>
      name ? timeColumn('t', columns.get(name)!, zone, 'flows[0].outbox').epochMs : 'NULL::float8';
    const byOrder = orderId.isJson ? `${orderId.ref}::text LIKE $1` : `${orderId.ref} = $1`;
    return `SELECT to_jsonb(t)::text AS columns, ${valueReader('t', x.messageId).select} AS message_id,
        ${orderId.select} AS order_id, ${optionalText(x.eventType)} AS event_type, ${time(x.createdAt)} AS created_at,
        ${time(x.publishedAt)} AS published_at, ${time(confirmedAt)} AS confirmed_at,
        ${x.attempts ? `t.${q(x.attempts)}::int` : 'NULL::int'} AS attempts
      FROM ${q(x.table)} t WHERE (${x.filter ?? 'true'}) AND ${byOrder}
      ORDER BY ${x.createdAt ? `t.${q(x.createdAt)}` : '1'}`;
  });
  const dispatchSql = onFirstUse(async () => {
    const [columns, family] = await Promise.all([
      readColumns(
        pools.dispatch,
        d.table,
        'flows[0].dispatch.table',
        need([d.id, d.orderId, d.createdAt, d.updatedAt, d.status, d.messageId], 'flows[0].dispatch'),
      ),
      keyFamily(),
    ]);
    const ref = keyColumn('t', columns.get(d.orderId)!, family, 'flows[0].dispatch.orderId');
    const time = (name: string | null) =>
      name
        ? timeColumn('t', columns.get(name)!, databases.dispatch.timeZone, 'flows[0].dispatch').epochMs
        : 'NULL::float8';
    return {
      ref,
      text: `SELECT to_jsonb(t)::text AS columns, t.${q(d.id)}::text AS id, ${optionalText(d.messageId)} AS message_id,
          ${optionalText(d.status)} AS status, ${time(d.createdAt)} AS created_at, ${time(d.updatedAt)} AS updated_at
        FROM ${q(d.table)} t WHERE ${ref.ref} = $1 ORDER BY t.${q(d.createdAt)}`,
    };
  });

  // An id the column cannot hold (beyond an integer column's range) names no order: PostgreSQL would refuse it.
  const readOrder = async (id: string) =>
    orNoneForForeignKey(async () => {
      const sql = await orderSql();
      return sql.id.canHold(id) ? withColumns((await pools.orders.query<Row>(sql.text, [id])).rows) : [];
    }, []);
  const readOutbox = async (id: string) => {
    const sql = await outboxSql();
    if (!sql || !orderId || !pools.outbox) return [];
    const param = orderId.isJson ? containsPattern(id) : id;
    const rows = await orNoneForForeignKey(async () => (await pools.outbox!.query<Row>(sql, [param])).rows, []);
    return withColumns(rows.filter((r) => orderId.keyOf(r.order_id) === id));
  };
  const readDispatches = async (id: string) => {
    const sql = await dispatchSql();
    if (!sql.ref.canHold(id)) return [];
    return withColumns((await pools.dispatch.query<Row>(sql.text, [id])).rows);
  };
  // An optional column the configuration names: read from the whole row, so a table without it is no error.
  const courierOf = (columns: Row) => {
    const value = d.courier === null ? undefined : columns[d.courier];
    return typeof value === 'string' ? value : null;
  };

  return {
    keyFamily,
    async orderHistory(id) {
      const [order, outbox, dispatches] = await Promise.allSettled([readOrder(id), readOutbox(id), readDispatches(id)]);
      if (order.status === 'rejected' || outbox.status === 'rejected' || dispatches.status === 'rejected') {
        const ordersDown = order.status === 'rejected' || outbox.status === 'rejected';
        const dispatchDown = dispatches.status === 'rejected';
        return {
          unavailable: [...(ordersDown ? ['orders' as const] : []), ...(dispatchDown ? ['dispatch' as const] : [])],
        };
      }
      return {
        order: order.value[0] ? toOrder(order.value[0]) : null,
        outbox: outbox.value.map((r) => toOutboxRow(r, x ? valueReader('t', x.messageId).keyOf(r.message_id) : null)),
        dispatches: dispatches.value.map((r) => ({
          ...toDispatch(r, courierOf(r.columns as Row)),
          isCancelled: r.status !== null && r.status !== undefined && cancelled.has(String(r.status)),
        })),
      };
    },
    ...(inbox ? { inboxRecords: inbox.records } : {}),
  };
}

const withColumns = (rows: Row[]): Row[] =>
  rows.map((r) => ({ ...r, columns: parseJsonKeepingIntegers(r.columns as string) }));

const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

const toOrder = (r: Row): OrderHistoryOrder => ({
  id: String(r.id),
  status: textOrNull(r.status),
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
  columns: r.columns as Row,
});

const toOutboxRow = (r: Row, messageId: string | null): OrderHistoryOutboxRow => ({
  messageId,
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
