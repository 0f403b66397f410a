import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../demo/migrate.ts';
import { createDispatchDb } from '../../server/adapters/flow/dispatch-db.ts';
import { createOrdersDb } from '../../server/adapters/flow/orders-db.ts';
import { createPgPool } from '../../server/adapters/postgres.ts';
import { loadConfig } from '../../server/config.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

/**
 * Large enough that the planner weighs an index against a sequential scan (on a few thousand rows it rightly reads
 * the whole table), small enough to seed in a few seconds.
 */
const ROWS = 150_000;
/** A lookup batch well inside what an index serves best; a cast on the id column would still rule the index out. */
const LOOKUP_IDS = 200;
/** The full sweep's page size. */
const SWEEP_PAGE = 2_000;

const ORDER_ID = `md5('plans:' || i)::uuid`;
const SEED_ORDERS = `INSERT INTO orders (id, customer_id, items, total_cents, status, created_at, updated_at)
  SELECT ${ORDER_ID}, 'customer-' || i % 500, '[]', 1000, 'created', now() - i * interval '1 second',
    now() - i * interval '1 second'
  FROM generate_series(1, ${ROWS}) AS i`;
const SEED_DISPATCHES = `INSERT INTO dispatches (order_id, message_id, courier, status, order_snapshot, created_at, updated_at)
  SELECT ${ORDER_ID}, gen_random_uuid(), 'courier-' || i % 50, 'assigned', '{}', now() - i * interval '1 second',
    now() - i * interval '1 second'
  FROM generate_series(1, ${ROWS}) AS i`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * Keeps the fix of 56c28b8 from regressing: an ORDER BY that resolves to the `::text` output column, or a cast on the
 * id column in a lookup, turns every page or batch into a scan of the whole table (quadratic for the sweep).
 */
interface Adapters {
  orders: ReturnType<typeof createOrdersDb>;
  dispatch: ReturnType<typeof createDispatchDb>;
}

