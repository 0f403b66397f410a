import type pg from 'pg';
import type { OrdersRepairPort } from '../../../reconcilers/ports/repair.ts';
import type { DatabaseSource, Flow } from '../../watched-system/model.ts';
import { orNoneForForeignKey } from '../no-such-key.ts';
import { quoteIdent as q } from '../postgres.ts';
import { readColumns } from '../sql/catalog.ts';
import { keyColumn, keyFamilyOf, timeColumn } from '../sql/columns.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { createSnapshotReader } from './made-up-order.ts';
import { toJsonObject, toMessageJson } from './message-values.ts';
import { createOutboxRepairDb } from './outbox-repair-db.ts';

const KEY = 'flows[0].order';

/**
 * What repairs read and write in the order database, through the configured flow: every write conditional and
 * keyed by the business id, every column the one configured for its meaning (never a stand-in). A key the id
 * column's type cannot hold names no order.
 */
export function createOrdersRepairDb(
  pools: { orders: pg.Pool; outbox: pg.Pool | null },
  flow: Flow,
  databases: { orders: DatabaseSource; outbox: DatabaseSource | null },
): OrdersRepairPort {
  const o = flow.order;
  const template = flow.message.body;
  const fromSnapshot = o.snapshot && createSnapshotReader(o.snapshot, o.createdAt);
  const statements = onFirstUse(async () => {
    const templateColumns = Object.values(template ?? {});
    const names = [o.id, o.createdAt, ...(o.updatedAt ? [o.updatedAt] : []), ...(o.status ? [o.status] : [])];
    const columns = await readColumns(pools.orders, o.table, `${KEY}.table`, [
      ...names.map((column) => ({ column, configKey: KEY })),
      ...templateColumns.map((column) => ({ column, configKey: 'flows[0].message.body' })),
      ...Object.keys(o.snapshot?.columns ?? {}).map((column) => ({ column, configKey: `${KEY}.snapshot.columns` })),
    ]);
    const time = (name: string) => timeColumn('t', columns.get(name)!, databases.orders.timeZone, KEY);
    const idColumn = columns.get(o.id)!;
    const id = keyColumn('t', idColumn, keyFamilyOf(idColumn, `${KEY}.id`), `${KEY}.id`);
    const created = time(o.createdAt);
    const bodyColumns = [...new Set(templateColumns)];
    // Each column as the message shows it: times as ISO text, in their database's zone, numbers as numbers.
    const select = bodyColumns
      .map((name, i) => {
        const info = columns.get(name)!;
        const value = ['timestamptz', 'timestamp'].includes(info.family) ? time(name).epochMs : `t.${q(name)}`;
        return `${value} AS c${i}`;
      })
      .join(', ');
    const insertNames = [o.id, o.createdAt, ...Object.keys(o.snapshot?.columns ?? {})];
    const insertValues = [
      `$1`,
      created.fromInstant('$2'),
      ...Object.keys(o.snapshot?.columns ?? {}).map((_, i) => `$${i + 3}`),
    ];
    if (o.status) {
      insertNames.push(o.status);
      insertValues.push(`$${insertValues.length + 1}`);
    }
    if (o.updatedAt) {
      insertNames.push(o.updatedAt);
      insertValues.push(time(o.updatedAt).now);
    }
    return {
      id,
      bodyColumns,
      columns,
      getOrder: `SELECT t.${q(o.id)}::text AS id, ${o.status ? `t.${q(o.status)}::text` : 'NULL::text'} AS status
        ${select ? `, ${select}` : ''} FROM ${q(o.table)} t WHERE t.${q(o.id)} = $1`,
      // The id is the missing order's own number: an identity column GENERATED ALWAYS refuses it unless told to
      // take it (a column without identity ignores the clause).
      insertOrder: `INSERT INTO ${q(o.table)} (${insertNames.map(q).join(', ')}) OVERRIDING SYSTEM VALUE
        VALUES (${insertValues.join(', ')}) ON CONFLICT (${q(o.id)}) DO NOTHING`,
    };
  });
  const outbox =
    flow.outbox && pools.outbox && databases.outbox
      ? createOutboxRepairDb(pools.outbox, flow.outbox, databases.outbox)
      : null;

  return {
    getOrder: (orderId) =>
      orNoneForForeignKey(async () => {
        const sql = await statements();
        // A key the column cannot hold (3000000000 for an integer id) names no order; PostgreSQL would refuse it.
        if (!sql.id.canHold(orderId)) return null;
        const { rows } = await pools.orders.query(sql.getOrder, [orderId]);
        const row = rows[0];
        if (!row) return null;
        const messageBody =
          template &&
          toJsonObject(
            Object.entries(template).map(([field, column]) => {
              const i = sql.bodyColumns.indexOf(column);
              return [field, toMessageJson(row[`c${i}`], sql.columns.get(column)!)];
            }),
          );
        return { id: String(row.id), status: row.status as string | null, messageBody };
      }, null),
    getOutbox: (messageId) => outbox?.getOutbox(messageId) ?? Promise.resolve(null),
    latestMessageIdFor: (orderId) => outbox?.latestMessageIdFor(orderId) ?? Promise.resolve(null),
    orderFromSnapshot: (orderId, snapshot) =>
      fromSnapshot
        ? fromSnapshot(orderId, snapshot)
        : { problem: 'the configuration says nothing of how to make an order up (order.snapshot)' },
    insertOrder: async (order) => {
      const sql = await statements();
      const mapped = Object.keys(o.snapshot?.columns ?? {}).map((column) => {
        const value = order.columns[column];
        // A json/jsonb column takes the value as JSON text; any other column takes it as PostgreSQL reads its text.
        return sql.columns.get(column)?.family === 'json' ? JSON.stringify(value) : value;
      });
      const params = [order.id, order.columns[o.createdAt], ...mapped, ...(o.status ? [o.madeUpStatus] : [])];
      const { rowCount } = await pools.orders.query(sql.insertOrder, params);
      return rowCount === 1;
    },
    markOutboxPublished: (messageId) => outbox?.markPublished(messageId) ?? Promise.resolve(false),
  };
}
