import type pg from 'pg';
import type { OrderIdRow, OrderRow, OrdersPort } from '../../../reconcilers/ports/business-db.ts';
import type { DatabaseSource, Flow } from '../../watched-system/model.ts';
import { createKeyLookup } from '../key-lookup.ts';
import { quoteIdent as q } from '../postgres.ts';
import { readColumns } from '../sql/catalog.ts';
import { keyColumn, keyFamilyOf, timeColumn } from '../sql/columns.ts';
import { type KeyOrderRead, type Row, readInKeyOrder } from '../sql/key-order-stream.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { toDate } from '../sql-time.ts';

const KEY = 'flows[0].order';

/**
 * The order service's table through the configured flow. Statements are built from the catalog on first use: the id
 * column's type decides the keys' canonical text and order, each time column's type how it is read. Without an
 * updatedAt column, changed rows are read by createdAt: new orders are seen each cycle, updates by the full sweep.
 */
export function createOrdersDb(pool: pg.Pool, flow: Flow, database: DatabaseSource): OrdersPort {
  const o = flow.order;
  const table = q(o.table);
  const statements = onFirstUse(async () => {
    const columns = await readColumns(pool, o.table, `${KEY}.table`, [
      { column: o.id, configKey: `${KEY}.id` },
      { column: o.createdAt, configKey: `${KEY}.createdAt` },
      ...(o.updatedAt ? [{ column: o.updatedAt, configKey: `${KEY}.updatedAt` }] : []),
      ...(o.status ? [{ column: o.status, configKey: `${KEY}.status` }] : []),
    ]);
    const column = (name: string) => columns.get(name)!;
    const family = keyFamilyOf(column(o.id), `${KEY}.id`);
    const id = keyColumn('t', column(o.id), family, `${KEY}.id`);
    const created = timeColumn('t', column(o.createdAt), database.timeZone, `${KEY}.createdAt`);
    const changed = o.updatedAt ? timeColumn('t', column(o.updatedAt), database.timeZone, `${KEY}.updatedAt`) : created;
    // An order the expression cannot judge (NULL) still needs its dispatch: never hide one by accident.
    const needsDispatch = o.needsDispatch ? `coalesce((${o.needsDispatch}), true)` : 'true';
    const status = o.status ? `t.${q(o.status)}::text` : 'NULL::text';
    const select = `${id.text} AS id, ${status} AS status, ${needsDispatch} AS needs_dispatch,
      ${created.epochMs} AS created_at, ${changed.epochMs} AS updated_at, ${changed.position} AS position`;
    const sweepSelect = `${id.text} AS id, ${created.epochMs} AS created_at, ${needsDispatch} AS needs_dispatch`;
    const sweep: KeyOrderRead = id.order.isNative
      ? {
          kind: 'keyset',
          first: `SELECT ${sweepSelect} FROM ${table} t ORDER BY ${id.ref} LIMIT $1`,
          next: `SELECT ${sweepSelect} FROM ${table} t WHERE ${id.ref} > $2 ORDER BY ${id.ref} LIMIT $1`,
          lastKey: (row) => String(row.id),
        }
      : { kind: 'cursor', query: `SELECT ${sweepSelect} FROM ${table} t ORDER BY ${id.order.expression}` };
    return {
      family,
      id,
      firstChanged: `SELECT ${select} FROM ${table} t
        WHERE ${changed.ref} > ${changed.fromInstant('$1')} AND ${changed.ref} <= ${changed.fromInstant('$2')}
        ORDER BY ${changed.ref}, ${id.ref} LIMIT $3`,
      nextChanged: `SELECT ${select} FROM ${table} t
        WHERE (${changed.ref}, ${id.ref}) > (${changed.positionParam('$1')}, $4) AND ${changed.ref} <= ${changed.fromInstant('$2')}
        ORDER BY ${changed.ref}, ${id.ref} LIMIT $3`,
      byIds: `SELECT ${select} FROM ${table} t WHERE ${id.ref} = ANY(${id.anyParam('$1')})`,
      sweep,
    };
  });

  // As many lookup statements at once as the pool has connections; more wait in the lookup, not in the pool.
  const lookUp = createKeyLookup(pool.options?.max ?? 5);

  return {
    keyFamily: async () => (await statements()).family,
    async pageChangedOrders(after, until, limit) {
      const sql = await statements();
      const { rows } =
        after.id === null
          ? await pool.query(sql.firstChanged, [after.after, until, limit])
          : await pool.query(sql.nextChanged, [after.after, until, limit, after.id]);
      return rows.map(toOrderRow);
    },
    async findOrders(ids) {
      const sql = await statements();
      return lookUp(ids.filter(sql.id.canHold), async (chunk) => {
        const { rows } = await pool.query(sql.byIds, [chunk]);
        return rows.map(toOrderRow);
      });
    },
    async *orderIdsInKeyOrder(pageSize) {
      const { sweep } = await statements();
      for await (const rows of readInKeyOrder(pool, sweep, pageSize)) yield rows.map(toOrderIdRow);
    },
  };
}

function toOrderRow(r: Row): OrderRow {
  return {
    id: r.id as string,
    position: r.position as string,
    status: r.status as string | null,
    needsDispatch: r.needs_dispatch as boolean,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

const toOrderIdRow = (r: Row): OrderIdRow => ({
  id: r.id as string,
  createdAt: toDate(r.created_at),
  needsDispatch: r.needs_dispatch as boolean,
});
