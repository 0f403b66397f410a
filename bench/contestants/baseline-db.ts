import pg from 'pg';
import { loadConfig } from '../../server/config.ts';
import { type BenchDatabase, benchReconEnv, benchUrl } from '../databases.ts';

/**
 * Rows per keyset page for the baselines. Recon's sweep reads pages of 2,000 (fewer survivors of each garbage
 * collection, for its memory target); the baselines keep 5,000, the fewer round trips of the two.
 */
export const BASELINE_PAGE = 5_000;

/** The rules the baselines apply, taken from Recon's own defaults so every contestant judges the same way. */
export function baselineRules() {
  const { graceMs, watched } = loadConfig(benchReconEnv());
  const cancelled = new Set(watched.flow.dispatch.cancelledStatuses.map(String));
  return {
    cutoffMs: Date.now() - graceMs,
    isLive: (status: string | null) => status === null || !cancelled.has(status),
  };
}

export async function connect(database: BenchDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: benchUrl(database), application_name: 'recon-bench-baseline' });
  await client.connect();
  return client;
}

export interface OrderKeyRow {
  id: string;
  created_at: Date;
}
export interface DispatchKeyRow {
  id: string;
  order_id: string;
  status: string | null;
  created_at: Date;
}

// Written the way a careful engineer would: plain columns (pg returns uuid as text), so ORDER BY uses the index.
const ORDER_PAGE = `SELECT id, created_at FROM orders WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT ${BASELINE_PAGE}`;
const DISPATCH_PAGE = `SELECT id, order_id, status, created_at FROM dispatches WHERE id > $1 ORDER BY id LIMIT ${BASELINE_PAGE}`;

/** Every order in id order, one keyset page at a time. */
export async function* orderPages(client: pg.Client): AsyncGenerator<OrderKeyRow[]> {
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: OrderKeyRow[] } = await client.query<OrderKeyRow>(ORDER_PAGE, [after]);
    if (rows.length > 0) yield rows;
    if (rows.length < BASELINE_PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Every dispatch row in id order, one keyset page at a time. */
export async function* dispatchPages(client: pg.Client): AsyncGenerator<DispatchKeyRow[]> {
  let after = '0';
  for (;;) {
    const { rows }: { rows: DispatchKeyRow[] } = await client.query<DispatchKeyRow>(DISPATCH_PAGE, [after]);
    if (rows.length > 0) yield rows;
    if (rows.length < BASELINE_PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}
