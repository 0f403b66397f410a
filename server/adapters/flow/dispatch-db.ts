import type pg from 'pg';
import { type KeyFamily, keyProblem } from '../../../reconcilers/keys.ts';
import type { DispatchedOrderRow, DispatchPort, DispatchRow } from '../../../reconcilers/ports/business-db.ts';
import type { DatabaseSource, Flow } from '../../watched-system/model.ts';
import { createKeyLookup } from '../key-lookup.ts';
import { quoteIdent as q } from '../postgres.ts';
import { readColumns } from '../sql/catalog.ts';
import { keyColumn, textArray, timeColumn } from '../sql/columns.ts';
import { type KeyOrderRead, type Row, readInKeyOrder } from '../sql/key-order-stream.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { toDate } from '../sql-time.ts';

const KEY = 'flows[0].dispatch';

/**
 * The dispatch service's table through the configured flow. Its order reference is read as text and judged as an
 * order key of the orders table's family (read from the orders database: `keyFamily`), so the two databases'
 * columns compare in one canonical form whatever their types; a reference that cannot be a key is passed on with
 * its problem, to be reported rather than matched.
 */
export function createDispatchDb(
  pool: pg.Pool,
  flow: Flow,
  database: DatabaseSource,
  keyFamily: () => Promise<KeyFamily>,
): DispatchPort {
  const d = flow.dispatch;
  const table = q(d.table);
  const statements = onFirstUse(async () => {
    const [columns, family] = await Promise.all([
      readColumns(pool, d.table, `${KEY}.table`, [
        { column: d.id, configKey: `${KEY}.id` },
        { column: d.orderId, configKey: `${KEY}.orderId` },
        { column: d.createdAt, configKey: `${KEY}.createdAt` },
        ...(d.updatedAt ? [{ column: d.updatedAt, configKey: `${KEY}.updatedAt` }] : []),
        ...(d.status ? [{ column: d.status, configKey: `${KEY}.status` }] : []),
        ...(d.messageId ? [{ column: d.messageId, configKey: `${KEY}.messageId` }] : []),
      ]),
      keyFamily(),
    ]);
    const column = (name: string) => columns.get(name)!;
    const ref = keyColumn('t', column(d.orderId), family, `${KEY}.orderId`);
    const created = timeColumn('t', column(d.createdAt), database.timeZone, `${KEY}.createdAt`);
    const changed = d.updatedAt ? timeColumn('t', column(d.updatedAt), database.timeZone, `${KEY}.updatedAt`) : created;
    const status = d.status ? `t.${q(d.status)}::text` : 'NULL::text';
    // Numbers compare as their text; without a status column every dispatch is live.
    const isLive =
      d.status && d.cancelledStatuses.length > 0
        ? `(${status} IS NULL OR ${status} <> ALL(${textArray(d.cancelledStatuses.map(String))}))`
        : 'true';
    const select = `t.${q(d.id)}::text AS id, ${ref.text} AS order_ref,
      ${d.messageId ? `t.${q(d.messageId)}::text` : 'NULL::text'} AS message_id, ${status} AS status,
      ${isLive} AS is_live, ${created.epochMs} AS created_at, ${changed.epochMs} AS updated_at,
      ${changed.position} AS position`;
    const groups = `SELECT ${ref.text} AS order_ref, count(*) FILTER (WHERE ${isLive})::int AS live_count,
      ${created.epochMsOf(`min(${created.ref})`)} AS created_at FROM ${table} t`;
    // Walks the order reference's index in order, so each page costs its own rows, not a sort of the table.
    const sweep: KeyOrderRead = ref.order.isNative
      ? {
          kind: 'keyset',
          first: `${groups} GROUP BY ${ref.ref} ORDER BY ${ref.ref} LIMIT $1`,
          next: `${groups} WHERE ${ref.ref} > $2 GROUP BY ${ref.ref} ORDER BY ${ref.ref} LIMIT $1`,
          lastKey: (row) => String(row.order_ref),
        }
      : { kind: 'cursor', query: `${groups} GROUP BY ${ref.ref} ORDER BY ${ref.order.expression}` };
    return {
      family,
      ref,
      firstChanged: `SELECT ${select} FROM ${table} t
        WHERE ${changed.ref} > ${changed.fromInstant('$1')} AND ${changed.ref} <= ${changed.fromInstant('$2')}
        ORDER BY ${changed.ref}, t.${q(d.id)} LIMIT $3`,
      nextChanged: `SELECT ${select} FROM ${table} t
        WHERE (${changed.ref}, t.${q(d.id)}) > (${changed.positionParam('$1')}, $4) AND ${changed.ref} <= ${changed.fromInstant('$2')}
        ORDER BY ${changed.ref}, t.${q(d.id)} LIMIT $3`,
      byOrderIds: `SELECT ${select} FROM ${table} t WHERE ${ref.ref} = ANY(${ref.anyParam('$1')})`,
      // The empty reference is looked for apart (no integer or uuid column can be asked for ''): an empty text, or
      // a missing reference (NULL), which reads as the empty reference. Both are malformed and must be found again.
      byReferences: `SELECT ${select} FROM ${table} t
        WHERE ${ref.ref} = ANY(${ref.anyParam('$1')}) OR ($2 AND (${ref.ref} IS NULL OR ${ref.text} = ''))`,
      sweep,
    };
  });

  // As many lookup statements at once as the pool has connections; more wait in the lookup, not in the pool.
  const lookUp = createKeyLookup(pool.options?.max ?? 5);
  const toRows = async (rows: Row[]) => {
    const { family } = await statements();
    return rows.map((r) => toDispatchRow(r, family));
  };

  return {
    async pageChangedDispatches(after, until, limit) {
      const sql = await statements();
      const { rows } =
        after.id === null
          ? await pool.query(sql.firstChanged, [after.after, until, limit])
          : await pool.query(sql.nextChanged, [after.after, until, limit, after.id]);
      return toRows(rows);
    },
    async findDispatchesByOrderIds(orderIds) {
      const sql = await statements();
      return lookUp(orderIds.filter(sql.ref.canHold), async (chunk) => {
        const { rows } = await pool.query(sql.byOrderIds, [chunk]);
        return toRows(rows);
      });
    },
    // The references come from this column itself, so they are values of its type whatever they look like.
    async findDispatchesByReferences(references) {
      const sql = await statements();
      if (references.length === 0) return [];
      const { rows } = await pool.query(sql.byReferences, [references.filter(Boolean), references.includes('')]);
      return toRows(rows);
    },
    async *dispatchedOrderIdsInKeyOrder(pageSize) {
      const { sweep, family } = await statements();
      for await (const rows of readInKeyOrder(pool, sweep, pageSize)) yield rows.map((r) => toGroup(r, family));
    },
  };
}

function toDispatchRow(r: Row, family: KeyFamily): DispatchRow {
  const orderId = (r.order_ref as string | null) ?? '';
  return {
    id: r.id as string,
    position: r.position as string,
    orderId,
    orderIdProblem: keyProblem(orderId, family),
    messageId: r.message_id as string | null,
    status: r.status as string | null,
    isLive: r.is_live as boolean,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

function toGroup(r: Row, family: KeyFamily): DispatchedOrderRow {
  const orderId = (r.order_ref as string | null) ?? '';
  return {
    orderId,
    orderIdProblem: keyProblem(orderId, family),
    liveCount: r.live_count as number,
    createdAt: toDate(r.created_at),
  };
}