describe("the adapters' page and lookup statements use an index on a large table", () => {
  let env: IsolatedEnv;
  let pools: { orders: pg.Pool; dispatch: pg.Pool };
  let ids: string[];
  let middle: string;
  let middleAt: { orders: string; dispatch: string };

  beforeAll(async () => {
    env = await createIsolatedEnv('plans');
    pools = {
      orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 }),
      dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 }),
    };
    await Promise.all([migrate(pools.orders, 'orders'), migrate(pools.dispatch, 'dispatch')]);
    await Promise.all([pools.orders.query(SEED_ORDERS), pools.dispatch.query(SEED_DISPATCHES)]);
    await Promise.all([pools.orders.query('VACUUM ANALYZE orders'), pools.dispatch.query('VACUUM ANALYZE dispatches')]);
    const sample = await pools.orders.query<{ id: string }>(
      `SELECT id::text AS id FROM orders ORDER BY md5(id::text) LIMIT ${LOOKUP_IDS}`,
    );
    ids = sample.rows.map((r) => r.id);
    middle = [...ids].sort()[Math.floor(ids.length / 2)]!;
    const at = async (pool: pg.Pool, sql: string) => (await pool.query(sql, [middle])).rows[0]!.at as string;
    middleAt = {
      orders: await at(pools.orders, 'SELECT updated_at::text AS at FROM orders WHERE id = $1'),
      dispatch: await at(pools.dispatch, 'SELECT updated_at::text AS at FROM dispatches WHERE order_id = $1'),
    };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(Object.values(pools ?? {}).map((p) => p.end()));
    await env?.destroy();
  });

  /**
   * EXPLAINs (without running) the last statement the adapter method sends on its table, with its real parameters.
   * The adapter runs for real (it reads the catalog before it builds its statements, and a stream needs rows to
   * page on); the catalog's own statements are not the ones under test.
   */
  const planOf = async (side: 'orders' | 'dispatch', call: (adapters: Adapters) => Promise<unknown>) => {
    const sent: Array<{ text: string; values: unknown[] }> = [];
    const recording = (real: pg.Pool) =>
      ({
        options: real.options,
        query: (text: string, values: unknown[] = []) => {
          if (!/\bpg_(attribute|database|class|index)\b/.test(text)) sent.push({ text, values });
          return real.query(text, values);
        },
      }) as unknown as pg.Pool;
    const { watched } = loadConfig({});
    const ordersDb = createOrdersDb(
      recording(pools.orders),
      watched.flow,
      watched.databases[watched.flow.order.database]!,
    );
    const adapters = {
      orders: ordersDb,
      dispatch: createDispatchDb(
        recording(pools.dispatch),
        watched.flow,
        watched.databases[watched.flow.dispatch.database]!,
        () => ordersDb.keyFamily(),
      ),
    };
    await ordersDb.keyFamily();
    sent.length = 0;
    await call(adapters);
    expect(sent.length).toBeGreaterThan(0);
    const { text, values } = sent[sent.length - 1]!;
    const { rows } = await pools[side].query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${text}`,
      values,
    );
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  };
  const scansOf = (plan: PlanNode): string[] => [
    ...(plan['Relation Name'] ? [`${plan['Node Type']} on ${plan['Relation Name']}`] : []),
    ...(plan.Plans ?? []).flatMap(scansOf),
  ];
  /** Reads a stream's first `pages` pages and stops. */
  const pagesOf = async (stream: AsyncIterable<unknown>, pages: number) => {
    let read = 0;
    for await (const _ of stream) if (++read === pages) break;
  };
  const isIndexed = (scan: string) => /^(Index Scan|Index Only Scan|Bitmap Heap Scan) on /.test(scan);

  it.each([
    ['orders', 'orders.findOrders', (a: Adapters) => a.orders.findOrders(ids)],
    ['dispatch', 'dispatch.findDispatchesByOrderIds', (a: Adapters) => a.dispatch.findDispatchesByOrderIds(ids)],
    [
      'orders',
      'orders.orderIdsInKeyOrder (first page)',
      (a: Adapters) => pagesOf(a.orders.orderIdsInKeyOrder(SWEEP_PAGE), 1),
    ],
    [
      'orders',
      'orders.orderIdsInKeyOrder (next page)',
      (a: Adapters) => pagesOf(a.orders.orderIdsInKeyOrder(SWEEP_PAGE), 2),
    ],
    [
      'dispatch',
      'dispatch.dispatchedOrderIdsInKeyOrder (first page)',
      (a: Adapters) => pagesOf(a.dispatch.dispatchedOrderIdsInKeyOrder(SWEEP_PAGE), 1),
    ],
    [
      'dispatch',
      'dispatch.dispatchedOrderIdsInKeyOrder (next page)',
      (a: Adapters) => pagesOf(a.dispatch.dispatchedOrderIdsInKeyOrder(SWEEP_PAGE), 2),
    ],
    [
      'orders',
      'orders.pageChangedOrders (next page)',
      (a: Adapters) => a.orders.pageChangedOrders({ after: middleAt.orders, id: middle }, new Date(), 1_000),
    ],
    [
      'dispatch',
      'dispatch.pageChangedDispatches (next page)',
      (a: Adapters) => a.dispatch.pageChangedDispatches({ after: middleAt.dispatch, id: '1' }, new Date(), 1_000),
    ],
  ] as const)('%s: %s reads through an index, never a sequential scan', async (side, _name, call) => {
    const scans = scansOf(await planOf(side, call));
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.filter((scan) => !isIndexed(scan))).toEqual([]);
  });

  it("prefetches a lookup's random heap pages: Recon's connections raise effective_io_concurrency", async () => {
    const pool = createPgPool(env.dispatchDatabaseUrl, { applicationName: 'recon-test' });
    try {
      const { rows } = await pool.query<{ effective_io_concurrency: string }>('SHOW effective_io_concurrency');
      expect(Number(rows[0]!.effective_io_concurrency)).toBeGreaterThan(1);
    } finally {
      await pool.end();
    }
  });
});
