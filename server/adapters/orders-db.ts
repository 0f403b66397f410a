import type pg from 'pg';
import type { Cursor, OrderRow, OrdersPort, OutboxRow } from '../../reconcilers/ports/business-db.ts';
import type { Mapping } from '../config.ts';
import { createKeyLookup } from './key-lookup.ts';
import { quoteIdent as q } from './postgres.ts';
import { epochMs, toDate } from './sql-time.ts';

/** The order service's database through the configured mapping. snake_case stops here. */
export function createOrdersDb(pool: pg.Pool, mapping: Mapping): OrdersPort {
  const o = mapping.orders;
  const x = mapping.outbox;
  const orderColumns = `${q(o.id)}::text AS id, ${q(o.status)}::text AS status, ${epochMs(q(o.createdAt))} AS created_at,
    ${epochMs(q(o.updatedAt))} AS updated_at, ${q(o.updatedAt)}::text AS position`;
  const outboxColumns = `${q(x.id)}::text AS id, ${q(x.messageId)}::text AS message_id, ${q(x.aggregateId)}::text AS aggregate_id,
    ${q(x.eventType)}::text AS event_type, ${q(x.createdAt)} AS created_at, ${q(x.publishedAt)} AS published_at,
    ${q(x.confirmedAt)} AS confirmed_at, ${q(x.attempts)}::int AS attempts, ${q(x.lastError)}::text AS last_error`;
  const orders = q(o.table);
  const outbox = q(x.table);

  const sql = {
    firstChanged: `SELECT ${orderColumns} FROM ${orders} t WHERE ${q(o.updatedAt)} > $1::timestamptz AND ${q(o.updatedAt)} <= $2
      ORDER BY t.${q(o.updatedAt)}, t.${q(o.id)} LIMIT $3`,
    nextChanged: `SELECT ${orderColumns} FROM ${orders} t
      WHERE (${q(o.updatedAt)}, ${q(o.id)}) > ($1::timestamptz, $4) AND ${q(o.updatedAt)} <= $2
      ORDER BY t.${q(o.updatedAt)}, t.${q(o.id)} LIMIT $3`,
    byIds: `SELECT ${orderColumns} FROM ${orders} t WHERE t.${q(o.id)} = ANY($1)`,
    unconfirmed: `SELECT ${outboxColumns} FROM ${outbox} t WHERE ${q(x.confirmedAt)} IS NULL AND ${q(x.createdAt)} <= $1
      ORDER BY t.${q(x.createdAt)} LIMIT $2`,
    outboxByMessageIds: `SELECT ${outboxColumns} FROM ${outbox} t WHERE t.${q(x.messageId)} = ANY($1)`,
    // The id's own type orders the sweep (the driver infers $1's type from the column), so the index is used.
    firstOrderIds: `SELECT ${q(o.id)}::text AS id, ${epochMs(q(o.createdAt))} AS created_at FROM ${orders} t
      ORDER BY t.${q(o.id)} LIMIT $1`,
    nextOrderIds: `SELECT ${q(o.id)}::text AS id, ${epochMs(q(o.createdAt))} AS created_at FROM ${orders} t
      WHERE ${q(o.id)} > $2 ORDER BY t.${q(o.id)} LIMIT $1`,
  };

  // As many lookup statements at once as the pool has connections; more wait in the lookup, not in the pool.
  const lookUp = createKeyLookup(pool.options?.max ?? 5);

  return {
    async pageChangedOrders(after: Cursor, until: Date, limit: number) {
      const { rows } =
        after.id === null
          ? await pool.query(sql.firstChanged, [after.after, until, limit])
          : await pool.query(sql.nextChanged, [after.after, until, limit, after.id]);
      return rows.map(toOrderRow);
    },
    findOrders: (ids) =>
      lookUp(ids, async (chunk) => {
        const { rows } = await pool.query(sql.byIds, [chunk]);
        return rows.map(toOrderRow);
      }),
    async listUnconfirmedOutbox(createdBefore, limit) {
      const { rows } = await pool.query(sql.unconfirmed, [createdBefore, limit]);
      return rows.map(toOutboxRow);
    },
    async findOutboxByMessageIds(messageIds) {
      if (messageIds.length === 0) return [];
      const { rows } = await pool.query(sql.outboxByMessageIds, [messageIds]);
      return rows.map(toOutboxRow);
    },
    async pageOrderIds(afterId, limit) {
      const { rows } =
        afterId === null
          ? await pool.query(sql.firstOrderIds, [limit])
          : await pool.query(sql.nextOrderIds, [limit, afterId]);
      return rows.map((r) => ({ id: r.id as string, createdAt: toDate(r.created_at) }));
    },
  };
}

function toOrderRow(r: Record<string, unknown>): OrderRow {
  return {
    id: r.id as string,
    position: r.position as string,
    status: r.status as string | null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

function toOutboxRow(r: Record<string, unknown>): OutboxRow {
  return {
    id: r.id as string,
    messageId: r.message_id as string,
    aggregateId: r.aggregate_id as string,
    eventType: r.event_type as string,
    createdAt: r.created_at as Date,
    publishedAt: r.published_at as Date | null,
    confirmedAt: r.confirmed_at as Date | null,
    attempts: (r.attempts as number | null) ?? 0,
    lastError: r.last_error as string | null,
  };
}
