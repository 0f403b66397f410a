import type pg from 'pg';
import type { Cursor, DispatchPort, DispatchRow } from '../../reconcilers/ports/business-db.ts';
import type { Mapping } from '../config.ts';
import { createKeyLookup } from './key-lookup.ts';
import { quoteIdent as q } from './postgres.ts';
import { epochMs, toDate } from './sql-time.ts';

/** The dispatch service's database through the configured mapping. snake_case stops here. */
export function createDispatchDb(pool: pg.Pool, mapping: Mapping): DispatchPort {
  const d = mapping.dispatches;
  const table = q(d.table);
  // Cancelled statuses are a parameter, never spliced into SQL text.
  const isLive = `(${q(d.status)} IS NULL OR ${q(d.status)}::text <> ALL($CANCELLED::text[]))`;
  const columns = (
    n: number,
  ) => `${q(d.id)}::text AS id, ${q(d.orderId)}::text AS order_id, ${q(d.messageId)}::text AS message_id,
    ${q(d.status)}::text AS status, ${isLive.replace('$CANCELLED', `$${n}`)} AS is_live,
    ${epochMs(q(d.createdAt))} AS created_at, ${epochMs(q(d.updatedAt))} AS updated_at, ${q(d.updatedAt)}::text AS position`;
  const cancelled = d.cancelledStatuses;
  // Walks the order_id index in order, so each page costs its own rows, not a sort of the table.
  const groupsQuery = (where: string) => `SELECT ${q(d.orderId)}::text AS order_id,
      count(*) FILTER (WHERE ${isLive.replace('$CANCELLED', '$2')})::int AS live_count,
      ${epochMs(`min(${q(d.createdAt)})`)} AS created_at
      FROM ${table} t ${where} GROUP BY t.${q(d.orderId)} ORDER BY t.${q(d.orderId)} LIMIT $1`;

  const sql = {
    firstChanged: `SELECT ${columns(4)} FROM ${table} t WHERE ${q(d.updatedAt)} > $1::timestamptz AND ${q(d.updatedAt)} <= $2
      ORDER BY t.${q(d.updatedAt)}, t.${q(d.id)} LIMIT $3`,
    nextChanged: `SELECT ${columns(4)} FROM ${table} t
      WHERE (${q(d.updatedAt)}, ${q(d.id)}) > ($1::timestamptz, $5) AND ${q(d.updatedAt)} <= $2
      ORDER BY t.${q(d.updatedAt)}, t.${q(d.id)} LIMIT $3`,
    byOrderIds: `SELECT ${columns(2)} FROM ${table} t WHERE t.${q(d.orderId)} = ANY($1)`,
    firstGroups: groupsQuery(''),
    nextGroups: groupsQuery(`WHERE ${q(d.orderId)} > $3`),
  };

  // As many lookup statements at once as the pool has connections; more wait in the lookup, not in the pool.
  const lookUp = createKeyLookup(pool.options?.max ?? 5);

  return {
    async pageChangedDispatches(after: Cursor, until: Date, limit: number) {
      const { rows } =
        after.id === null
          ? await pool.query(sql.firstChanged, [after.after, until, limit, cancelled])
          : await pool.query(sql.nextChanged, [after.after, until, limit, cancelled, after.id]);
      return rows.map(toDispatchRow);
    },
    findDispatchesByOrderIds: (orderIds) =>
      lookUp(orderIds, async (chunk) => {
        const { rows } = await pool.query(sql.byOrderIds, [chunk, cancelled]);
        return rows.map(toDispatchRow);
      }),
    async pageDispatchedOrderIds(afterId, limit) {
      const { rows } =
        afterId === null
          ? await pool.query(sql.firstGroups, [limit, cancelled])
          : await pool.query(sql.nextGroups, [limit, cancelled, afterId]);
      return rows.map((r) => ({
        orderId: r.order_id as string,
        liveCount: r.live_count as number,
        createdAt: toDate(r.created_at),
      }));
    },
  };
}

function toDispatchRow(r: Record<string, unknown>): DispatchRow {
  return {
    id: r.id as string,
    position: r.position as string,
    orderId: r.order_id as string,
    messageId: r.message_id as string | null,
    status: r.status as string | null,
    isLive: r.is_live as boolean,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}
