// EXPLAIN ANALYZE of the exact statements Recon's adapters send for the sweep and the incremental cycle, with
// real parameters. The adapters' SQL is captured through a pool that records instead of querying, so this stays
// true to whatever the adapters build. Usage: npx tsx bench/explain.ts
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { createDispatchDb } from '../server/adapters/flow/dispatch-db.ts';
import { createOrdersDb } from '../server/adapters/flow/orders-db.ts';
import { loadConfig } from '../server/config.ts';
import { benchPool, benchReconEnv } from './databases.ts';

export interface PlanSummary {
  statement: string;
  /** The plan's nodes, one per line, without the (long) parameter values. */
  plan: string[];
  executionMs: number;
}

interface Captured {
  text: string;
  values: unknown[];
}

/**
 * Stands in for a pg.Pool over a real one: runs every statement (the adapters read the catalog before they build
 * their statements) and remembers the last one sent.
 */
function capturingPool(real: pg.Pool): { pool: pg.Pool; last(): Captured } {
  let captured: Captured | undefined;
  const pool = {
    options: real.options,
    query: async (text: string, values: unknown[] = []) => {
      captured = { text, values };
      return real.query(text, values);
    },
  } as unknown as pg.Pool;
  return { pool, last: () => captured! };
}

/** Reads a stream's first two pages: the second is sent with a key to start after, as every page but the first. */
async function secondPage(pages: AsyncIterable<unknown>) {
  let read = 0;
  for await (const _ of pages) if (++read === 2) break;
}

export async function explainAdapterQueries(sampleSize = 1_000): Promise<PlanSummary[]> {
  const { watched, pageSize } = loadConfig(benchReconEnv());
  const { flow, databases } = watched;
  const pools = { orders: benchPool('orders'), dispatch: benchPool('dispatch') };
  const capture = { orders: capturingPool(pools.orders), dispatch: capturingPool(pools.dispatch) };
  const orders = createOrdersDb(capture.orders.pool, flow, databases[flow.order.database]!);
  const dispatch = createDispatchDb(capture.dispatch.pool, flow, databases[flow.dispatch.database]!, () =>
    orders.keyFamily(),
  );
  try {
    const { rows } = await pools.orders.query<{ id: string }>(
      'SELECT id::text AS id FROM orders ORDER BY random() LIMIT $1',
      [sampleSize],
    );
    const ids = rows.map((r) => r.id);
    const middle = [...ids].sort()[Math.floor(ids.length / 2)]!;
    const at = async (pool: pg.Pool, sql: string) => (await pool.query(sql, [middle])).rows[0]?.at as string;
    const orderAt = await at(pools.orders, 'SELECT updated_at::text AS at FROM orders WHERE id = $1');
    const dispatchAt = await at(pools.dispatch, 'SELECT updated_at::text AS at FROM dispatches WHERE order_id = $1');
    const adapter = (side: keyof typeof pools, call: () => Promise<unknown>) => async () => {
      await call();
      return capture[side].last();
    };
    const cases: Array<[string, keyof typeof pools, () => Promise<Captured>]> = [
      [
        'sweep: orders.orderIdsInKeyOrder (the second page of 2,000)',
        'orders',
        adapter('orders', () => secondPage(orders.orderIdsInKeyOrder(2_000))),
      ],
      [
        'sweep: dispatch.dispatchedOrderIdsInKeyOrder (the second page of 2,000)',
        'dispatch',
        adapter('dispatch', () => secondPage(dispatch.dispatchedOrderIdsInKeyOrder(2_000))),
      ],
      [
        `judge: orders.findOrders (the last statement of a ${ids.length}-id lookup)`,
        'orders',
        adapter('orders', () => orders.findOrders(ids)),
      ],
      [
        `judge: dispatch.findDispatchesByOrderIds (the last statement of a ${ids.length}-id lookup)`,
        'dispatch',
        adapter('dispatch', () => dispatch.findDispatchesByOrderIds(ids)),
      ],
      [
        `cycle: orders.pageChangedOrders (a page of ${pageSize})`,
        'orders',
        adapter('orders', () => orders.pageChangedOrders({ after: orderAt, id: null }, new Date(), pageSize)),
      ],
      [
        `cycle: dispatch.pageChangedDispatches (a page of ${pageSize})`,
        'dispatch',
        adapter('dispatch', () =>
          dispatch.pageChangedDispatches({ after: dispatchAt, id: null }, new Date(), pageSize),
        ),
      ],
    ];
    const summaries: PlanSummary[] = [];
    for (const [statement, side, statementOf] of cases) {
      const { text, values } = await statementOf();
      const { rows: plan } = await pools[side].query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
        values,
      );
      const lines = plan.map((r) => r['QUERY PLAN']);
      const executionMs = Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1] ?? Number.NaN);
      const nodes = lines
        .filter((l) => /->|^\S/.test(l) && !/^(Planning|Execution)/.test(l))
        .map((l) => l.replace(/'\{[^}]*\}'/g, "'{…}'").replace(/\s*\(cost=[^)]*\)/, ''));
      summaries.push({ statement, plan: nodes, executionMs });
    }
    return summaries;
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.end()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const s of await explainAdapterQueries()) {
    console.log(`\n${s.statement}: ${s.executionMs.toFixed(1)} ms`);
    for (const line of s.plan) console.log(`  ${line}`);
  }
}
