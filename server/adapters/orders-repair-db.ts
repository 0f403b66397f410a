import type { Pool } from 'pg';
import type { OrderRecord, OrdersRepairPort, OutboxRecord } from '../../reconcilers/ports/repair.ts';
import type { Mapping } from '../config.ts';
import { orNoneForForeignKey } from './no-such-key.ts';
import { quoteIdent as q } from './postgres.ts';

/** What repairs read and write in the order database; every write is conditional, keyed by the business id. */
export function createOrdersRepairDb(pool: Pool, mapping: Mapping): OrdersRepairPort {
  const o = mapping.orders;
  const x = mapping.outbox;
  const getOrder = `SELECT ${q(o.id)}::text AS id, ${q(o.customerId)} AS customer_id, ${q(o.items)} AS items,
      ${q(o.totalCents)} AS total_cents, ${q(o.status)} AS status, ${q(o.createdAt)} AS created_at
    FROM ${q(o.table)} WHERE ${q(o.id)} = $1`;
  const insertOrder = `INSERT INTO ${q(o.table)} (${q(o.id)}, ${q(o.customerId)}, ${q(o.items)}, ${q(o.totalCents)},
      ${q(o.status)}, ${q(o.createdAt)}, ${q(o.updatedAt)})
    VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (${q(o.id)}) DO NOTHING`;
  const getOutbox = `SELECT ${q(x.messageId)}::text AS message_id, ${q(x.aggregateId)}::text AS aggregate_id,
      ${q(x.eventType)} AS event_type, ${q(x.payload)} AS payload, ${q(x.confirmedAt)} AS confirmed_at
    FROM ${q(x.table)} WHERE ${q(x.messageId)} = $1`;
  const latestMessageId = `SELECT ${q(x.messageId)}::text AS message_id FROM ${q(x.table)}
    WHERE ${q(x.aggregateId)} = $1 ORDER BY ${q(x.createdAt)} DESC, ${q(x.id)} DESC LIMIT 1`;
  // The relay may confirm the same row at the same moment: whoever comes second changes nothing.
  const markConfirmed = `UPDATE ${q(x.table)} SET ${q(x.confirmedAt)} = now(),
      ${q(x.publishedAt)} = coalesce(${q(x.publishedAt)}, now())
    WHERE ${q(x.messageId)} = $1 AND ${q(x.confirmedAt)} IS NULL`;

  return {
    getOrder: (orderId) =>
      orNoneForForeignKey(async () => {
        const { rows } = await pool.query(getOrder, [orderId]);
        return rows[0] ? toOrder(rows[0]) : null;
      }, null),
    getOutbox: (messageId) =>
      orNoneForForeignKey(async () => {
        const { rows } = await pool.query(getOutbox, [messageId]);
        return rows[0] ? toOutbox(rows[0]) : null;
      }, null),
    latestMessageIdFor: (orderId) =>
      orNoneForForeignKey(async () => {
        const { rows } = await pool.query<{ message_id: string }>(latestMessageId, [orderId]);
        return rows[0]?.message_id ?? null;
      }, null),
    async insertOrder(order) {
      const { rowCount } = await pool.query(insertOrder, [
        order.id,
        order.customerId,
        JSON.stringify(order.items),
        order.totalCents,
        order.status,
        order.createdAt,
      ]);
      return rowCount === 1;
    },
    markOutboxConfirmed: (messageId) =>
      orNoneForForeignKey(async () => (await pool.query(markConfirmed, [messageId])).rowCount === 1, false),
  };
}

const toOrder = (r: Record<string, unknown>): OrderRecord => ({
  id: String(r.id),
  customerId: String(r.customer_id),
  items: r.items,
  totalCents: Number(r.total_cents),
  status: String(r.status),
  createdAt: r.created_at as Date,
});

const toOutbox = (r: Record<string, unknown>): OutboxRecord => ({
  messageId: String(r.message_id),
  aggregateId: String(r.aggregate_id),
  eventType: String(r.event_type),
  payload: r.payload,
  confirmedAt: (r.confirmed_at as Date | null) ?? null,
});
