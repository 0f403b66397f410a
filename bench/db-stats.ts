import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';

/** A backend's table statistics reach pg_stat only when it flushes them (at the latest when it exits). */
const STATS_FLUSH_MS = 1_500;

const TUPLES_READ = `SELECT (SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE relname = $1)::float8
  + (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = $1)::float8 AS tuples`;

/**
 * Tuples the database itself read from a business table (sequential-scan tuples plus index entries): the cost the
 * database pays, which row counts on the client side do not show (a lookup can return 1 row after scanning 1M).
 */
export function createTupleCounter(
  pools: { orders: pg.Pool; dispatch: pg.Pool },
  tables: { orders: string; dispatches: string } = { orders: 'orders', dispatches: 'dispatches' },
) {
  const read = async () => {
    const one = async (pool: pg.Pool, table: string) => {
      const { rows } = await pool.query<{ tuples: number }>(TUPLES_READ, [table]);
      return rows[0]?.tuples ?? 0;
    };
    const [orders, dispatches] = await Promise.all([
      one(pools.orders, tables.orders),
      one(pools.dispatch, tables.dispatches),
    ]);
    return orders + dispatches;
  };
  return {
    /** Runs `work` (whose connections have flushed their statistics when it resolves) and counts its tuples read. */
    async measure<T>(work: () => Promise<T>): Promise<{ result: T; tuplesRead: number }> {
      await sleep(STATS_FLUSH_MS);
      const before = await read();
      const result = await work();
      await sleep(STATS_FLUSH_MS);
      return { result, tuplesRead: (await read()) - before };
    },
  };
}
