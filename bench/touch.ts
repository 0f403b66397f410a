import pg from 'pg';
import { type BenchDatabase, benchUrl } from './databases.ts';

/** Which rows a scenario changes before the cycle it measures: random rows, so their pages are random too. */
export interface Touch {
  orders: number;
  dispatches: number;
}

const TOUCH_ORDERS =
  'UPDATE orders SET updated_at = now() WHERE id IN (SELECT id FROM orders ORDER BY random() LIMIT $1)';
const TOUCH_DISPATCHES = `UPDATE dispatches SET updated_at = now()
  WHERE id IN (SELECT id FROM dispatches ORDER BY random() LIMIT $1)`;

export async function touchRows(touch: Touch): Promise<void> {
  if (touch.orders > 0) await touchTable('orders', TOUCH_ORDERS, touch.orders);
  if (touch.dispatches > 0) await touchTable('dispatch', TOUCH_DISPATCHES, touch.dispatches);
}

/**
 * Touches rows on a connection of its own that closes at once: a backend flushes its table statistics when it exits,
 * so the rows this UPDATE scans are never counted against the cycle measured next.
 */
async function touchTable(database: BenchDatabase, sql: string, count: number) {
  const client = new pg.Client({ connectionString: benchUrl(database) });
  await client.connect();
  try {
    const { rowCount } = await client.query(sql, [count]);
    if (rowCount !== count) throw new Error(`touched ${rowCount} rows, wanted ${count}`);
  } finally {
    await client.end();
  }
}
